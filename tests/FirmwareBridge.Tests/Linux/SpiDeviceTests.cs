using System.Runtime.CompilerServices;
using DePin.Wireless.FirmwareBridge.Linux;
using DePin.Wireless.FirmwareBridge.Tests.Fakes;

namespace DePin.Wireless.FirmwareBridge.Tests.Linux;

public class SpiDeviceTests
{
    /// <summary>Answers each byte with its complement, so both directions of the buffer are checked.</summary>
    private sealed class ComplementPeripheral : ISpiPeripheral
    {
        public void Transfer(ReadOnlySpan<byte> mosi, Span<byte> miso)
        {
            for (var i = 0; i < mosi.Length; i++)
                miso[i] = (byte)~mosi[i];
        }
    }

    private readonly FakeLinuxKernel _kernel = new();
    private readonly FakeSpidev _spidev = new(new ComplementPeripheral());

    public SpiDeviceTests() => _kernel.AddDeviceNode("/dev/spidev0.0", () => _spidev);

    [Fact]
    public void Open_applies_mode_word_size_and_speed_through_their_ioctls()
    {
        using var spi = SpiDevice.Open(_kernel, "/dev/spidev0.0", new SpiSettings { Mode = SpiModeFlags.ClockPhase, MaxSpeedHz = 8_000_000 });
        Assert.Equal(1, _spidev.Mode);
        Assert.Equal(8, _spidev.BitsPerWord);
        Assert.Equal(8_000_000u, _spidev.MaxSpeedHz);
        Assert.Equal([SpidevAbi.WriteMode, SpidevAbi.WriteBitsPerWord, SpidevAbi.WriteMaxSpeedHz], _kernel.Ioctls.Select(c => c.Request));
    }

    [Fact]
    public void Full_duplex_transfer_is_one_spi_ioc_transfer_with_both_buffers()
    {
        using var spi = SpiDevice.Open(_kernel, "/dev/spidev0.0", new SpiSettings());
        byte[] tx = [0x12, 0x00, 0x00, 0x00];
        var rx = new byte[4];
        spi.TransferFullDuplex(tx, rx);

        Assert.Equal(tx, _spidev.Frames.Single().Mosi);
        Assert.Equal(new byte[] { 0xED, 0xFF, 0xFF, 0xFF }, rx);
        Assert.Equal(SpidevAbi.Message(1), _kernel.Ioctls[^1].Request);
        Assert.Equal(2_000_000u, _spidev.TransferSpeeds.Single());
    }

    [Fact]
    public void Mismatched_or_empty_buffers_are_refused_before_reaching_the_kernel()
    {
        using var spi = SpiDevice.Open(_kernel, "/dev/spidev0.0", new SpiSettings());
        Assert.Equal("receive", Assert.Throws<ArgumentException>(() => spi.TransferFullDuplex(new byte[3], new byte[2])).ParamName);
        Assert.Equal("transmit", Assert.Throws<ArgumentException>(() => spi.TransferFullDuplex([], [])).ParamName);
        Assert.Empty(_spidev.Frames);
    }

    [Fact]
    public unsafe void Fake_spidev_frames_multi_transfer_messages_like_the_kernel()
    {
        var fd = _kernel.Open("/dev/spidev0.0", LinuxOpenFlags.ReadWrite);
        byte[] a = [1, 2], b = [3], c = [4, 5];
        var ra = new byte[2];
        var rb = new byte[1];
        var rc = new byte[2];
        fixed (byte* pa = a, pb = b, pc = c, pra = ra, prb = rb, prc = rc)
        {
            var transfers = new SpiIocTransfer[]
            {
                new() { TxBuffer = (ulong)pa, RxBuffer = (ulong)pra, Length = 2 },
                new() { TxBuffer = (ulong)pb, RxBuffer = (ulong)prb, Length = 1, ChipSelectChange = 1 },
                new() { TxBuffer = (ulong)pc, RxBuffer = (ulong)prc, Length = 2 },
            };
            var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(transfers.AsSpan());
            Assert.Equal(5, _kernel.Ioctl(fd, SpidevAbi.Message(3), bytes));
        }
        Assert.Equal([new byte[] { 1, 2, 3 }, new byte[] { 4, 5 }], _spidev.Frames.Select(f => f.Mosi));
        Assert.Equal(new byte[] { 0xFE, 0xFD }, ra);
        Assert.Equal(new byte[] { 0xFC }, rb);
        Assert.Equal(new byte[] { 0xFB, 0xFA }, rc);
        Assert.Equal(96, Unsafe.SizeOf<SpiIocTransfer>() * 3);
    }
}
