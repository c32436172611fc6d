using System.Numerics;
using DePin.Wireless.CoverageOracle.Spoofing;

namespace DePin.Wireless.Devnet.Run;

/// <summary>
/// Scores both detectors against the simulation's ground truth (README "Adversaries"). Helium's checks:
/// an adversary is detected with (a) an invalid beacon, or an invalid witness not caused by another group's cheating,
/// for a reason outside <see cref="PocTally.ExpectedPhysicsReasons"/>, or (b) a Helium-only reward below half the
/// honest median; an honest hotspot is penalised with such an unexplained invalid beacon or witness. The spoofing
/// analysis: it marked the hotspot <c>Penalised</c>, honest or not — no exemption for honest hotspots that
/// adversaries confused.
/// </summary>
public static class AdversaryJudgement
{
    /// <param name="heliumRewards">Rewards settled on Helium's checks alone (no oracle factor), so criterion (b) measures Helium only.</param>
    /// <param name="paidRewards">Rewards actually paid (after the oracle's factors), reported per adversary.</param>
    public static AdversaryOutcome Judge(IReadOnlyList<SimHotspot> hotspots, PocTally tally, IReadOnlyList<HotspotRewardLine> heliumRewards, IReadOnlyList<HotspotRewardLine> paidRewards, SpoofingReport spoofing)
    {
        ArgumentNullException.ThrowIfNull(hotspots);
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(spoofing);
        var verdicts = spoofing.Hotspots.ToDictionary(h => h.HotspotId, StringComparer.Ordinal);
        bool AnalysisPenalised(SimHotspot h) => verdicts.TryGetValue(h.Address, out var r) && r.Penalised;

        var honestRewards = hotspots.Where(h => !h.IsAdversary).Select(h => heliumRewards[h.Index].Reward).Order().ToList();
        var median = honestRewards.Count == 0 ? BigInteger.Zero : honestRewards[honestRewards.Count / 2];
        var lines = new List<AdversaryLine>();
        foreach (var hotspot in hotspots.Where(h => h.IsAdversary))
        {
            var record = tally.PerHotspot[hotspot.Index];
            var helium = record.OwnReasons.Any(r => !PocTally.ExpectedPhysicsReasons.Contains(r)) || heliumRewards[hotspot.Index].Reward * 2 < median;
            var result = verdicts.GetValueOrDefault(hotspot.Address);
            var analysis = result?.Penalised ?? false;
            lines.Add(new AdversaryLine(hotspot.Address, hotspot.Role, helium || analysis, [.. record.Reasons], paidRewards[hotspot.Index].Reward)
            {
                HeliumDetected = helium,
                SpoofingDetected = analysis,
                SpoofingTrust = result?.Trust.Score ?? 1.0,
                SpoofingReasons = result?.Reasons ?? [],
            });
        }

        var honest = hotspots.Where(h => !h.IsAdversary).ToList();
        var heliumHonest = honest.Count(h => tally.PerHotspot[h.Index].UnexplainedInvalid > 0);
        var analysisHonest = honest.Count(AnalysisPenalised);
        var eitherHonest = honest.Count(h => tally.PerHotspot[h.Index].UnexplainedInvalid > 0 || AnalysisPenalised(h));
        var byKind = lines.GroupBy(l => l.Role).OrderBy(g => g.Key)
            .Select(g => new AdversaryKindOutcome(g.Key, g.Count(), g.Count(l => l.HeliumDetected), g.Count(l => l.SpoofingDetected), g.Count(l => l.Detected)))
            .ToList();
        return new AdversaryOutcome(lines.Count, lines.Count(l => l.Detected), eitherHonest, lines)
        {
            Honest = honest.Count,
            HeliumChecks = new DetectorOutcome(lines.Count(l => l.HeliumDetected), heliumHonest),
            SpoofingAnalysis = new DetectorOutcome(lines.Count(l => l.SpoofingDetected), analysisHonest),
            ByKind = byKind,
        };
    }
}
