using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;

namespace DePin.Wireless.Core.Tests.Regions;

public class Us915Au915Tests
{
    private readonly RegionPlan us = Us915.Create();

    [Fact]
    public void Us915_defines_64_narrow_and_8_wide_uplink_channels()
    {
        Assert.Equal(72, us.UplinkChannels.Count);
        for (var n = 0; n < 64; n++)
        {
            Assert.Equal(new RadioChannel(n, new Hz(902_300_000 + (200_000L * n)), 125, 0, 3), us.UplinkChannels[n]);
        }

        for (var n = 0; n < 8; n++)
        {
            Assert.Equal(new RadioChannel(64 + n, new Hz(903_000_000 + (1_600_000L * n)), 500, 4, 4), us.UplinkChannels[64 + n]);
            Assert.Equal(new Hz(923_300_000 + (600_000L * n)), us.DownlinkChannels[n].Frequency);
        }

        Assert.Equal(new Hz(914_900_000), us.UplinkChannels[63].Frequency);
        Assert.Equal(new Hz(914_200_000), us.UplinkChannels[71].Frequency);
    }

    [Theory]
    [InlineData(1, 902_300_000, 903_000_000)]
    [InlineData(2, 903_900_000, 904_600_000)]
    [InlineData(8, 913_500_000, 914_200_000)]
    public void Us915_sub_band_selection(int subBand, long firstNarrow, long wide)
    {
        var plan = Us915.Create(new RegionPlanOptions { SubBand = subBand });
        Assert.Equal(subBand, plan.SubBand);
        Assert.Equal(9, plan.EnabledUplinkChannels.Count);
        var narrow = plan.EnabledUplinkChannels.Take(8).ToArray();
        Assert.Equal(Enumerable.Range(0, 8).Select(i => firstNarrow + (200_000L * i)), narrow.Select(c => c.Frequency.Value));
        Assert.Equal(Enumerable.Range(8 * (subBand - 1), 8), narrow.Select(c => c.Index));
        Assert.Equal(new Hz(wide), plan.EnabledUplinkChannels[8].Frequency);
        Assert.Equal(64 + subBand - 1, plan.EnabledUplinkChannels[8].Index);
        Assert.Equal(plan.EnabledUplinkChannels, plan.JoinChannels);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void Sub_band_out_of_range_is_rejected(int subBand)
    {
        Assert.Contains($"sub-band {subBand} is not 1..8", Assert.Throws<ArgumentOutOfRangeException>(() => Us915.Create(new RegionPlanOptions { SubBand = subBand })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Au915.Create(new RegionPlanOptions { SubBand = subBand }));
    }

    [Theory]
    [InlineData(0, "SF10BW125", true, 19)]
    [InlineData(1, "SF9BW125", true, 61)]
    [InlineData(2, "SF8BW125", true, 133)]
    [InlineData(3, "SF7BW125", true, 250)]
    [InlineData(4, "SF8BW500", true, 250)]
    [InlineData(8, "SF12BW500", false, 61)]
    [InlineData(9, "SF11BW500", false, 137)]
    [InlineData(10, "SF10BW500", false, 250)]
    [InlineData(11, "SF9BW500", false, 250)]
    [InlineData(12, "SF8BW500", false, 250)]
    [InlineData(13, "SF7BW500", false, 250)]
    public void Us915_data_rates_and_max_payload(int dr, string lora, bool uplink, int m)
    {
        var row = us.GetDataRate(dr);
        Assert.Equal(DataRate.Parse(lora), row.LoRa);
        Assert.Equal(uplink, row.Uplink);
        Assert.Equal(!uplink, row.Downlink);
        Assert.Equal(m, us.MaxPayload(dr, downlink: !uplink).M);
        Assert.Equal(dr, us.GetDataRateIndex(DataRate.Parse(lora), downlink: !uplink));
    }

    [Fact]
    public void Us915_lr_fhss_and_rfu_rows()
    {
        Assert.Equal(ModulationKind.LrFhss, us.GetDataRate(5).Modulation);
        Assert.Equal(58, us.MaxPayload(5).M);
        Assert.Equal(133, us.MaxPayload(6).M);
        Assert.Throws<ArgumentOutOfRangeException>(() => us.GetDataRate(7));
        Assert.Throws<ArgumentException>(() => us.MaxPayload(8));
    }

    [Fact]
    public void Us915_rx1_channel_is_uplink_channel_mod_8()
    {
        Assert.Equal(new Hz(927_500_000), us.Rx1Frequency(new Hz(914_900_000))); // ch63 → 7
        Assert.Equal(new Hz(923_300_000), us.Rx1Frequency(new Hz(903_000_000))); // ch64 → 0
        Assert.Equal(new Hz(923_900_000), us.Rx1Frequency(new Hz(904_100_000))); // ch9 → 1
        Assert.Equal(new Hz(923_900_000), us.Rx1Frequency(new Hz(904_600_000))); // ch65 → 1
    }

    [Theory]
    [InlineData(0, new[] { 10, 9, 8, 8 })]
    [InlineData(1, new[] { 11, 10, 9, 8 })]
    [InlineData(2, new[] { 12, 11, 10, 9 })]
    [InlineData(3, new[] { 13, 12, 11, 10 })]
    [InlineData(4, new[] { 13, 13, 12, 11 })]
    public void Us915_rx1_data_rate_table(int up, int[] byOffset)
    {
        Assert.Equal(byOffset, Enumerable.Range(0, 4).Select(o => us.Rx1DataRate(up, o)));
        Assert.Throws<ArgumentOutOfRangeException>(() => us.Rx1DataRate(up, 4));
    }

    [Fact]
    public void Us915_rx2_power_dwell_and_no_duty_cycle()
    {
        Assert.Equal((new Hz(923_300_000), 8), (us.Rx2Frequency, us.Rx2DataRate));
        Assert.Equal(new Dbm(30), us.MaxEirp);
        Assert.Equal(15, us.TxPowerOffsetsDb.Count);
        Assert.Equal(2.0, us.Eirp(14).Value);
        Assert.Equal(TimeSpan.FromMilliseconds(400), us.UplinkDwellTime);
        Assert.Empty(us.DutyCycleBands);
        Assert.Throws<ArgumentException>(() => us.Rx1DataRate(8, 0));

        // DR0's 19-byte MACPayload (24-byte PHYPayload) fits the 400 ms FCC dwell limit; a 61-byte one would not.
        Assert.True(us.FitsUplinkDwellTime(0, us.MaxPayload(0).MaxPhyPayloadBytes));
        Assert.False(us.FitsUplinkDwellTime(0, 66));
    }

    [Fact]
    public void Us915_cflist_is_the_sub_band_channel_mask()
    {
        // Sub-band 2: ChMask0 = 0xFF00 (channels 8..15), ChMask4 = 0x0002 (channel 65), CFListType 1.
        Assert.Equal(Convert.FromHexString("00FF0000000000000200000000000001"), us.BuildCfList());
        var mask = CfList.ReadChannelMask(us.BuildCfList());
        Assert.Equal(Enumerable.Range(8, 8).Append(65), mask.EnabledChannels());
    }

    [Fact]
    public void Us915_linkadr_masks_select_the_sub_band()
    {
        Assert.Equal(new[] { new LinkAdrChannelMask(7, 0x0002), new LinkAdrChannelMask(0, 0xFF00) }, us.LinkAdrChannelMasks());
        var sb7 = Us915.Create(new RegionPlanOptions { SubBand = 7 });
        Assert.Equal(new[] { new LinkAdrChannelMask(7, 0x0040), new LinkAdrChannelMask(3, 0x00FF) }, sb7.LinkAdrChannelMasks());
        Assert.Equal(sb7.EnabledChannelMask(), ChannelMask72.All.Apply(sb7.LinkAdrChannelMasks()));
    }

    [Fact]
    public void Au915_channels_data_rates_and_dwell_columns()
    {
        var au = Au915.Create();
        Assert.Equal(new Hz(915_200_000), au.UplinkChannels[0].Frequency);
        Assert.Equal(new Hz(927_800_000), au.UplinkChannels[63].Frequency);
        Assert.Equal(new Hz(915_900_000), au.UplinkChannels[64].Frequency);
        Assert.Equal(new Hz(927_100_000), au.UplinkChannels[71].Frequency);
        Assert.Equal(new[] { 916_800_000L, 917_000_000, 917_200_000, 917_400_000, 917_600_000, 917_800_000, 918_000_000, 918_200_000, 917_500_000 }, au.EnabledUplinkChannels.Select(c => c.Frequency.Value));
        Assert.Equal("SF12BW125", au.GetDataRate(0).LoRa.ToString());
        Assert.Equal("SF8BW500", au.GetDataRate(6).LoRa.ToString());
        Assert.Equal("SF7BW500", au.GetDataRate(13).LoRa.ToString());

        // UplinkDwellTime = 1 by default: DR0/1 not allowed, DR2 19, DR3 61, DR4 133.
        Assert.Equal(TimeSpan.FromMilliseconds(400), au.UplinkDwellTime);
        Assert.Equal(new[] { 0, 0, 19, 61, 133, 250, 250 }, Enumerable.Range(0, 7).Select(dr => au.MaxPayload(dr).M));
        Assert.False(au.MaxPayload(0).IsAllowed);
        Assert.Equal(new[] { 2, 6 }, au.JoinDataRates);

        var noDwell = Au915.Create(new RegionPlanOptions { UplinkDwellTime = false });
        Assert.Null(noDwell.UplinkDwellTime);
        Assert.Equal(new[] { 59, 59, 59, 123, 250, 250, 250 }, Enumerable.Range(0, 7).Select(dr => noDwell.MaxPayload(dr).M));
        Assert.Equal(new[] { 61, 137, 250, 250, 250, 250 }, Enumerable.Range(8, 6).Select(dr => noDwell.MaxPayload(dr, downlink: true).M));
    }

    [Fact]
    public void Au915_rx1_rx2_and_power()
    {
        var au = Au915.Create();
        Assert.Equal(new[] { 8, 8, 8, 8, 8, 8 }, Enumerable.Range(0, 6).Select(o => au.Rx1DataRate(0, o)));
        Assert.Equal(new[] { 13, 12, 11, 10, 9, 8 }, Enumerable.Range(0, 6).Select(o => au.Rx1DataRate(5, o)));
        Assert.Equal(new[] { 13, 13, 12, 11, 10, 9 }, Enumerable.Range(0, 6).Select(o => au.Rx1DataRate(6, o)));
        Assert.Equal(new Hz(923_300_000), au.Rx1Frequency(new Hz(915_900_000)));
        Assert.Equal((new Hz(923_300_000), 8), (au.Rx2Frequency, au.Rx2DataRate));
        Assert.Equal(new Dbm(30), au.MaxEirp);
        Assert.Equal(15, au.TxPowerOffsetsDb.Count);
        Assert.Equal(new[] { new LinkAdrChannelMask(7, 0x0002), new LinkAdrChannelMask(0, 0xFF00) }, au.LinkAdrChannelMasks());
    }
}
