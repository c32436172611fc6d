using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;

namespace DePin.Wireless.Core.Tests.Regions;

public class AsiaRegionTests
{
    [Fact]
    public void As923_1_channels_rx2_power_and_payloads()
    {
        var plan = RegionPlans.Get("AS923-1");
        Assert.Equal(new long[] { 923_200_000, 923_400_000 }, plan.DefaultChannels.Select(c => c.Frequency.Value));
        Assert.Equal((new Hz(923_200_000), 2), (plan.Rx2Frequency, plan.Rx2DataRate));
        Assert.Equal(new Dbm(16), plan.MaxEirp);
        Assert.Equal(8, plan.TxPowerOffsetsDb.Count);
        Assert.Equal(new Hz(923_400_000), plan.Rx1Frequency(new Hz(923_400_000)));
        Assert.Equal("SF7BW250", plan.GetDataRate(6).LoRa.ToString());
        Assert.Equal(ModulationKind.Fsk, plan.GetDataRate(7).Modulation);

        // Dwell time on (default): DR0/1 not allowed, DR2 19, DR3 61, DR4 133, DR5–7 250.
        Assert.Equal(TimeSpan.FromMilliseconds(400), plan.UplinkDwellTime);
        Assert.Equal(new[] { 0, 0, 19, 61, 133, 250, 250, 250 }, Enumerable.Range(0, 8).Select(dr => plan.MaxPayload(dr).M));
        Assert.Equal(new[] { 0, 0, 19, 61, 133, 250, 250, 250 }, Enumerable.Range(0, 8).Select(dr => plan.MaxPayload(dr, downlink: true).M));

        var free = As923Group1.Create(new RegionPlanOptions { UplinkDwellTime = false, DownlinkDwellTime = false });
        Assert.Equal(new[] { 59, 59, 123, 123, 250, 250, 250, 250 }, Enumerable.Range(0, 8).Select(dr => free.MaxPayload(dr).M));
    }

    [Fact]
    public void As923_rx1_uses_effective_offsets_and_min_dr_under_downlink_dwell()
    {
        var dwell = As923Group1.Create();
        var free = As923Group1.Create(new RegionPlanOptions { DownlinkDwellTime = false });

        // Effective offsets [0,1,2,3,4,5,−1,−2]; results clamp to [MinDR, 7].
        Assert.Equal(new[] { 5, 4, 3, 2, 1, 0, 6, 7 }, Enumerable.Range(0, 8).Select(o => free.Rx1DataRate(5, o)));
        Assert.Equal(new[] { 5, 4, 3, 2, 2, 2, 6, 7 }, Enumerable.Range(0, 8).Select(o => dwell.Rx1DataRate(5, o)));
        Assert.Equal(new[] { 2, 2, 2, 2, 2, 2, 2, 3 }, Enumerable.Range(0, 8).Select(o => dwell.Rx1DataRate(1, o)));
        Assert.Equal(7, free.Rx1DataRate(7, 7));
    }

    [Fact]
    public void Kr920_plan()
    {
        var plan = RegionPlans.Get("KR920");
        Assert.Equal(new long[] { 922_100_000, 922_300_000, 922_500_000 }, plan.DefaultChannels.Select(c => c.Frequency.Value));
        Assert.Equal((new Hz(921_900_000), 0), (plan.Rx2Frequency, plan.Rx2DataRate));
        Assert.Equal(new Dbm(14), plan.MaxEirp);
        Assert.Equal(new[] { 59, 59, 59, 123, 250, 250 }, Enumerable.Range(0, 6).Select(dr => plan.MaxPayload(dr).M));
        Assert.Equal(new[] { 5, 4, 3, 2, 1, 0 }, Enumerable.Range(0, 6).Select(o => plan.Rx1DataRate(5, o)));
        Assert.Throws<ArgumentOutOfRangeException>(() => plan.GetDataRate(6));
    }

    [Fact]
    public void In865_plan()
    {
        var plan = RegionPlans.Get("IN865");
        Assert.Equal(new long[] { 865_062_500, 865_402_500, 865_985_000 }, plan.DefaultChannels.Select(c => c.Frequency.Value));
        Assert.Equal((new Hz(866_550_000), 2), (plan.Rx2Frequency, plan.Rx2DataRate));
        Assert.Equal(new Dbm(30), plan.MaxEirp);
        Assert.Equal(11, plan.TxPowerOffsetsDb.Count);
        Assert.Equal(10.0, plan.Eirp(10).Value);
        Assert.Equal(new[] { 59, 59, 59, 123, 250, 250 }, Enumerable.Range(0, 6).Select(dr => plan.MaxPayload(dr).M));
        Assert.Throws<ArgumentOutOfRangeException>(() => plan.GetDataRate(6));

        // DR6 is RFU in IN865, so offset 6 (effective −1) from DR5 lands on DR5; offset 7 (−2) reaches FSK DR7.
        Assert.Equal(new[] { 5, 4, 3, 2, 1, 0, 5, 7 }, Enumerable.Range(0, 8).Select(o => plan.Rx1DataRate(5, o)));
    }

    [Fact]
    public void Eu_like_cflist_lists_extra_channels()
    {
        var plan = Kr920.Create(new RegionPlanOptions { ExtraChannels = [new Hz(922_700_000), new Hz(922_900_000)] });
        var cf = plan.BuildCfList()!;
        Assert.Equal(CfListType.Frequencies, CfList.TypeOf(cf));
        Assert.Equal(new[] { new Hz(922_700_000), new Hz(922_900_000) }, CfList.ReadFrequencies(cf));
        Assert.Equal(new[] { 3, 4 }, plan.ExtraChannels.Select(c => c.Index));
    }
}
