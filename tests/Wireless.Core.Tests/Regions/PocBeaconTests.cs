using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;

namespace DePin.Wireless.Core.Tests.Regions;

public class PocBeaconTests
{
    // Helium reference (helium-poc-and-data-credits.md, "Beacon construction"): US915 → SF9BW125, EU868 → SF12BW125.
    [Theory]
    [InlineData("US915", "SF9BW125", 1)]
    [InlineData("EU868", "SF12BW125", 0)]
    [InlineData("AU915", "SF9BW125", 3)]
    [InlineData("AS923-1", "SF9BW125", 3)]
    [InlineData("KR920", "SF12BW125", 0)]
    [InlineData("IN865", "SF12BW125", 0)]
    public void Beacon_data_rate_per_region(string region, string expected, int dr)
    {
        var beacon = RegionPlans.Get(region).PocBeacon();
        Assert.Equal(DataRate.Parse(expected), beacon.DataRate);
        Assert.Equal(dr, beacon.DataRateIndex);
        Assert.Equal(52, beacon.PhyPayloadBytes);
    }

    [Fact]
    public void Us915_beacon_uses_the_eight_narrow_channels_of_the_sub_band_within_dwell()
    {
        var beacon = Us915.Create().PocBeacon();
        Assert.Equal(Enumerable.Range(0, 8).Select(i => new Hz(903_900_000 + (200_000L * i))), beacon.Channels);
        Assert.Equal(328.704, beacon.Airtime.TotalMilliseconds, 3);
        Assert.True(beacon.Airtime <= TimeSpan.FromMilliseconds(400));
        Assert.Equal(new Dbm(30), beacon.MaxEirp);
    }

    [Fact]
    public void Channel_choice_is_u16_le_of_the_first_payload_bytes_mod_channel_count()
    {
        var beacon = Eu868.Create().PocBeacon();
        Assert.Equal(8, beacon.Channels.Count);
        Assert.Equal(new Hz(868_100_000), beacon.ChannelFor([0x00, 0x00, 0xAA]));
        Assert.Equal(new Hz(867_300_000), beacon.ChannelFor([0x04, 0x01])); // 0x0104 = 260, 260 % 8 = 4 → 5th channel
        Assert.Equal(new Hz(867_900_000), beacon.ChannelFor([0xFF, 0xFF])); // 65535 % 8 = 7
        Assert.Throws<ArgumentException>(() => beacon.ChannelFor([0x01]));
    }

    [Fact]
    public void Without_dwell_as923_beacons_at_sf12_and_payload_size_moves_the_rate()
    {
        var plan = As923Group1.Create(new RegionPlanOptions { UplinkDwellTime = false, DownlinkDwellTime = false });
        Assert.Equal(DataRate.Parse("SF12BW125"), plan.PocBeacon().DataRate);
        Assert.Equal(DataRate.Parse("SF8BW125"), plan.PocBeacon(200).DataRate);
        Assert.Throws<ArgumentOutOfRangeException>(() => plan.PocBeacon(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => plan.PocBeacon(243));

        // The largest application payload still finds a rate: SF7BW125 (N = 242) whose 379 ms airtime meets the US915 dwell limit.
        Assert.Equal(DataRate.Parse("SF7BW125"), Us915.Create().PocBeacon(242).DataRate);
    }
}
