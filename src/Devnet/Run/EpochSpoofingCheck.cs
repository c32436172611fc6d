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
    /// Reward factor per hotspot (by index), by the oracle's own rule (<see cref="SpoofingRewardAdjustment.Factor"/>):
    /// the trust score for a penalised hotspot (0 below <see cref="TrustScoreOptions.ZeroRewardBelow"/>), else 1.
    /// </summary>
    public static double[] RewardFactors(IReadOnlyList<SimHotspot> hotspots, SpoofingReport report)
    {
        ArgumentNullException.ThrowIfNull(hotspots);
        var byId = SpoofingRewardAdjustment.FactorsById(report);
        return hotspots.Select(h => byId.GetValueOrDefault(h.Address, 1.0)).ToArray();
    }
}
