using System.Numerics;
using DePin.Wireless.Core.H3;
using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.CoverageOracle.Map;

/// <summary>A hotspot's epoch as the map shows it: asserted cell, reward, whether it took part, and every invalid reason.</summary>
public sealed record MapHotspot(string Address, ulong AssertedCell, BigInteger Reward, bool Active, IReadOnlyList<string> Reasons);

/// <summary>A valid witness link with the signal the witness reported (dBm, dB).</summary>
public sealed record MapLink(string Beaconer, ulong BeaconerCell, string Witness, ulong WitnessCell, double Rssi, double Snr);

/// <summary>
/// Builds a map epoch from an epoch's outcome; shared by the oracle's <c>serve</c> (epochs it verified) and the
/// devnet (its simulated run), so both maps apply the same rules.
/// </summary>
public static class EpochSnapshotBuilder
{
    /// <summary>At most this many distinct beaconer–witness links are drawn (the page stays responsive).</summary>
    public const int MaxLinks = 20_000;

    /// <summary>
    /// Reasons that honest hotspots get from radio physics and network age alone (too close, late, no recent
    /// reciprocal activity); a hotspot is shown as penalised only for other reasons or when it took no part.
    /// </summary>
    public static readonly IReadOnlySet<string> ExpectedPhysicsReasons = new HashSet<string>(StringComparer.Ordinal)
    {
        InvalidReason.BelowMinDistance,
        InvalidReason.TooLate,
        InvalidReason.GatewayNoValidWitnesses,
        InvalidReason.GatewayNoValidBeacons,
    };

    public static EpochSnapshot Build(EpochInfo info, IEnumerable<(ulong Cell, double Score, int Hotspots)> cells, IEnumerable<MapHotspot> hotspots, IEnumerable<MapLink> links)
    {
        var cellList = cells.Select(c => new CellCoverage(new H3Cell(c.Cell), Math.Clamp(c.Score, 0, 1), c.Hotspots)).ToList();
        var hotspotList = hotspots
            .Select(h => new HotspotSummary(h.Address, new H3Cell(h.AssertedCell), h.Reward, Penalised: !h.Active || h.Reasons.Any(r => !ExpectedPhysicsReasons.Contains(r)), h.Reasons))
            .ToList();
        var linkList = links
            .DistinctBy(l => (l.Beaconer, l.Witness))
            .Take(MaxLinks)
            .Select(l => new WitnessLink(l.Beaconer, new H3Cell(l.BeaconerCell), l.Witness, new H3Cell(l.WitnessCell), l.Rssi, l.Snr))
            .ToList();
        return new EpochSnapshot(info, cellList, hotspotList, linkList);
    }
}
