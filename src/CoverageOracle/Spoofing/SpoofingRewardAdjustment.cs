using DePin.Wireless.CoverageOracle.Rewards;
using DePin.Wireless.CoverageOracle.VerifyRunner;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.Proto;

namespace DePin.Wireless.CoverageOracle.Spoofing;

/// <summary>
/// Pure: how the epoch's spoofing analysis enters the reward split. A hotspot the analysis marks
/// <see cref="HotspotSpoofingResult.Penalised"/> has its beacon and witness shares multiplied by its
/// <see cref="HotspotSpoofingResult.RewardMultiplier"/> (its trust; 0 below the zero-reward line) before the split, so
/// the withheld part goes pro rata to everyone else and the whole emission is still paid. Data-transfer shares are
/// untouched: they pay for packets a network server bought, which location spoofing does not fake.
/// </summary>
public static class SpoofingRewardAdjustment
{
    public static IReadOnlyList<HotspotShares> Apply(IReadOnlyList<HotspotShares> shares, SpoofingReport report)
    {
        ArgumentNullException.ThrowIfNull(shares);
        ArgumentNullException.ThrowIfNull(report);
        var factors = FactorsById(report);
        return shares
            .Select(s => factors.TryGetValue(s.Hotspot, out var factor) && factor < 1.0 ? s with { BeaconShares = s.BeaconShares * factor, WitnessShares = s.WitnessShares * factor } : s)
            .ToList();
    }

    /// <summary>
    /// The factor on a hotspot's PoC shares: its <see cref="HotspotSpoofingResult.RewardMultiplier"/> when the analysis
    /// penalised it, else 1 (weak evidence that leaves a hotspot above the penalty line costs it nothing).
    /// </summary>
    public static double Factor(HotspotSpoofingResult? result) => result is { Penalised: true } ? result.RewardMultiplier : 1.0;

    /// <summary><see cref="Factor"/> of every hotspot the report judged, by address.</summary>
    public static IReadOnlyDictionary<string, double> FactorsById(SpoofingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Hotspots.ToDictionary(h => h.HotspotId, Factor, StringComparer.Ordinal);
    }

    /// <summary>Runs the analysis over the valid PoCs whose beacon was received in <paramref name="epoch"/>.</summary>
    public static SpoofingReport AnalyzeEpoch(IEnumerable<VerifiedPoc> pocs, RewardEpoch epoch, IReadOnlyCollection<HotspotInfo> registry, SpoofingOptions options)
    {
        ArgumentNullException.ThrowIfNull(pocs);
        var startMs = (ulong)epoch.Start.ToUnixTimeMilliseconds();
        var endMs = (ulong)epoch.End.ToUnixTimeMilliseconds();
        var inEpoch = pocs.Where(p => p.Beacon.ReceivedMs >= startMs && p.Beacon.ReceivedMs < endMs);
        return new SpoofingAnalyzer(options).Analyze(ResultsFrom(inEpoch), registry);
    }

    /// <summary>The analyzer's input from stored verification outputs (valid beacons with their valid witnesses).</summary>
    public static IReadOnlyList<PocResult> ResultsFrom(IEnumerable<VerifiedPoc> pocs)
    {
        ArgumentNullException.ThrowIfNull(pocs);
        return pocs.Select(p => new PocResult(
                StoredReports.ToBeacon(p.Beacon).Ingest,
                null,
                p.Witnesses.Select(w => new VerifiedWitness(StoredReports.ToWitness(w.Report).Ingest, null, w.Selected)).ToList()))
            .ToList();
    }
}
