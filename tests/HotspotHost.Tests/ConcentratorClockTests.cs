using DePin.Wireless.FirmwareBridge.Devices.Sx1276;
using DePin.Wireless.FirmwareBridge.Gwmp;
using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.FirmwareBridge.Tests.Fakes;
using DePin.Wireless.HotspotHost.Runtime;
using DePin.Wireless.HotspotHost.Tests.Support;
using DePin.Wireless.TestSupport;

namespace DePin.Wireless.HotspotHost.Tests;

public class ConcentratorClockTests
{
    private static RxFrame FrameAt(uint tmst) =>
        new([0x40, 1, 2, 3, 4, 0, 1, 0, 1, 5, 6, 7, 8], 868_100_000, new LoRaModulation(7, 125_000), LoRaCodingRate.Cr4_5, -80, 7, tmst, RxCrcStatus.Ok);

    [Fact]
    public void Without_a_radio_counter_the_counter_is_unknown_until_a_frame_is_received()
    {
        var clock = new ConcentratorClock(null, new ManualTimeProvider());

        Assert.False(clock.ReadsRadioCounter);
        Assert.Null(clock.NowUs());
    }

    [Fact]
    public void Observed_tmst_is_extrapolated_with_the_host_clock()
    {
        var time = new ManualTimeProvider();
        var clock = new ConcentratorClock(null, time);

        clock.Observe(FrameAt(1_000_000));
        time.Advance(TimeSpan.FromMilliseconds(2_500.25));

        Assert.Equal(3_500_250u, clock.NowUs());
    }

    [Fact]
    public void Extrapolation_wraps_like_the_32_bit_concentrator_counter()
    {
        var time = new ManualTimeProvider();
        var clock = new ConcentratorClock(null, time);

        clock.Observe(FrameAt(uint.MaxValue - 99));
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(900u, clock.NowUs());
    }

    [Fact]
    public void The_latest_frame_wins_and_stale_observations_are_not_extrapolated()
    {
        var time = new ManualTimeProvider();
        var clock = new ConcentratorClock(null, time);
        clock.Observe(FrameAt(5));
        time.Advance(TimeSpan.FromSeconds(1));
        clock.Observe(FrameAt(70_000_000));

        time.Advance(ConcentratorClock.MaxExtrapolation);
        Assert.Equal(unchecked(70_000_000u + 300_000_000u), clock.NowUs());

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(clock.NowUs());
    }

    [Fact]
    public void A_radio_counter_is_read_directly_and_beats_observed_frames()
    {
        uint counter = 42;
        var clock = new ConcentratorClock(() => counter, new ManualTimeProvider());
        clock.Observe(FrameAt(9_999));

        Assert.True(clock.ReadsRadioCounter);
        Assert.Equal(42u, clock.NowUs());
        counter = 43;
        Assert.Equal(43u, clock.NowUs());
    }

    [Fact]
    public async Task Sx1276_radio_counter_is_the_driver_host_clock_counter()
    {
        var time = new ManualTimeProvider();
        var kernel = new FakeLinuxKernel();
        var gpio = new FakeGpioChip(kernel, "/dev/gpiochip0");
        var chip = new FakeSx1276(gpio, 25, 22);
        kernel.AddDeviceNode("/dev/spidev0.1", () => new FakeSpidev(chip));
        await using var radio = Sx1276Radio.Open(kernel, new Sx1276RadioOptions { SpiDevicePath = "/dev/spidev0.1", ResetPin = 25, Dio0Pin = 22 }, time);

        var clock = ConcentratorClock.For(radio, time);
        time.Advance(TimeSpan.FromMilliseconds(1_234.567));

        Assert.True(clock.ReadsRadioCounter);
        Assert.Equal(radio.CounterNowUs, clock.NowUs());
        Assert.Equal(1_234_567u, clock.NowUs());
    }

    [Fact]
    public async Task Gwmp_and_simulated_radios_have_no_readable_counter()
    {
        await using var gwmp = new GwmpRadio(new GwmpRadioOptions { Server = new GwmpServerOptions { BindAddress = "127.0.0.1", Port = 0 } });

        Assert.False(ConcentratorClock.For(gwmp, TimeProvider.System).ReadsRadioCounter);
        Assert.False(ConcentratorClock.For(new SimulatedRadio(), TimeProvider.System).ReadsRadioCounter);
    }
}
