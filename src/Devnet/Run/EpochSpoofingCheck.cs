using DePin.Wireless.CoverageOracle.Spoofing;
using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.Devnet.Run;

/// <summary>
/// The oracle's spoofing analysis at the devnet's epoch end: after PoC verification (Helium's checks), before
/// rewards. <see cref="SpoofingAnalyzer"/> reads the epoch's verified results against the registry (asserted cells,
/// declared antenna gains) — never the simulation's true positions or roles — and judges every hotspot from full
/// trust (the run is one epoch).
/// </summary>
public sealed class EpochSpoofingCheck(SpoofingOptions options)
{
    public SpoofingReport Analyze(IReadOnlyList<SimHotspot> hotspots, IReadOnlyList<PocResult> results, Func<string, HotspotInfo?> registry)
    {
        ArgumentNullException.ThrowIfNull(hotspots);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(registry);
        var infos = hotspots
            .Select(h => registry(h.Address) ?? throw new InvalidOperationException($"spoofing check: hotspot {h.Address} is not in the registry"))
            .ToList();
        return new SpoofingAnalyzer(options).Analyze(results, infos);
    }

    /// <summary>
    /// Reward factor per hotspot (by index) from the analyzer's trust: 1 unless the hotspot is <c>Penalised</c>
    /// (trust below <see cref="TrustScoreOptions.PenalisedBelow"/>), else its <c>RewardMultiplier</c> (the trust score,
    /// 0 below <see cref="TrustScoreOptions.ZeroRewardBelow"/>). Weak evidence that leaves a hotspot above the penalty
    /// line costs it nothing.
    /// </summary>
    public static double[] RewardFactors(IReadOnlyList<SimHotspot> hotspots, SpoofingReport report)
    {
        ArgumentNullException.ThrowIfNull(hotspots);
        ArgumentNullException.ThrowIfNull(report);
        var byId = report.Hotspots.ToDictionary(h => h.HotspotId, StringComparer.Ordinal);
        return hotspots.Select(h => byId.TryGetValue(h.Address, out var r) && r.Penalised ? r.RewardMultiplier : 1.0).ToArray();
    }
}
