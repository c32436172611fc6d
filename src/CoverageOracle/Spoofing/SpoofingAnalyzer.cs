using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.CoverageOracle.Spoofing;

/// <summary>One hotspot's result for an epoch.</summary>
public sealed record HotspotSpoofingResult(
    string HotspotId,
    IReadOnlyList<SpoofingVerdict> Verdicts,
    TrustState Trust,
    double RewardMultiplier,
    bool Penalised,
    IReadOnlyList<string> Reasons);

/// <summary>Counts for an epoch: hotspots judged, penalised, and hotspots with a verdict per check.</summary>
public sealed record SpoofingSummary(int Hotspots, int Penalised, IReadOnlyDictionary<SpoofingCheck, int> FlaggedByCheck, int Beacons, int Links);

/// <summary>The epoch's spoofing analysis: per-hotspot results (ordered by id) and a summary.</summary>
public sealed record SpoofingReport(IReadOnlyList<HotspotSpoofingResult> Hotspots, SpoofingSummary Summary)
{
    public HotspotSpoofingResult? For(string hotspotId) => Hotspots.FirstOrDefault(h => h.HotspotId == hotspotId);
}

/// <summary>
/// Runs path-loss, SNR/RSSI, timing and witness-graph analyses over one epoch's verified PoC results and updates each
/// hotspot's trust. Pure and deterministic: same inputs, same report. Hotspots in the registry without any valid link this
/// epoch keep (and recover) their trust like any clean hotspot.
/// </summary>
public sealed class SpoofingAnalyzer
{
    private readonly PathLossConsistency _pathLoss;
    private readonly SnrRssiConsistency _snrRssi;
    private readonly TimingConsistency _timing;
    private readonly WitnessGraphEvidence _graph;
    private readonly TrustScore _trust;

    public SpoofingAnalyzer(SpoofingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _pathLoss = new PathLossConsistency(options.PathLoss);
        _snrRssi = new SnrRssiConsistency(options.SnrRssi);
        _timing = new TimingConsistency(options.Timing);
        _graph = new WitnessGraphEvidence(options.Graph);
        _trust = new TrustScore(options.Trust);
    }

    public SpoofingReport Analyze(IReadOnlyList<PocResult> results, IReadOnlyCollection<HotspotInfo> registry, IReadOnlyDictionary<string, TrustState>? previousTrust = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(registry);
        // Links of witnesses that heard a replayed copy say nothing about those witnesses (TimingConsistency.ReplayedCopies).
        var built = EpochLinks.Build(results, registry);
        var epoch = built.Without(_timing.ReplayedCopies(built));

        // The analyses only read the epoch: run side by side, their verdicts concatenated in a fixed order. The pooled
        // path-loss fit is the one long serial chain (its weighted sums): the checks that do not need it run beside it.
        IReadOnlyList<SpoofingVerdict> pathLoss = [], snrRssi = [], timing = [], graphStructure = [], graphSignals = [];
        Parallel.Invoke(
            () =>
            {
                var pooled = _pathLoss.FitPooled(epoch.LinkArray);
                Parallel.Invoke(
                    () => pathLoss = _pathLoss.Analyze(epoch, pooled),
                    () => graphSignals = _graph.Signals(epoch, pooled is { } model ? link => _pathLoss.PredictedMarginDb(link, model) : null));
            },
            () => snrRssi = _snrRssi.Analyze(epoch),
            () => timing = _timing.Analyze(epoch),
            () => graphStructure = _graph.Structure(epoch));
        var graph = graphStructure.Concat(graphSignals);
        var verdicts = pathLoss.Concat(snrRssi).Concat(timing).Concat(graph).ToLookup(v => v.HotspotId, StringComparer.Ordinal);

        var hotspots = new List<HotspotSpoofingResult>(registry.Count);
        foreach (var id in registry.Select(h => h.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var mine = verdicts[id].ToList();
            TrustState? previous = previousTrust is not null && previousTrust.TryGetValue(id, out var p) ? p : null;
            var outcome = _trust.Next(previous, mine);
            hotspots.Add(new HotspotSpoofingResult(id, mine, outcome.State, outcome.RewardMultiplier, outcome.Penalised, outcome.Reasons));
        }

        var byCheck = Enum.GetValues<SpoofingCheck>().ToDictionary(c => c, c => hotspots.Count(h => h.Verdicts.Any(v => v.Check == c)));
        var summary = new SpoofingSummary(hotspots.Count, hotspots.Count(h => h.Penalised), byCheck, epoch.Beacons.Count, epoch.LinkCount);
        return new SpoofingReport(hotspots, summary);
    }
}
