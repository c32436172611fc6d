using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Tests.Physics;

public class TimeOnAirTests
{
    // /work/shared/reference/lorawan-and-gwmp.md §5: LoRaWAN uplink (preamble 8, explicit header, CRC, 4/5), PL = 13 and 51.
    [Theory]
    [InlineData(7, 13, 46.3)]
    [InlineData(8, 13, 82.4)]
    [InlineData(9, 13, 164.9)]
    [InlineData(10, 13, 288.8)]
    [InlineData(11, 13, 577.5)]
    [InlineData(12, 13, 1155.1)]
    [InlineData(7, 51, 102.7)]
    [InlineData(12, 51, 2465.8)]
    public void Matches_reference_airtimes_at_125_kHz(int sf, int payload, double expectedMs)
    {
        var ms = TimeOnAir.Compute(new DataRate(sf, 125), payload).TotalMilliseconds;
        Assert.Equal(expectedMs, Math.Round(ms, 1));
    }

    [Fact]
    public void Us915_dr4_sf8_500khz_13_bytes_is_20_6_ms()
    {
        Assert.Equal(20.608, TimeOnAir.Compute(DataRate.Parse("SF8BW500"), 13).TotalMilliseconds, 3);
    }

    [Fact]
    public void Exact_symbol_counts_for_sf7_and_sf12()
    {
        var sf7 = TimeOnAir.Breakdown(new DataRate(7, 125), 13);
        Assert.Equal(TimeSpan.FromTicks(10240), sf7.SymbolTime);
        Assert.Equal(12.25, sf7.PreambleSymbols);
        Assert.Equal(33, sf7.PayloadSymbols);
        Assert.False(sf7.LowDataRateOptimized);
        Assert.Equal(46.336, sf7.TotalMilliseconds, 6);

        var sf12 = TimeOnAir.Breakdown(new DataRate(12, 125), 13);
        Assert.True(sf12.LowDataRateOptimized);
        Assert.Equal(23, sf12.PayloadSymbols);
        Assert.Equal(1155.072, sf12.TotalMilliseconds, 6);
    }

    [Fact]
    public void Low_data_rate_optimisation_is_automatic_only_above_16_ms_symbols()
    {
        Assert.True(TimeOnAir.Breakdown(new DataRate(11, 125), 10).LowDataRateOptimized);
        Assert.False(TimeOnAir.Breakdown(new DataRate(11, 250), 10).LowDataRateOptimized);
        Assert.False(TimeOnAir.Breakdown(new DataRate(12, 500), 10).LowDataRateOptimized);

        var forcedOff = TimeOnAir.Compute(new DataRate(12, 125), 51, new LoRaPacketShape { LowDataRateOptimization = LowDataRateOptimization.Off });
        var auto = TimeOnAir.Compute(new DataRate(12, 125), 51);
        Assert.True(forcedOff < auto);
    }

    [Fact]
    public void Coding_rate_header_and_crc_change_the_payload_symbols()
    {
        var dr = new DataRate(7, 250);
        Assert.Equal(75.904, TimeOnAir.Compute(dr, 51, new LoRaPacketShape { CodingRate = LoRaCodingRate.FourEighths }).TotalMilliseconds, 3);
        Assert.Equal(41.216, TimeOnAir.Compute(new DataRate(7, 125), 13, new LoRaPacketShape { ExplicitHeader = false }).TotalMilliseconds, 3);

        // SF12 at 13 bytes: removing the CRC does not cross a symbol block boundary.
        Assert.Equal(1155.072, TimeOnAir.Compute(new DataRate(12, 125), 13, LoRaPacketShape.LoRaWanDownlink).TotalMilliseconds, 3);
        Assert.True(TimeOnAir.Compute(new DataRate(7, 125), 20, LoRaPacketShape.LoRaWanDownlink) < TimeOnAir.Compute(new DataRate(7, 125), 20));
    }

    [Fact]
    public void Empty_payload_still_has_header_symbols()
    {
        Assert.Equal(25.856, TimeOnAir.Compute(new DataRate(7, 125), 0).TotalMilliseconds, 3);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void Rejects_spreading_factors_outside_the_formula_range(int sf)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => TimeOnAir.Compute(new DataRate(sf, 125), 10));
        Assert.Contains($"spreading factor {sf}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(256)]
    public void Rejects_payload_lengths_a_radio_cannot_send(int length)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => TimeOnAir.Compute(new DataRate(7, 125), length));
        Assert.Contains("payload length", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Coding_rate_text_round_trips_and_rejects_garbage()
    {
        foreach (var text in new[] { "4/5", "4/6", "4/7", "4/8" })
        {
            Assert.Equal(text, LoRaCodingRates.Parse(text).ToText());
        }

        Assert.Contains("4/9", Assert.Throws<ArgumentException>(() => LoRaCodingRates.Parse("4/9")).Message, StringComparison.Ordinal);
    }
}
