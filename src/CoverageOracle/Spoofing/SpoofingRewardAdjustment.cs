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
        var penalised = report.Hotspots.Where(h => h.Penalised).ToDictionary(h => h.HotspotId, h => h.RewardMultiplier, StringComparer.Ordinal);
        return shares
            .Select(s => penalised.TryGetValue(s.Hotspot, out var factor) ? s with { BeaconShares = s.BeaconShares * factor, WitnessShares = s.WitnessShares * factor } : s)
            .ToList();
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
