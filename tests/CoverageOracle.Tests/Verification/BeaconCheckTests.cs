using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.CoverageOracle.Tests.Verification;

/// <summary>The eight beacon checks, each passing and failing at its boundary (reference doc §1 "Beacon checks").</summary>
public class BeaconCheckTests
{
    private static readonly TimeSpan InWindow = TimeSpan.FromSeconds(30);

    private static PocScenario Healthy()
    {
        var s = new PocScenario();
        s.MakeReciprocal("beaconer");
        return s;
    }

    private static string? Verify(PocScenario s, BeaconIngest beacon) => s.Verifier().Verify(beacon, []).BeaconInvalidReason;

    [Fact]
    public void Correct_beacon_is_valid() => Assert.Null(Verify(Healthy(), Healthy().Beacon(InWindow)));

    [Fact]
    public void Unknown_beaconer_is_gateway_not_found()
    {
        var s = Healthy();
        s.Hotspots.Remove("beaconer");
        var beacon = new BeaconIngest("beaconer", PocScenario.EntropyTime + InWindow, [1, 2, 3, 4], s.Entropy.Data, new byte[51], 903_900_000, "SF9BW125", 27);
        Assert.Equal(InvalidReason.GatewayNotFound, Verify(s, beacon));
    }

    [Fact]
    public void Beaconer_without_location_is_not_asserted()
    {
        var s = Healthy();
        var beacon = s.Beacon(InWindow);
        s.Hotspots["beaconer"] = s.Hotspots["beaconer"] with { Location = null };
        Assert.Equal(InvalidReason.NotAsserted, Verify(s, beacon));
    }

    [Fact]
    public void Denied_beaconer_is_denied()
    {
        var s = Healthy();
        s.Denied.Add("beaconer");
        Assert.Equal(InvalidReason.Denied, Verify(s, s.Beacon(InWindow)));
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(180_000, null)] // ENTROPY_LIFESPAN = 180 s, inclusive
    [InlineData(180_001, InvalidReason.EntropyExpired)]
    [InlineData(-1, InvalidReason.EntropyExpired)] // before the entropy existed
    public void Entropy_is_valid_for_180_seconds(int afterMs, string? expected)
    {
        var s = Healthy();
        Assert.Equal(expected, Verify(s, s.Beacon(TimeSpan.FromMilliseconds(afterMs))));
    }

    [Fact]
    public void Unknown_entropy_is_entropy_expired()
    {
        var s = Healthy();
        var beacon = s.Beacon(InWindow);
        s.Entropies.Clear();
        Assert.Equal(InvalidReason.EntropyExpired, Verify(s, beacon));
    }

    [Fact]
    public void Data_only_beaconer_is_invalid_capability()
    {
        var s = Healthy();
        s.Hotspots["beaconer"] = s.Hotspots["beaconer"] with { Capability = HotspotCapability.DataOnly };
        Assert.Equal(InvalidReason.InvalidCapability, Verify(s, s.Beacon(InWindow)));
    }

    [Fact]
    public void Second_beacon_in_the_same_six_hour_bucket_is_irregular_interval()
    {
        var s = Healthy();
        s.History.RecordBeaconBucket("beaconer", BeaconChecks.Bucket(PocScenario.EntropyTime, s.Options.BeaconInterval));
        Assert.Equal(InvalidReason.IrregularInterval, Verify(s, s.Beacon(InWindow)));
    }

    [Fact]
    public void Beacon_in_the_next_bucket_is_regular()
    {
        var s = Healthy();
        s.History.RecordBeaconBucket("beaconer", BeaconChecks.Bucket(PocScenario.EntropyTime, s.Options.BeaconInterval) - s.Options.BeaconInterval);
        Assert.Null(Verify(s, s.Beacon(InWindow)));
    }

    [Fact]
    public void Tampered_payload_is_invalid_packet()
    {
        var s = Healthy();
        var beacon = s.Beacon(InWindow);
        var data = (byte[])beacon.Data.Clone();
        data[^1] ^= 1;
        Assert.Equal(InvalidReason.InvalidPacket, Verify(s, beacon with { Data = data }));
    }

    [Fact]
    public void Other_channel_is_invalid_packet()
    {
        var s = Healthy();
        var beacon = s.Beacon(InWindow);
        Assert.Equal(InvalidReason.InvalidPacket, Verify(s, beacon with { FrequencyHz = beacon.FrequencyHz + 200_000 }));
    }

    [Fact]
    public void Other_data_rate_is_invalid_packet()
    {
        var s = Healthy();
        Assert.Equal(InvalidReason.InvalidPacket, Verify(s, s.Beacon(InWindow) with { DataRate = "SF12BW125" }));
    }

    [Fact]
    public void Other_local_entropy_is_invalid_packet()
    {
        var s = Healthy();
        Assert.Equal(InvalidReason.InvalidPacket, Verify(s, s.Beacon(InWindow) with { LocalEntropy = [9, 9, 9, 9] }));
    }

    [Fact]
    public void Tx_power_is_not_checked_as_in_helium()
    {
        var s = Healthy();
        Assert.Null(Verify(s, s.Beacon(InWindow) with { TxPowerDbm = 10 }));
    }

    [Theory]
    [InlineData(0, null)] // last valid witness exactly 48 h before: still reciprocal
    [InlineData(1, InvalidReason.GatewayNoValidWitnesses)]
    public void Beaconer_must_have_witnessed_in_the_last_48_hours(int extraMs, string? expected)
    {
        var s = new PocScenario();
        var beacon = s.Beacon(InWindow);
        s.History.RecordValidWitness("beaconer", beacon.Received - TimeSpan.FromHours(48) - TimeSpan.FromMilliseconds(extraMs));
        Assert.Equal(expected, Verify(s, beacon));
    }

    [Fact]
    public void Beaconer_that_never_witnessed_has_no_valid_witnesses() =>
        Assert.Equal(InvalidReason.GatewayNoValidWitnesses, Verify(new PocScenario(), new PocScenario().Beacon(InWindow)));

    [Fact]
    public void Failed_beacon_fails_all_its_witnesses_with_its_reason_and_drops_self_witness()
    {
        var s = Healthy();
        s.Denied.Add("beaconer");
        s.AddHotspot("w", PocScenario.At(90, 2000));
        var beacon = s.Beacon(InWindow);
        var result = s.Verifier().Verify(beacon, [PocScenario.Witness(beacon, "w", TimeSpan.FromMilliseconds(10)), PocScenario.Witness(beacon, "beaconer", TimeSpan.Zero)]);
        var only = Assert.Single(result.Witnesses);
        Assert.Equal(("w", InvalidReason.Denied, false), (only.Report.HotspotId, only.InvalidReason, only.Selected));
    }
}
