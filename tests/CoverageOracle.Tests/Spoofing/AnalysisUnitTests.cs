using DePin.Wireless.Core.H3;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.CoverageOracle.Spoofing;
using DePin.Wireless.CoverageOracle.Verification;
using static DePin.Wireless.CoverageOracle.Tests.Spoofing.PocBuilder;

namespace DePin.Wireless.CoverageOracle.Tests.Spoofing;

public sealed class RobustStatisticsTests
{
    [Fact]
    public void Theil_sen_recovers_a_line_despite_one_wild_point_in_six()
    {
        double[] x = [0, 1, 2, 3, 4, 5];
        double[] y = [1, 3, 5, 7, 9, 100];
        var fit = RobustStatistics.TheilSen(x, y)!.Value;
        Assert.Equal(2, fit.Slope, 6);
        Assert.Equal(1, fit.Intercept, 6);
    }

    [Fact]
    public void Median_with_nan_orders_it_first_as_a_sort_does()
    {
        Assert.Equal(1, RobustStatistics.Median([double.NaN, 5, 1]));
        Assert.True(double.IsNaN(RobustStatistics.Median([double.NaN, double.NaN, 1])));
    }

    [Fact]
    public void Line_fits_need_two_distinct_x()
    {
        Assert.Null(RobustStatistics.TheilSen([1, 1, 1], [1, 2, 3]));
        Assert.Null(RobustStatistics.Huber([1, 1, 1], [1, 2, 3], 1.345));
        Assert.Throws<ArgumentException>(() => RobustStatistics.TheilSen([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => RobustStatistics.Median([]));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(17, 2)]
    [InlineData(1000, 3)]
    [InlineData(1001, 4)]
    [InlineData(20000, 5)]
    public void Median_by_selection_equals_the_middle_of_a_full_sort(int count, int seed)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 20; trial++)
        {
            // Few distinct values in some trials (many ties), continuous ones in others; sorted and reversed inputs too.
            var values = Enumerable.Range(0, count).Select(_ => trial % 3 == 0 ? random.Next(5) : random.NextDouble() * 100 - 50).ToArray();
            if (trial == 1)
            {
                Array.Sort(values);
            }
            else if (trial == 2)
            {
                Array.Sort(values);
                Array.Reverse(values);
            }

            var sorted = values.ToArray();
            Array.Sort(sorted);
            var expected = count % 2 == 1 ? sorted[count / 2] : (sorted[(count / 2) - 1] + sorted[count / 2]) / 2;
            Assert.Equal(expected, RobustStatistics.Median(values));
            var deviations = values.Select(v => Math.Abs(v - expected)).ToArray();
            Array.Sort(deviations);
            Assert.Equal(count % 2 == 1 ? deviations[count / 2] : (deviations[(count / 2) - 1] + deviations[count / 2]) / 2, RobustStatistics.Mad(values));
        }
    }

    [Fact]
    public void Huber_downweights_an_outlier_that_drags_least_squares()
    {
        var x = Enumerable.Range(0, 20).Select(i => (double)i).ToArray();
        var y = x.Select(v => (-3 * v) + 10 + ((v % 2 == 0) ? 0.5 : -0.5)).ToArray();
        y[19] = 200;
        var fit = RobustStatistics.Huber(x, y, 1.345)!.Value;
        Assert.InRange(fit.Slope, -3.2, -2.8);
    }

    [Fact]
    public void Sen_interval_brackets_the_slope_and_widens_with_noise()
    {
        var random = new Random(3);
        var x = Enumerable.Range(0, 12).Select(i => i / 4.0).ToArray();
        var y = x.Select(v => (-35 * v) + (7 * Gaussian.StandardNormal(random))).ToArray();
        var (lower, upper) = RobustStatistics.TheilSenSlopeInterval(x, y, 2.576)!.Value;
        Assert.True(lower < -35 && -35 < upper, $"[{lower}, {upper}]");
        Assert.Equal(5.5, RobustStatistics.Median([9, 1, 5, 6]));
        Assert.Equal(1, RobustStatistics.Mad([1, 2, 3, 4, 100]));
    }
}

public sealed class PathLossConsistencyTests
{
    private readonly PathLossConsistency _analysis = new(new PathLossConsistencyOptions());

    [Fact]
    public void Too_few_links_give_no_verdict_at_all()
    {
        var b = HotspotAt("b", 0, 0);
        var ws = Enumerable.Range(0, 4).Select(i => HotspotAt($"w{i}", 90 * i, 1000 + (500 * i))).ToList();
        var poc = Poc("b", ws.Select(w => Witness(w.Id, -60, 10)).ToArray());
        var epoch = EpochLinks.Build([poc], ws.Append(b));
        Assert.Empty(_analysis.Analyze(epoch));
        Assert.Null(_analysis.FitPooled(epoch.AllLinks.ToList()));
        Assert.Null(_analysis.FitBeacon(epoch.Beacons[0], new LineFit(-130, -35)));
    }

    [Fact]
    public void A_beacon_whose_signal_grows_with_distance_is_implausible()
    {
        var b = HotspotAt("b", 0, 0);
        var ws = Enumerable.Range(0, 8).Select(i => HotspotAt($"w{i}", 45 * i, 300 * Math.Pow(1.6, i))).ToList();

        // Gain rises 20 dB per decade of distance: an exponent of −2, which no environment produces.
        var poc = Poc("b", ws.Select((w, i) => Witness(w.Id, -110 + (20 * Math.Log10(300 * Math.Pow(1.6, i) / 1000)), 0)).ToArray());
        var fit = _analysis.FitBeacon(Beacon(poc, ws.Append(b)), new LineFit(-100, -35))!;
        Assert.False(fit.Plausible);
        Assert.InRange(fit.Exponent!.Value, -2.5, -1.5);
    }

    [Fact]
    public void A_beacon_following_an_urban_exponent_is_plausible_and_has_no_outliers()
    {
        var b = HotspotAt("b", 0, 0);
        var meters = Enumerable.Range(0, 8).Select(i => 300 * Math.Pow(1.5, i)).ToArray();
        var ws = meters.Select((m, i) => HotspotAt($"w{i}", 45 * i, m)).ToList();
        var poc = Poc("b", ws.Select((w, i) => Witness(w.Id, 33 - 130 - (35 * Math.Log10(meters[i] / 1000)) + ((i % 3) - 1), 0)).ToArray());
        var fit = _analysis.FitBeacon(Beacon(poc, ws.Append(b)), new LineFit(-130, -35))!;
        Assert.True(fit.Plausible);
        Assert.InRange(fit.Exponent!.Value, 3.0, 4.0);
        Assert.All(fit.Residuals, r => Assert.InRange(r, -3, 3));
    }

    [Fact]
    public void Link_gain_credits_tx_power_and_both_antenna_gains()
    {
        var b = HotspotAt("b", 0, 0);
        var w = HotspotAt("w", 0, 2000);
        var link = Beacon(Poc("b", Witness("w", -100, 0)), [b, w]).Links.Single();
        Assert.Equal(-100 - 27 - 3 - 3, PathLossConsistency.LinkGainDb(link), 6);
        Assert.InRange(PathLossConsistency.LogDistanceKm(link), Math.Log10(1.98), Math.Log10(2.02));
        Assert.Equal(-129.5 - 33, _analysis.SensitivityGainDb(link)!.Value, 1);
    }
}

public sealed class SnrRssiConsistencyTests
{
    private readonly SnrRssiConsistency _analysis = new(new SnrRssiConsistencyOptions());

    [Theory]
    [InlineData(-110, 7, false)] // noise floor at 125 kHz/NF 6 is −117 dBm: SNR 7 dB is what −110 dBm gives
    [InlineData(-60, 11, false)] // strong signals saturate near +12 dB
    [InlineData(-125, -8, false)]
    [InlineData(-125, 10, true)] // a weak RSSI with a strong-signal SNR: RSSI forged or replayed nearby
    [InlineData(-90, -10, true)] // a strong RSSI buried in noise
    [InlineData(-128, -16, true)] // below SF9's −12.5 dB demodulation floor minus margin: could not have decoded
    public void Judges_snr_against_rssi_and_the_noise_floor(double rssi, double snr, bool disagrees) =>
        Assert.Equal(disagrees, _analysis.Judge(rssi, snr, "SF9BW125")!.Value.Disagrees);

    [Fact]
    public void Unknown_data_rate_gives_no_verdict() => Assert.Null(_analysis.Judge(-100, 5, "FSK50"));

    [Fact]
    public void One_mismatch_is_not_enough_for_a_verdict()
    {
        var b = HotspotAt("b", 0, 0);
        var w = HotspotAt("w", 90, 3000);
        var epoch = EpochLinks.Build([Poc("b", Witness("w", -125, 10)), Poc("b", Witness("w", -110, 7))], [b, w]);
        Assert.Empty(_analysis.Analyze(epoch));
        var twice = EpochLinks.Build([Poc("b", Witness("w", -125, 10)), Poc("b", Witness("w", -124, 10))], [b, w]);
        Assert.Equal("w", Assert.Single(_analysis.Analyze(twice)).HotspotId);
    }
}

public sealed class TimingConsistencyTests
{
    private readonly TimingConsistency _analysis = new(new TimingConsistencyOptions());
    private readonly HotspotInfo _beaconer = HotspotAt("b", 0, 0);
    private readonly List<HotspotInfo> _witnesses = [HotspotAt("w0", 0, 2000), HotspotAt("w1", 120, 3000), HotspotAt("w2", 240, 2500), HotspotAt("w3", 60, 4000)];

    private GeoPoint BeaconerCell()
    {
        var ll = H3Grid.CellToLatLng(new H3Cell(_beaconer.Location!.Value));
        return new GeoPoint(ll.Lat, ll.Lng);
    }

    private BeaconLinks Heard(GeoPoint trueOrigin, Func<string, long>? extraDelayNs = null) =>
        Beacon(Poc("b", _witnesses.Select(w => Witness(w.Id, -100, 10, (ArrivalNs(trueOrigin, w, 999_999_000) + (extraDelayNs?.Invoke(w.Id) ?? 0)) % 1_000_000_000)).ToArray()), _witnesses.Append(_beaconer));

    [Fact]
    public void Wrapped_differences_cross_the_second_boundary()
    {
        Assert.Equal(2_000, TimingConsistency.WrappedDifferenceNs(1_000, 999_999_000));
        Assert.Equal(-2_000, TimingConsistency.WrappedDifferenceNs(999_999_000, 1_000));
    }

    [Fact]
    public void Fewer_than_three_timed_witnesses_give_no_verdict()
    {
        var poc = Poc("b", Witness("w0", -100, 10, 5), Witness("w1", -100, 10, 7), Witness("w2", -100, 10));
        Assert.Null(_analysis.JudgeBeacon(Beacon(poc, _witnesses.Append(_beaconer))));
    }

    [Fact]
    public void Arrivals_from_the_asserted_origin_are_consistent_across_the_second_boundary()
    {
        var j = _analysis.JudgeBeacon(Heard(BeaconerCell()))!;
        Assert.False(j.OriginInconsistent);
        Assert.All(j.ResidualsNs, r => Assert.InRange(r.ResidualNs, -5, 5));
        Assert.True(j.Fix!.Value.Converged);
        Assert.InRange(j.FixOffsetMeters, 0, 5);
    }

    [Fact]
    public void A_relayed_witness_stands_out_and_the_origin_stays_consistent()
    {
        var j = _analysis.JudgeBeacon(Heard(BeaconerCell(), id => id == "w3" ? 1_000_000 : 0))!;
        Assert.False(j.OriginInconsistent);
        Assert.InRange(j.ResidualsNs.Single(r => r.WitnessId == "w3").ResidualNs, 999_000, 1_001_000);
    }

    [Fact]
    public void Arrivals_from_elsewhere_contradict_the_asserted_origin_and_multilateration_finds_the_true_one()
    {
        var trueOrigin = GreatCircle.Destination(Origin, 90, 3000);
        var j = _analysis.JudgeBeacon(Heard(trueOrigin))!;
        Assert.True(j.OriginInconsistent);
        Assert.InRange(j.FixOffsetMeters, 2900, 3100);
    }

    [Fact]
    public void Repeatedly_heard_late_without_gps_is_a_verdict()
    {
        var registry = _witnesses.Append(_beaconer).ToList();
        PocResult Late() => Poc("b", _witnesses.Select(w => Witness(w.Id, -100, 10, heardAt: T0.AddMilliseconds(w.Id == "w3" ? 250 : 1))).ToArray());
        var verdicts = _analysis.Analyze(EpochLinks.Build([Late(), Late()], registry));
        var v = Assert.Single(verdicts);
        Assert.Equal("w3", v.HotspotId);
        Assert.StartsWith("timing_heard_late", v.Reason, StringComparison.Ordinal);
    }
}

public sealed class WitnessGraphEvidenceTests
{
    private static EpochLinks Epoch(IEnumerable<(string A, string B, double Rssi)> edges)
    {
        var list = edges.ToList();
        var ids = list.SelectMany(e => new[] { e.A, e.B }).Distinct().ToList();
        var registry = ids.Select((id, i) => HotspotAt(id, (i * 37) % 360, 500 + (i * 150))).ToList();
        return EpochLinks.Build(list.Select(e => Poc(e.A, Witness(e.B, e.Rssi, 5))), registry);
    }

    private static IEnumerable<(string, string, double)> Ring(string prefix, int n, Func<int, double> rssi) =>
        Enumerable.Range(0, n).SelectMany(i => new[] { ($"{prefix}{i}", $"{prefix}{(i + 1) % n}", rssi(i)), ($"{prefix}{i}", $"{prefix}{(i + 2) % n}", rssi(i + 7)) });

    [Fact]
    public void An_island_is_flagged_only_next_to_a_large_mesh()
    {
        var island = new[] { ("x0", "x1", -100.0), ("x1", "x2", -101.0), ("x2", "x0", -99.0) };
        var analysis = new WitnessGraphEvidence(new WitnessGraphOptions());
        Assert.Empty(analysis.Analyze(Epoch(island.Concat(Ring("m", 10, i => -80 - (3 * i))))));
        var verdicts = analysis.Analyze(Epoch(island.Concat(Ring("m", 30, i => -80 - (3 * (i % 9))))));
        Assert.Equal(["x0", "x1", "x2"], verdicts.Select(v => v.HotspotId).Distinct().Order().ToArray());
    }

    [Fact]
    public void An_island_beyond_the_epochs_usual_link_distance_from_the_mesh_is_a_separate_town_not_a_room()
    {
        var island = new[] { ("x0", "x1", -100.0), ("x1", "x2", -101.0), ("x2", "x0", -99.0) };
        var edges = island.Concat(Ring("m", 30, i => -80 - (3 * (i % 9)))).ToList();
        var ids = edges.SelectMany(e => new[] { e.Item1, e.Item2 }).Distinct().ToList();

        // The mesh within 5 km of the centre; the island 60 km away: no mesh hotspot is asserted near it, so nobody
        // outside could have heard it and its isolation is geography.
        var registry = ids.Select((id, i) => id.StartsWith('x') ? HotspotAt(id, 90, 60_000 + (i * 100)) : HotspotAt(id, (i * 37) % 360, 500 + (i * 150))).ToList();
        var far = EpochLinks.Build(edges.Select(e => Poc(e.Item1, Witness(e.Item2, e.Item3, 5))), registry);
        var analysis = new WitnessGraphEvidence(new WitnessGraphOptions());
        Assert.DoesNotContain(analysis.Analyze(far), v => v.HotspotId.StartsWith('x'));
    }

    [Fact]
    public void Neighbourhood_shape_counts_internal_and_external_edges()
    {
        var g = WitnessGraph.From([("a", "b"), ("a", "c"), ("b", "c"), ("c", "d")]);
        var (size, density, external) = g.NeighbourhoodShape("a");
        Assert.Equal(3, size);
        Assert.Equal(1.0, density);
        Assert.Equal(0.25, external);
        Assert.Equal(2, WitnessGraph.From([("a", "b"), ("c", "d")]).Components().Count);
    }

    [Fact]
    public void Near_identical_rssi_to_every_peer_is_flagged_but_not_with_too_few_peers()
    {
        var analysis = new WitnessGraphEvidence(new WitnessGraphOptions { MinMeshSize = 1000 });
        var star = Enumerable.Range(0, 5).Select(i => ("hub", $"p{i}", -105.0 + (0.2 * i))).ToList();
        Assert.Contains(analysis.Analyze(Epoch(star)), v => v.HotspotId == "hub" && v.Reason.StartsWith("witness_graph_uniform_rssi", StringComparison.Ordinal));
        Assert.DoesNotContain(analysis.Analyze(Epoch(star.Take(3))), v => v.HotspotId == "hub");
        var spread = Enumerable.Range(0, 5).Select(i => ("hub", $"p{i}", -90.0 - (6 * i))).ToList();
        Assert.DoesNotContain(analysis.Analyze(Epoch(spread)), v => v.HotspotId == "hub");
    }
}

public sealed class TrustScoreTests
{
    private readonly TrustScore _trust = new(new TrustScoreOptions());

    private static SpoofingVerdict Verdict(SpoofingCheck check, EvidenceStrength strength = EvidenceStrength.Strong) => new("h", check, strength, 1, 1, $"{check}: test");

    [Fact]
    public void A_new_hotspot_without_evidence_keeps_full_trust()
    {
        var o = _trust.Next(null, []);
        Assert.Equal(1.0, o.State.Score);
        Assert.Equal(1.0, o.RewardMultiplier);
        Assert.False(o.Penalised);
        Assert.Empty(o.Reasons);
    }

    [Fact]
    public void A_strong_timing_verdict_penalises_and_each_check_counts_once()
    {
        var o = _trust.Next(null, [Verdict(SpoofingCheck.Timing), Verdict(SpoofingCheck.Timing, EvidenceStrength.Weak)]);
        Assert.Equal(0.4, o.State.Score, 9);
        Assert.True(o.Penalised);
        Assert.Equal(0.4, o.RewardMultiplier, 9);
        Assert.Equal(2, o.Reasons.Count);
        var two = _trust.Next(null, [Verdict(SpoofingCheck.Timing), Verdict(SpoofingCheck.PathLoss)]);
        Assert.Equal(0.2, two.State.Score, 9);
        Assert.Equal(0, two.RewardMultiplier);
    }

    [Fact]
    public void Weak_evidence_alone_does_not_penalise()
    {
        var o = _trust.Next(null, [Verdict(SpoofingCheck.PathLoss, EvidenceStrength.Weak)]);
        Assert.Equal(0.9, o.State.Score, 9);
        Assert.False(o.Penalised);
    }

    [Fact]
    public void Clean_epochs_halve_the_distance_to_full_trust_every_half_life()
    {
        var state = new TrustState(0.2, 0);
        for (var i = 0; i < 24; i++)
        {
            state = _trust.Next(state, []).State;
        }

        Assert.Equal(0.6, state.Score, 9);
        Assert.Equal(24, state.CleanEpochs);
        Assert.Equal(0, _trust.Next(state, [Verdict(SpoofingCheck.SnrRssi)]).State.CleanEpochs);
    }

    [Fact]
    public void A_score_outside_zero_to_one_is_refused_by_name() =>
        Assert.Contains("score", Assert.Throws<ArgumentOutOfRangeException>(() => _trust.Next(new TrustState(1.5, 0), [])).Message, StringComparison.Ordinal);
}

public sealed class SpoofingAnalyzerTests
{
    [Fact]
    public void An_empty_epoch_judges_nobody_and_carries_trust_forward()
    {
        var registry = new[] { HotspotAt("a", 0, 0), HotspotAt("b", 90, 2000), new HotspotInfo("c", null, 0, 0, "EU868", HotspotCapability.Full) };
        var previous = new Dictionary<string, TrustState> { ["a"] = new(0.5, 0) };
        var report = new SpoofingAnalyzer(new SpoofingOptions()).Analyze([], registry, previous);
        Assert.Equal(["a", "b", "c"], report.Hotspots.Select(h => h.HotspotId).ToArray());
        Assert.All(report.Hotspots, h => Assert.Empty(h.Verdicts));
        Assert.True(report.For("a")!.Trust.Score is > 0.5 and < 0.52);
        Assert.True(report.For("a")!.Penalised);
        Assert.Equal(1, report.Summary.Penalised);
        Assert.Equal(0, report.Summary.Beacons);
    }

    [Fact]
    public void Invalid_witnesses_and_unasserted_hotspots_are_not_analysed()
    {
        var b = HotspotAt("b", 0, 0);
        var w = HotspotAt("w", 90, 2000);
        var unasserted = new HotspotInfo("u", null, 0, 0, "EU868", HotspotCapability.Full);
        var poc = new PocResult(Poc("b").Beacon, null, [new VerifiedWitness(Witness("w", -100, 5), InvalidReason.BadRssi, false), new VerifiedWitness(Witness("u", -100, 5), null, true)]);
        var epoch = EpochLinks.Build([poc], [b, w, unasserted]);
        Assert.Empty(epoch.Beacons.Single().Links);
    }
}
