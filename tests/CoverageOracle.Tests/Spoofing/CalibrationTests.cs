using DePin.Wireless.CoverageOracle.Spoofing;
using DePin.Wireless.CoverageOracle.Verification;
using static DePin.Wireless.CoverageOracle.Tests.Spoofing.PocBuilder;

namespace DePin.Wireless.CoverageOracle.Tests.Spoofing;

/// <summary>
/// The calibrations the devnet forced (docs/spoofing.md, "Devnet"): site offsets judged against the epoch's own spread,
/// RSSI uniformity only above the censoring margin, replayed copies set aside, copied signals caught.
/// </summary>
public sealed class CalibrationTests
{
    private static SpoofingReport Run(SyntheticEpoch epoch, SpoofingOptions? options = null) =>
        new SpoofingAnalyzer(options ?? new SpoofingOptions()).Analyze(epoch.Results, epoch.Registry);

    private static int HonestPenalised(SyntheticEpoch epoch, SpoofingReport report) =>
        epoch.Hotspots.Count(h => h.Role == SimRole.Honest && report.For(h.Id)!.Penalised);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Site_offsets_of_honest_hotspots_are_judged_against_the_epoch_spread_and_the_spoofer_is_still_caught(int seed)
    {
        // σ = 8 dB per site: antenna heights and indoor siting in a mixed city (the devnet: 10.5 dB indoor loss, masts to 60 m).
        var epoch = new SyntheticEpoch(seed, relayers: false, roomCluster: false, siteOffsetSigmaDb: 8);

        // The scenario does exercise the calibration: some honest hotspot sits beyond the old fixed 12 dB floor.
        var options = new PathLossConsistencyOptions();
        var analysis = new PathLossConsistency(options);
        var links = EpochLinks.Build(epoch.Results, epoch.Registry).AllLinks.ToList();
        var fit = analysis.FitPooled(links);
        Assert.NotNull(fit);
        var line = fit.Value;
        var medians = links
            .SelectMany(l => new[] { (Id: l.Beaconer.Id, Residual: PathLossConsistency.LinkGainDb(l) - line.Predict(PathLossConsistency.LogDistanceKm(l))), (Id: l.Witness.Id, Residual: PathLossConsistency.LinkGainDb(l) - line.Predict(PathLossConsistency.LogDistanceKm(l))) })
            .GroupBy(t => t.Id)
            .ToDictionary(g => g.Key, g => RobustStatistics.Median(g.Select(t => t.Residual).ToArray()));
        var site = analysis.SiteOffsets(medians.Values.ToList());
        Assert.Contains(epoch.Hotspots, h => h.Role == SimRole.Honest && medians[h.Id] - site.Centre > options.MinMedianExcessDb);

        var report = Run(epoch);
        // Measured: 0, 0 and 1–2 of 100 (seeds 2, 3, 1) — the pooled fit flattens (n ≈ 2.1–2.4 for a true 3.5) and absorbs
        // part of the site variance, so the estimated spread (≈ 4–5 dB) understates σ = 8 dB and the most extreme honest
        // site (+18 dB) can cross it (docs/spoofing.md, "Devnet", limits). Bound: 2 %.
        var penalised = epoch.Hotspots.Where(h => h.Role == SimRole.Honest && report.For(h.Id)!.Penalised).Select(h => $"{h.Id}: {string.Join(" | ", report.For(h.Id)!.Reasons)}").ToList();
        Assert.True(penalised.Count <= 2, string.Join("\n", penalised));
        Assert.True(report.For("spoofer")!.Penalised);
    }

    [Fact]
    public void Site_offset_distribution_is_the_median_and_robust_sigma_of_hotspot_medians_once_there_are_enough()
    {
        var analysis = new PathLossConsistency(new PathLossConsistencyOptions { MinHotspotsForSiteSpread = 5 });
        Assert.Equal(new SiteOffsetDistribution(0, 0), analysis.SiteOffsets([1, 2, 3, 4]));
        var site = analysis.SiteOffsets([-4, -2, 0, 2, 4, 40]);
        Assert.Equal(1, site.Centre, 6);
        Assert.Equal(3 * RobustStatistics.MadToSigma, site.Spread, 6);

    }

    [Fact]
    public void Uniform_rssi_near_the_sensitivity_floor_is_censoring_not_a_room()
    {
        // SF9BW125 sensitivity ≈ −129.5 dBm: peers at −126 dBm are within the 12 dB margin, at −105 dBm well above it.
        var analysis = new WitnessGraphEvidence(new WitnessGraphOptions { MinMeshSize = 1000 });
        static EpochLinks Star(double rssi)
        {
            var ids = Enumerable.Range(0, 6).Select(i => $"p{i}").ToList();
            var registry = ids.Select((id, i) => HotspotAt(id, i * 60, 1000 + (i * 700))).Append(HotspotAt("hub", 0, 1)).ToList();
            return EpochLinks.Build(ids.Select((id, i) => Poc("hub", Witness(id, rssi + (0.2 * i), 5))), registry);
        }

        Assert.Contains(analysis.Analyze(Star(-105)), v => v.HotspotId == "hub" && v.Reason.StartsWith("witness_graph_uniform_rssi", StringComparison.Ordinal));
        Assert.DoesNotContain(analysis.Analyze(Star(-126)), v => v.HotspotId == "hub");
    }

    [Fact]
    public void Identical_rssi_and_snr_on_most_shared_beacons_flags_both_halves_of_a_copy()
    {
        var registry = new[] { HotspotAt("b0", 0, 1), HotspotAt("b1", 90, 3000), HotspotAt("b2", 180, 3000), HotspotAt("near", 45, 2000), HotspotAt("far", 45, 25_000), HotspotAt("other", 300, 2500) };
        PocResult Beacon(string beaconer, double rssi, bool copied) => Poc(beaconer,
            Witness("near", rssi, 3.5),
            Witness("far", copied ? rssi : rssi - 11, copied ? 3.5 : -7.5),
            Witness("other", rssi - 2, 1.5));
        var analysis = new WitnessGraphEvidence(new WitnessGraphOptions());

        var copies = analysis.Analyze(EpochLinks.Build([Beacon("b0", -110, true), Beacon("b1", -112, true), Beacon("b2", -108, true)], registry));
        Assert.Equal(["far", "near"], copies.Where(v => v.Reason.StartsWith("witness_graph_copied_signal", StringComparison.Ordinal)).Select(v => v.HotspotId).ToArray());

        // Two coincidences (or a minority of the shared beacons) are chance, not a copy.
        var twice = analysis.Analyze(EpochLinks.Build([Beacon("b0", -110, true), Beacon("b1", -112, true), Beacon("b2", -108, false)], registry));
        Assert.DoesNotContain(twice, v => v.Reason.StartsWith("witness_graph_copied_signal", StringComparison.Ordinal));
        Assert.Equal(("far", "near", 2, 3), WitnessGraphEvidence.IdenticalSignalPairs(EpochLinks.Build([Beacon("b0", -110, true), Beacon("b1", -112, true), Beacon("b2", -108, false)], registry)).Single());
    }

    [Fact]
    public void Witnesses_that_heard_a_replay_together_are_set_aside_but_a_lone_late_claim_is_not()
    {
        var registry = Enumerable.Range(0, 6).Select(i => HotspotAt($"w{i}", i * 60, 2000)).Append(HotspotAt("b", 0, 1)).ToList();
        var timing = new TimingConsistency(new TimingConsistencyOptions());

        // w0–w2 heard the beacon; w3 and w4 heard a replay 3 s later (together); w5 claims it 250 ms late, alone.
        var lags = new[] { 0, 1, 2, 3000, 3010, 250 };
        var poc = Poc("b", lags.Select((ms, i) => Witness($"w{i}", -110, 3.5, heardAt: T0.AddMilliseconds(ms))).ToArray());
        var epoch = EpochLinks.Build([poc], registry);
        Assert.Equal(["w3", "w4"], timing.ReplayedCopies(epoch).Select(l => l.Witness.Id).Order().ToArray());
        Assert.Equal(["w0", "w1", "w2", "w5"], epoch.Without(timing.ReplayedCopies(epoch)).AllLinks.Select(l => l.Witness.Id).ToArray());

        // Over two such beacons only the lone late claimer gets a verdict.
        var two = EpochLinks.Build([poc, poc with { }], registry);
        var verdicts = timing.Analyze(two.Without(timing.ReplayedCopies(two)));
        Assert.Equal("w5", Assert.Single(verdicts).HotspotId);
    }
}
