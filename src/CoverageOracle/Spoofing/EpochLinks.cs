using DePin.Wireless.Core.H3;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.CoverageOracle.Spoofing;

/// <summary>One valid beacon → witness link with both asserted positions resolved.</summary>
public sealed record PocLink(
    PocResult Poc,
    HotspotInfo Beaconer,
    HotspotInfo Witness,
    WitnessIngest Report,
    GeoPoint BeaconerPosition,
    GeoPoint WitnessPosition,
    double AssertedDistanceMeters)
{
    /// <summary>
    /// Link gain in dB: RSSI − TxPower − both antenna gains (tenths of dBi). Computed once: the path-loss fits read it on
    /// every iteration over every link of the epoch.
    /// </summary>
    public double GainDb { get; } = (Report.SignalDeciDbm / 10.0) - Poc.Beacon.TxPowerDbm - (Beaconer.GainDeciDbi / 10.0) - (Witness.GainDeciDbi / 10.0);

    /// <summary>log10 of the asserted distance in km (at least 1 m, so co-located assertions stay finite).</summary>
    public double LogDistanceKm { get; } = Math.Log10(Math.Max(AssertedDistanceMeters, 1.0) / 1000.0);

    /// <summary>The witness report's data rate, parsed once; null when it does not parse.</summary>
    public DataRate? Rate { get; } = DataRate.TryParse(Report.DataRate.AsSpan(), out var rate, out _) ? rate : null;
}

/// <summary>A valid beacon with its valid, located witnesses.</summary>
public sealed record BeaconLinks(PocResult Poc, HotspotInfo Beaconer, GeoPoint BeaconerPosition, IReadOnlyList<PocLink> Links);

/// <summary>
/// Resolves an epoch's PoC results against the registry: valid beacons of asserted hotspots and their valid witnesses,
/// each asserted H3 cell turned into its centre (H3Grid.CellToLatLng). Invalid beacons/witnesses, unknown or unasserted hotspots are skipped:
/// Helium's checks already judged them.
/// </summary>
public sealed class EpochLinks
{
    private EpochLinks(IReadOnlyList<BeaconLinks> beacons, IReadOnlyDictionary<string, HotspotInfo> hotspots, IReadOnlyDictionary<string, GeoPoint> positions)
    {
        Beacons = beacons;
        Hotspots = hotspots;
        Positions = positions;
    }

    public IReadOnlyList<BeaconLinks> Beacons { get; }

    public IReadOnlyDictionary<string, HotspotInfo> Hotspots { get; }

    public IReadOnlyDictionary<string, GeoPoint> Positions { get; }

    public IEnumerable<PocLink> AllLinks => Beacons.SelectMany(b => b.Links);

    /// <summary>The same epoch without the given links (by reference), e.g. witnesses that heard a replayed copy.</summary>
    public EpochLinks Without(IReadOnlySet<PocLink> removed)
    {
        ArgumentNullException.ThrowIfNull(removed);
        if (removed.Count == 0)
        {
            return this;
        }

        var beacons = Beacons.Select(b => b with { Links = b.Links.Where(l => !removed.Contains(l)).ToList() }).ToList();
        return new EpochLinks(beacons, Hotspots, Positions);
    }

    public static EpochLinks Build(IEnumerable<PocResult> results, IEnumerable<HotspotInfo> registry)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(registry);
        var hotspots = new Dictionary<string, HotspotInfo>(StringComparer.Ordinal);
        var positions = new Dictionary<string, GeoPoint>(StringComparer.Ordinal);
        foreach (var h in registry)
        {
            hotspots[h.Id] = h;
            if (h.Location is { } cell && new H3Cell(cell).IsValid)
            {
                var ll = H3Grid.CellToLatLng(new H3Cell(cell));
                positions[h.Id] = new GeoPoint(ll.Lat, ll.Lng);
            }
        }

        var beacons = new List<BeaconLinks>();
        foreach (var poc in results)
        {
            if (!poc.BeaconValid || !hotspots.TryGetValue(poc.Beacon.HotspotId, out var beaconer) || !positions.TryGetValue(beaconer.Id, out var bp))
            {
                continue;
            }

            var links = new List<PocLink>();
            foreach (var w in poc.Witnesses.Where(w => w.IsValid))
            {
                if (hotspots.TryGetValue(w.Report.HotspotId, out var wh) && positions.TryGetValue(wh.Id, out var wp) && wh.Id != beaconer.Id)
                {
                    links.Add(new PocLink(poc, beaconer, wh, w.Report, bp, wp, GreatCircle.DistanceMeters(bp, wp)));
                }
            }

            beacons.Add(new BeaconLinks(poc, beaconer, bp, links));
        }

        return new EpochLinks(beacons, hotspots, positions);
    }
}
