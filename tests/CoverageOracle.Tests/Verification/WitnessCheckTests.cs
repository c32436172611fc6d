using DePin.Wireless.Core.H3;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.CoverageOracle.Tests.Verification;

/// <summary>The fourteen witness checks, each passing and failing at its boundary (reference doc §1 "Witness checks").</summary>
public class WitnessCheckTests
{
    private static readonly TimeSpan InWindow = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Lag = TimeSpan.FromMilliseconds(200);

    /// <summary>A healthy beaconer and a witness "w" 2 km east, both with reciprocity history.</summary>
    private static (PocScenario S, BeaconIngest Beacon) Healthy(double witnessMeters = 2000)
    {
        var s = new PocScenario();
        s.AddHotspot("w", PocScenario.At(90, witnessMeters));
        s.MakeReciprocal("beaconer", "w");
        return (s, s.Beacon(InWindow));
    }

    private static VerifiedWitness VerifyOne(PocScenario s, BeaconIngest beacon, WitnessIngest witness)
    {
        var result = s.Verifier().Verify(beacon, [witness]);
        Assert.True(result.BeaconValid, result.BeaconInvalidReason);
        return Assert.Single(result.Witnesses);
    }

    private static string? Reason(PocScenario s, BeaconIngest beacon, WitnessIngest witness) => VerifyOne(s, beacon, witness).InvalidReason;

    [Fact]
    public void Healthy_witness_is_valid_and_selected()
    {
        var (s, beacon) = Healthy();
        var v = VerifyOne(s, beacon, PocScenario.Witness(beacon, "w", Lag));
        Assert.True(v.IsValid && v.Selected);
    }

    [Fact]
    public void Unknown_witness_is_gateway_not_found()
    {
        var (s, beacon) = Healthy();
        Assert.Equal(InvalidReason.GatewayNotFound, Reason(s, beacon, PocScenario.Witness(beacon, "nobody", Lag)));
    }

    [Fact]
    public void Witness_without_location_is_not_asserted()
    {
        var (s, beacon) = Healthy();
        s.Hotspots["w"] = s.Hotspots["w"] with { Location = null };
        Assert.Equal(InvalidReason.NotAsserted, Reason(s, beacon, PocScenario.Witness(beacon, "w", Lag)));
    }

    [Fact]
    public void Denied_witness_is_denied()
    {
        var (s, beacon) = Healthy();
        s.Denied.Add("w");
        Assert.Equal(InvalidReason.Denied, Reason(s, beacon, PocScenario.Witness(beacon, "w", Lag)));
    }

    [Fact]
    public void Denied_edge_is_denied_edge_in_either_direction()
    {
        var (s, beacon) = Healthy();
        s.DeniedEdges.Add(("w", "beaconer"));
        Assert.Equal(InvalidReason.DeniedEdge, Reason(s, beacon, PocScenario.Witness(beacon, "w", Lag)));
    }

    [Fact]
    public void Self_witness_is_dropped_not_reported()
    {
        var (s, beacon) = Healthy();
        var result = s.Verifier().Verify(beacon, [PocScenario.Witness(beacon, "beaconer", Lag), PocScenario.Witness(beacon, "w", Lag)]);
        Assert.Equal("w", Assert.Single(result.Witnesses).Report.HotspotId);
    }

    [Theory]
    [InlineData(180_000 - 30_000, null)] // received exactly at the end of the 180 s lifespan
    [InlineData(180_001 - 30_000, InvalidReason.EntropyExpired)]
    public void Witness_must_arrive_within_the_entropy_lifespan(int afterBeaconMs, string? expected)
    {
        var (s, beacon) = Healthy();
        // Keep the lag check out of the way: this test is about the entropy window only.
        var options = s.Options with { MaxLagAfterBeacon = TimeSpan.FromMinutes(10) };
        var verifier = new PocVerifier(options, s, s.Regenerator, s.Geometry, s.History);
        var v = Assert.Single(verifier.Verify(beacon, [PocScenario.Witness(beacon, "w", TimeSpan.FromMilliseconds(afterBeaconMs))]).Witnesses);
        Assert.Equal(expected, v.InvalidReason);
    }

    [Theory]
    [InlineData(4000, null)]
    [InlineData(4001, InvalidReason.TooLate)]
    public void Witness_may_arrive_at_most_4000_ms_after_the_beacon(int lagMs, string? expected)
    {
        var (s, beacon) = Healthy();
        Assert.Equal(expected, Reason(s, beacon, PocScenario.Witness(beacon, "w", TimeSpan.FromMilliseconds(lagMs))));
    }

    [Fact]
    public void Witnesses_before_the_beacon_may_trail_the_first_witness_by_1500_ms()
    {
        var (s, beacon) = Healthy();
        s.AddHotspot("w2", PocScenario.At(180, 2000));
        s.AddHotspot("w3", PocScenario.At(270, 2000));
        s.MakeReciprocal("w2", "w3");
        var first = PocScenario.Witness(beacon, "w", TimeSpan.FromMilliseconds(-3000));
        var atLimit = PocScenario.Witness(beacon, "w2", TimeSpan.FromMilliseconds(-1500)); // 1500 ms after the first
        var over = PocScenario.Witness(beacon, "w3", TimeSpan.FromMilliseconds(-1499)); // 1501 ms after the first
        var result = s.Verifier().Verify(beacon, [over, first, atLimit]);
        var reasons = result.Witnesses.ToDictionary(w => w.Report.HotspotId, w => w.InvalidReason);
        Assert.Null(reasons["w"]);
        Assert.Null(reasons["w2"]);
        Assert.Equal(InvalidReason.TooLate, reasons["w3"]);
    }

    [Fact]
    public void Witness_of_other_data_is_invalid_packet()
    {
        var (s, beacon) = Healthy();
        var data = (byte[])beacon.Data.Clone();
        data[0] ^= 0xFF;
        Assert.Equal(InvalidReason.InvalidPacket, Reason(s, beacon, PocScenario.Witness(beacon, "w", Lag) with { Data = data }));
    }

    [Fact]
    public void Data_only_witness_is_invalid_capability()
    {
        var (s, beacon) = Healthy();
        s.Hotspots["w"] = s.Hotspots["w"] with { Capability = HotspotCapability.DataOnly };
        Assert.Equal(InvalidReason.InvalidCapability, Reason(s, beacon, PocScenario.Witness(beacon, "w", Lag)));
    }

    [Theory]
    [InlineData(100_000, null)]
    [InlineData(-100_000, null)]
    [InlineData(100_001, InvalidReason.InvalidFrequency)]
    [InlineData(-100_001, InvalidReason.InvalidFrequency)]
    public void Witness_frequency_may_differ_by_at_most_100_kHz(long deltaHz, string? expected)
    {
        var (s, beacon) = Healthy();
        Assert.Equal(expected, Reason(s, beacon, PocScenario.Witness(beacon, "w", Lag, frequencyHz: beacon.FrequencyHz + deltaHz)));
    }

    [Fact]
    public void Witness_in_another_region_is_invalid_region()
    {
        var (s, beacon) = Healthy();
        s.Hotspots["w"] = s.Hotspots["w"] with { Region = "AU915" };
        Assert.Equal(InvalidReason.InvalidRegion, Reason(s, beacon, PocScenario.Witness(beacon, "w", Lag)));
    }

    [Fact]
    public void Witness_7_res11_cells_away_is_below_min_distance_and_8_cells_away_is_not()
    {
        // Walk east in 5 m steps and stop at the first point whose res-11 parent is 8 cells from the beaconer's.
        var beaconerCell = H3Grid.CellToParent(new H3Cell(PocScenario.Cell(PocScenario.Origin)), 11);
        double? justInside = null, atEight = null;
        for (var m = 200.0; m < 800 && atEight is null; m += 5)
        {
            var cell = H3Grid.CellToParent(new H3Cell(PocScenario.Cell(PocScenario.At(90, m))), 11);
            var d = H3Grid.GridDistance(beaconerCell, cell);
            if (d == 7)
            {
                justInside = m;
            }
            else if (d == 8)
            {
                atEight = m;
            }
        }

        Assert.NotNull(justInside);
        Assert.NotNull(atEight);
        var (near, beacon) = Healthy(justInside!.Value);
        Assert.Equal(InvalidReason.BelowMinDistance, Reason(near, beacon, PocScenario.Witness(beacon, "w", Lag, signalDeciDbm: -1200)));
        var (far, beacon2) = Healthy(atEight!.Value);
        Assert.Null(Reason(far, beacon2, PocScenario.Witness(beacon2, "w", Lag, signalDeciDbm: -1200)));
    }

    [Theory]
    [InlineData(99_950, null)]
    [InlineData(100_050, InvalidReason.MaxDistanceExceeded)]
    public void Witness_more_than_100_km_away_is_max_distance_exceeded(double meters, string? expected)
    {
        var (s, beacon) = Healthy(meters);
        var centres = s.Geometry.CenterDistanceMeters(s.Hotspots["beaconer"].Location!.Value, s.Hotspots["w"].Location!.Value);
        Assert.Equal(meters > 100_000, centres > 100_000); // res-12 centres are within ~10 m of the points
        Assert.Equal(expected, Reason(s, beacon, PocScenario.Witness(beacon, "w", Lag, signalDeciDbm: -1400)));
    }

    [Fact]
    public void Free_space_ceiling_matches_the_reference_example()
    {
        // Reference doc §1: 905 MHz, 27 dBm, 3 dBi at each end: −58.6 dBm at 1 km, −50.6 dBm at 400 m.
        static double Ceiling(double meters) => 27 + 3 - WitnessChecks.FreeSpacePathLossDb(meters, 905e6, 2.998e8) + 3;
        Assert.Equal(-58.6, Ceiling(1000), 1);
        Assert.Equal(-50.6, Ceiling(400), 1);
    }

    [Fact]
    public void Rssi_one_tenth_dB_over_the_free_space_ceiling_is_bad_rssi()
    {
        var (s, beacon) = Healthy(1000);
        var meters = s.Geometry.CenterDistanceMeters(s.Hotspots["beaconer"].Location!.Value, s.Hotspots["w"].Location!.Value);
        // 27 dBm + ⌊3.0 dBi⌋ − FSPL(d, f) + ⌊3.0 dBi⌋, with Helium's c = 2.998e8 m/s.
        var fspl = 20 * Math.Log10(4 * Math.PI * meters * beacon.FrequencyHz / 2.998e8);
        var ceilingDeciDbm = (27 + 3 - fspl + 3) * 10;
        var atCeiling = (int)Math.Floor(ceilingDeciDbm);
        Assert.Null(Reason(s, beacon, PocScenario.Witness(beacon, "w", Lag, signalDeciDbm: atCeiling)));
        var (s2, beacon2) = Healthy(1000);
        Assert.Equal(InvalidReason.BadRssi, Reason(s2, beacon2, PocScenario.Witness(beacon2, "w", Lag, signalDeciDbm: atCeiling + 1)));
    }

    [Fact]
    public void Antenna_gains_are_truncated_to_whole_dB()
    {
        var (s, beacon) = Healthy(1000);
        var meters = s.Geometry.CenterDistanceMeters(s.Hotspots["beaconer"].Location!.Value, s.Hotspots["w"].Location!.Value);
        var atCeiling = (int)Math.Floor((27 + 3 - WitnessChecks.FreeSpacePathLossDb(meters, beacon.FrequencyHz, 2.998e8) + 3) * 10);
        // 3.9 dBi counts as 3 dBi: the signal at the 3 dBi ceiling still passes, one tenth above still fails.
        s.Hotspots["w"] = s.Hotspots["w"] with { GainDeciDbi = 39 };
        Assert.Equal(InvalidReason.BadRssi, Reason(s, beacon, PocScenario.Witness(beacon, "w", Lag, signalDeciDbm: atCeiling + 1)));
    }

    [Fact]
    public void Second_report_by_the_same_witness_is_duplicate()
    {
        var (s, beacon) = Healthy();
        var result = s.Verifier().Verify(beacon, [PocScenario.Witness(beacon, "w", Lag), PocScenario.Witness(beacon, "w", Lag * 2)]);
        Assert.Equal([null, InvalidReason.Duplicate], result.Witnesses.Select(w => w.InvalidReason));
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(1, InvalidReason.GatewayNoValidBeacons)]
    public void Witness_must_have_a_witnessed_beacon_in_the_last_48_hours(int extraMs, string? expected)
    {
        var s = new PocScenario();
        s.AddHotspot("w", PocScenario.At(90, 2000));
        s.MakeReciprocal("beaconer");
        var beacon = s.Beacon(InWindow);
        var witness = PocScenario.Witness(beacon, "w", Lag);
        s.History.RecordValidBeaconWithWitness("w", witness.Received - TimeSpan.FromHours(48) - TimeSpan.FromMilliseconds(extraMs));
        Assert.Equal(expected, Reason(s, beacon, witness));
    }

    [Fact]
    public void First_14_valid_witnesses_by_receive_time_are_selected()
    {
        var s = new PocScenario();
        s.MakeReciprocal("beaconer");
        var beacon = s.Beacon(InWindow);
        var witnesses = new List<WitnessIngest>();
        for (var i = 0; i < 16; i++)
        {
            var id = $"w{i:00}";
            s.AddHotspot(id, PocScenario.At(i * 22.5, 3000));
            s.MakeReciprocal(id);
            witnesses.Add(PocScenario.Witness(beacon, id, TimeSpan.FromMilliseconds(100 + (15 - i) * 10)));
        }

        var result = s.Verifier().Verify(beacon, witnesses);
        Assert.All(result.Witnesses, w => Assert.True(w.IsValid, w.InvalidReason));
        var notSelected = result.Witnesses.Where(w => !w.Selected).Select(w => w.Report.HotspotId).Order().ToArray();
        Assert.Equal(["w00", "w01"], notSelected); // the two that arrived last
    }

    [Fact]
    public void Valid_poc_updates_reciprocity_history()
    {
        var (s, beacon) = Healthy();
        var witness = PocScenario.Witness(beacon, "w", Lag);
        s.Verifier().Verify(beacon, [witness]);
        Assert.Equal(witness.Received, s.History.LastValidWitness("w"));
        Assert.Equal(beacon.Received, s.History.LastValidBeaconWithWitness("beaconer"));
    }
}
