using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;

namespace DePin.Wireless.Core.Tests.Regions;

public class Eu868Tests
{
    private readonly RegionPlan plan = Eu868.Create();

    [Fact]
    public void Default_and_extra_channels()
    {
        Assert.Equal(new long[] { 868_100_000, 868_300_000, 868_500_000 }, plan.DefaultChannels.Select(c => c.Frequency.Value));
        Assert.Equal(plan.DefaultChannels, plan.JoinChannels);
        Assert.Equal(new long[] { 867_100_000, 867_300_000, 867_500_000, 867_700_000, 867_900_000 }, plan.ExtraChannels.Select(c => c.Frequency.Value));
        Assert.Equal(Enumerable.Range(0, 8), plan.EnabledUplinkChannels.Select(c => c.Index));
        Assert.All(plan.UplinkChannels, c => Assert.Equal((125, 0, 5), (c.BandwidthKhz, c.MinDataRate, c.MaxDataRate)));
        Assert.Equal(16, plan.MaxChannels);
        Assert.Empty(Eu868.Create(new RegionPlanOptions { ExtraChannels = [] }).ExtraChannels);
    }

    [Theory]
    [InlineData(0, "SF12BW125", 59)]
    [InlineData(1, "SF11BW125", 59)]
    [InlineData(2, "SF10BW125", 59)]
    [InlineData(3, "SF9BW125", 123)]
    [InlineData(4, "SF8BW125", 250)]
    [InlineData(5, "SF7BW125", 250)]
    [InlineData(6, "SF7BW250", 250)]
    public void LoRa_data_rates_and_max_payload(int dr, string lora, int m)
    {
        var row = plan.GetDataRate(dr);
        Assert.Equal(DataRate.Parse(lora), row.LoRa);
        Assert.True(row.Uplink && row.Downlink);
        Assert.Equal(m, plan.MaxPayload(dr).M);
        Assert.Equal(m - 8, plan.MaxPayload(dr).N);
        Assert.Equal(dr, plan.GetDataRateIndex(DataRate.Parse(lora)));
    }

    [Fact]
    public void Dr7_is_fsk_and_dr8_to_11_are_lr_fhss_uplink_only()
    {
        var fsk = plan.GetDataRate(7);
        Assert.Equal(ModulationKind.Fsk, fsk.Modulation);
        Assert.Equal(250, fsk.MaxPayload.M);
        Assert.Throws<InvalidOperationException>(() => fsk.RequireLoRa());
        Assert.Equal(new[] { 58, 123, 58, 123 }, Enumerable.Range(8, 4).Select(dr => plan.MaxPayload(dr).M));
        Assert.All(Enumerable.Range(8, 4), dr => Assert.Equal((ModulationKind.LrFhss, true, false), (plan.GetDataRate(dr).Modulation, plan.GetDataRate(dr).Uplink, plan.GetDataRate(dr).Downlink)));
        Assert.Throws<ArgumentException>(() => plan.MaxPayload(8, downlink: true));
    }

    [Fact]
    public void Rx1_uses_the_uplink_frequency_and_subtracts_the_offset_down_to_dr0()
    {
        Assert.Equal(new Hz(868_300_000), plan.Rx1Frequency(new Hz(868_300_000)));
        Assert.Equal(new Hz(867_700_000), plan.Rx1Frequency(new Hz(867_700_000)));
        Assert.Equal(5, plan.Rx1DataRate(5, 0));
        Assert.Equal(3, plan.Rx1DataRate(5, 2));
        Assert.Equal(0, plan.Rx1DataRate(5, 5));
        Assert.Equal(0, plan.Rx1DataRate(2, 4));
        Assert.Equal(4, plan.Rx1DataRate(6, 2));
        Assert.Equal(2, plan.Rx1DataRate(9, 0));
        Assert.Contains("RX1DROffset: 6 is not 0..5", Assert.Throws<ArgumentOutOfRangeException>(() => plan.Rx1DataRate(5, 6)).Message, StringComparison.Ordinal);
        Assert.Contains("not an uplink channel of EU868", Assert.Throws<ArgumentException>(() => plan.Rx1Frequency(new Hz(869_525_000))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rx2_power_and_tx_power_table()
    {
        Assert.Equal(new Hz(869_525_000), plan.Rx2Frequency);
        Assert.Equal(0, plan.Rx2DataRate);
        Assert.Equal(new Dbm(16), plan.MaxEirp);
        Assert.Equal(new[] { 16.0, 14, 12, 10, 8, 6, 4, 2 }, Enumerable.Range(0, 8).Select(i => plan.Eirp(i).Value));
        Assert.Contains("TXPower: index 8 is not 0..7", Assert.Throws<ArgumentOutOfRangeException>(() => plan.Eirp(8)).Message, StringComparison.Ordinal);
        Assert.Null(plan.UplinkDwellTime);
    }

    // Reference: 1 % in 868.0–868.6, 10 % in 869.4–869.65 (27 dBm ERP), 0.1 % in 863–865 and 868.7–869.2.
    [Theory]
    [InlineData(868_100_000, 0.01)]
    [InlineData(868_500_000, 0.01)]
    [InlineData(867_500_000, 0.01)]
    [InlineData(869_525_000, 0.1)]
    [InlineData(863_500_000, 0.001)]
    [InlineData(868_800_000, 0.001)]
    [InlineData(869_800_000, 0.01)]
    public void Duty_cycle_sub_bands(long hz, double limit) =>
        Assert.Equal(limit, plan.DutyCycleBandFor(new Hz(hz))!.DutyCycle);

    [Fact]
    public void P_band_allows_27_dbm_erp_and_gaps_have_no_band()
    {
        var p = plan.DutyCycleBandFor(new Hz(869_525_000))!;
        Assert.Equal(27.0, p.MaxEirp.Value - 2.15, 9);
        Assert.Null(plan.DutyCycleBandFor(new Hz(869_300_000)));
        Assert.Null(plan.DutyCycleBandFor(new Hz(868_650_000)));
    }

    [Fact]
    public void Cflist_for_the_common_extra_channels()
    {
        // 867.1 MHz = 8671000 × 100 Hz = 0x844F18, little-endian 18 4F 84; CFListType 0.
        Assert.Equal(Convert.FromHexString("184F84E85684B85E84886684586E8400"), plan.BuildCfList());
        Assert.Null(Eu868.Create(new RegionPlanOptions { ExtraChannels = [] }).BuildCfList());
    }

    [Fact]
    public void Extra_channel_validation()
    {
        Assert.Contains("outside", Assert.Throws<ArgumentException>(() => Eu868.Create(new RegionPlanOptions { ExtraChannels = [new Hz(915_000_000)] })).Message, StringComparison.Ordinal);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => Eu868.Create(new RegionPlanOptions { ExtraChannels = [new Hz(868_100_000)] })).Message, StringComparison.Ordinal);
        var tooMany = Enumerable.Range(0, 14).Select(i => new Hz(863_100_000 + (i * 200_000))).ToArray();
        Assert.Contains("exceed 16", Assert.Throws<ArgumentException>(() => Eu868.Create(new RegionPlanOptions { ExtraChannels = tooMany })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_data_rate_is_a_clear_error()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => plan.GetDataRate(12));
        Assert.Contains("DR12 is not defined in EU868", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SF8BW500 is not an uplink data rate of EU868", Assert.Throws<ArgumentException>(() => plan.GetDataRateIndex(DataRate.Parse("SF8BW500"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Linkadr_channel_masks_are_only_for_us_and_au()
    {
        Assert.Throws<InvalidOperationException>(() => plan.LinkAdrChannelMasks());
    }
}
