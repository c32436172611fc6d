using DePin.Wireless.TestSupport;
using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.FirmwareBridge.Tests.Fakes;

namespace DePin.Wireless.FirmwareBridge.Tests.Radio;

public class LoRaModulationTests
{
    [Theory]
    [InlineData("SF7BW125", 7, 125_000)]
    [InlineData("SF12BW500", 12, 500_000)]
    [InlineData("SF9BW62.5", 9, 62_500)]
    [InlineData("SF5BW7.8", 5, 7_800)]
    public void Parses_and_formats_the_gwmp_datr_spelling(string text, int sf, int bw)
    {
        var modulation = LoRaModulation.Parse(text);
        Assert.Equal(new LoRaModulation(sf, bw), modulation);
        Assert.Equal(text, modulation.ToString());
        Span<char> buffer = stackalloc char[16];
        Assert.True(modulation.TryFormat(buffer, out var written));
        Assert.Equal(text, buffer[..written].ToString());
    }

    [Theory]
    [InlineData("SF13BW125", "spreading factor")]
    [InlineData("SF7BW126", "bandwidth")]
    [InlineData("FSK50000", "expected SF")]
    [InlineData("SF7BWx", "bandwidth")]
    public void Bad_text_is_refused_with_the_reason(string text, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => LoRaModulation.Parse(text));
        Assert.Contains(reason, ex.Message);
        Assert.False(LoRaModulation.TryParse(text, out _));
    }

    [Fact]
    public void Constructor_names_the_bad_field()
    {
        Assert.Equal("spreadingFactor", Assert.Throws<ArgumentOutOfRangeException>(() => new LoRaModulation(4, 125_000)).ParamName);
        Assert.Equal("bandwidthHz", Assert.Throws<ArgumentOutOfRangeException>(() => new LoRaModulation(7, 100_000)).ParamName);
    }

    [Theory]
    [InlineData(12, 125_000, true)]
    [InlineData(11, 125_000, true)]
    [InlineData(10, 125_000, false)]
    [InlineData(12, 250_000, true)]
    [InlineData(11, 250_000, false)]
    public void Low_data_rate_optimisation_is_required_from_16_ms_symbols(int sf, int bw, bool required) =>
        Assert.Equal(required, new LoRaModulation(sf, bw).RequiresLowDataRateOptimize);
}

public class LoRaAirtimeTests
{
    // Semtech LoRa calculator / AN1200.13 values: 13 bytes SF7BW125 CR4/5 preamble 8, CRC on = 46.336 ms;
    // 51 bytes SF12BW125 = 2465.792 ms (LDRO on).
    [Theory]
    [InlineData(13, 7, 46.336)]
    [InlineData(51, 12, 2465.792)]
    [InlineData(0, 7, 25.856)]
    public void Matches_the_semtech_formula(int payload, int sf, double expectedMs)
    {
        var airtime = LoRaAirtime.Of(payload, new LoRaModulation(sf, 125_000), LoRaCodingRate.Cr4_5, 8, crcEnabled: true);
        Assert.Equal(expectedMs, airtime.TotalMilliseconds, 3);
    }
}

public class TransmitSchedulerTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly RadioCounterClock _clock;
    private readonly TransmitScheduler _scheduler;

    public TransmitSchedulerTests()
    {
        _clock = new RadioCounterClock(_time);
        _scheduler = new TransmitScheduler(_clock, new TransmitTimingOptions());
    }

    [Fact]
    public void Counter_follows_the_time_provider_in_microseconds_and_wraps_at_2_pow_32()
    {
        _time.Advance(TimeSpan.FromMilliseconds(1.5));
        Assert.Equal(1_500u, _clock.NowUs);
        _time.Advance(TimeSpan.FromMicroseconds(uint.MaxValue));
        Assert.Equal(1_499u, _clock.NowUs);
        Assert.Equal(21, RadioCounterClock.Difference(5, 0xFFFFFFF0));
        Assert.Equal(-21, RadioCounterClock.Difference(0xFFFFFFF0, 5));
    }

    [Fact]
    public void Event_timestamps_back_date_the_counter_by_the_handling_latency()
    {
        _time.Advance(TimeSpan.FromSeconds(10));
        const ulong now = 5_000_000_000;
        Assert.Equal(_clock.NowUs - 1_500, _clock.AtEvent(now - 1_500_000, now));   // edge 1.5 ms ago
        Assert.Equal(_clock.NowUs, _clock.AtEvent(now + 10, now));                  // from the future: clocks unrelated
        Assert.Equal(_clock.NowUs, _clock.AtEvent(now - 2_000_000_000, now));       // 2 s ago: implausible, ignored
    }

    [Fact]
    public void Immediate_requests_and_requests_within_the_window_pass()
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(_scheduler.Check(null));
        Assert.Null(_scheduler.Check(_clock.NowUs + 1_000_000));   // RX1: 1 s ahead
        Assert.Null(_scheduler.Check(_clock.NowUs + 5_000));       // exactly the minimum lead
    }

    [Fact]
    public void Past_or_barely_future_is_too_late_and_far_future_is_too_early()
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TxStatus.TooLate, _scheduler.Check(_clock.NowUs - 1)?.Status);
        Assert.Equal(TxStatus.TooLate, _scheduler.Check(_clock.NowUs + 4_999)?.Status);
        Assert.Equal(TxStatus.TooEarly, _scheduler.Check(_clock.NowUs + 10_000_001)?.Status);
    }

    [Fact]
    public void Decisions_hold_across_the_counter_wrap()
    {
        _time.Advance(TimeSpan.FromMicroseconds(uint.MaxValue - 100));
        var now = _clock.NowUs;
        Assert.Null(_scheduler.Check(unchecked(now + 1_000_000)));
        Assert.Equal(TxStatus.TooLate, _scheduler.Check(unchecked(now - 50))?.Status);
    }
}
