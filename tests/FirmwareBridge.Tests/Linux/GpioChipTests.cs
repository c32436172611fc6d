using DePin.Wireless.FirmwareBridge.Linux;
using DePin.Wireless.FirmwareBridge.Tests.Fakes;

namespace DePin.Wireless.FirmwareBridge.Tests.Linux;

public class GpioChipTests
{
    private readonly FakeLinuxKernel _kernel = new();
    private readonly FakeGpioChip _fake;

    public GpioChipTests() => _fake = new FakeGpioChip(_kernel, "/dev/gpiochip0");

    [Fact]
    public void Output_request_reaches_the_chip_with_consumer_flags_and_initial_level()
    {
        using var chip = GpioChip.Open(_kernel, "/dev/gpiochip0");
        using var reset = chip.RequestOutput(25, initialValue: true, "sx1262-reset");

        Assert.Equal("sx1262-reset", _fake.ConsumerOf(25));
        Assert.Equal(GpioV2LineFlags.Output, _fake.FlagsOf(25));
        Assert.True(_fake.Level(25));
        reset.Write(false);
        Assert.False(_fake.Level(25));
        Assert.Contains(_kernel.Ioctls, call => call.Request == GpioV2Abi.SetValuesIoctl);
    }

    [Fact]
    public void Input_reads_the_level_the_peripheral_drives()
    {
        using var chip = GpioChip.Open(_kernel, "/dev/gpiochip0");
        using var busy = chip.RequestInput(20, GpioEdge.None, GpioBias.PullDown, "busy");
        Assert.Equal(GpioV2LineFlags.Input | GpioV2LineFlags.BiasPullDown, _fake.FlagsOf(20));

        _fake.DriveInput(20, true);
        Assert.True(busy.Read());
        _fake.DriveInput(20, false);
        Assert.False(busy.Read());
    }

    [Fact]
    public async Task Rising_edges_are_read_as_gpio_v2_line_events_and_falling_ones_are_not_requested()
    {
        using var chip = GpioChip.Open(_kernel, "/dev/gpiochip0");
        using var dio1 = chip.RequestInput(16, GpioEdge.Rising, GpioBias.AsIs, "dio1");

        _fake.DriveInput(16, true);
        var edge = await dio1.WaitForEdgeAsync(TimeSpan.FromSeconds(2), CancellationToken.None);
        Assert.NotNull(edge);
        Assert.Equal(16, edge.Value.Offset);
        Assert.True(edge.Value.IsRising);
        Assert.Equal(1u, edge.Value.LineSequence);

        _fake.DriveInput(16, false);
        Assert.Null(await dio1.WaitForEdgeAsync(TimeSpan.FromMilliseconds(60), CancellationToken.None));
    }

    [Fact]
    public async Task Waiting_for_an_edge_honours_cancellation()
    {
        using var chip = GpioChip.Open(_kernel, "/dev/gpiochip0");
        using var dio1 = chip.RequestInput(16, GpioEdge.Both, GpioBias.AsIs, "dio1");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dio1.WaitForEdgeAsync(TimeSpan.FromSeconds(30), cts.Token));
    }

    [Fact]
    public void Kernel_errors_surface_with_errno_busy_line_bad_offset_write_to_input()
    {
        using var chip = GpioChip.Open(_kernel, "/dev/gpiochip0");
        using var first = chip.RequestInput(5, GpioEdge.None, GpioBias.AsIs, "a");

        Assert.Equal(LinuxIoException.EBUSY, Assert.Throws<LinuxIoException>(() => chip.RequestInput(5, GpioEdge.None, GpioBias.AsIs, "b")).Errno);
        Assert.Equal(LinuxIoException.EINVAL, Assert.Throws<LinuxIoException>(() => chip.RequestOutput(99, false, "c")).Errno);
        Assert.Throws<LinuxIoException>(() => first.Write(true));
        Assert.Equal(LinuxIoException.ENOENT, Assert.Throws<LinuxIoException>(() => GpioChip.Open(_kernel, "/dev/gpiochip4")).Errno);
    }

    [Fact]
    public void Disposing_a_line_releases_it_and_closes_its_fd()
    {
        using var chip = GpioChip.Open(_kernel, "/dev/gpiochip0");
        var before = _kernel.OpenFileCount;
        var line = chip.RequestOutput(7, false, "led");
        Assert.Equal(before + 1, _kernel.OpenFileCount);
        line.Dispose();
        Assert.Equal(before, _kernel.OpenFileCount);
        using var again = chip.RequestOutput(7, true, "led");
        Assert.True(_fake.Level(7));
        Assert.Throws<ObjectDisposedException>(() => line.Read());
    }
}
