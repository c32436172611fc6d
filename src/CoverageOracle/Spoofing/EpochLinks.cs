using DePin.Wireless.Core.H3;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.CoverageOracle.Spoofing;

/// <summary>
/// One valid beacon → witness link with both asserted positions resolved. <see cref="BeaconerIndex"/> and
/// <see cref="WitnessIndex"/> number both ends in <see cref="EpochLinks.HotspotIds"/> (ordinal id order), so the analyses
/// group links per hotspot with arrays instead of hashing id strings.
/// </summary>
public sealed record PocLink(
    PocResult Poc,
    HotspotInfo Beaconer,
    HotspotInfo Witness,
    WitnessIngest Report,
    GeoPoint BeaconerPosition,
    GeoPoint WitnessPosition,
    double AssertedDistanceMeters,
    int BeaconerIndex = -1,
    int WitnessIndex = -1)
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

/// <summary>A valid beacon with its valid, located witnesses; <see cref="BeaconerIndex"/> numbers the beaconer in <see cref="EpochLinks.HotspotIds"/>.</summary>
public sealed record BeaconLinks(PocResult Poc, HotspotInfo Beaconer, GeoPoint BeaconerPosition, IReadOnlyList<PocLink> Links, int BeaconerIndex = -1);

/// <summary>
/// Resolves an epoch's PoC results against the registry: valid beacons of asserted hotspots and their valid witnesses,
/// each asserted H3 cell turned into its centre (H3Grid.CellToLatLng). Invalid beacons/witnesses, unknown or unasserted hotspots are skipped:
/// Helium's checks already judged them.
/// </summary>
public sealed class EpochLinks
{
    private EpochLinks(IReadOnlyList<BeaconLinks> beacons, IReadOnlyDictionary<string, HotspotInfo> hotspots, IReadOnlyDictionary<string, GeoPoint> positions, IReadOnlyList<string> hotspotIds)
    {
        Beacons = beacons;
        Hotspots = hotspots;
        Positions = positions;
        HotspotIds = hotspotIds;
        _links = new Lazy<PocLink[]>(() => [.. Beacons.SelectMany(b => b.Links)]);
    }

    private readonly Lazy<PocLink[]> _links;

    public IReadOnlyList<BeaconLinks> Beacons { get; }

    public IReadOnlyDictionary<string, HotspotInfo> Hotspots { get; }

    public IReadOnlyDictionary<string, GeoPoint> Positions { get; }

    /// <summary>Every located hotspot's id in ordinal order: <see cref="PocLink.BeaconerIndex"/> and <see cref="PocLink.WitnessIndex"/> index it.</summary>
    public IReadOnlyList<string> HotspotIds { get; }

    /// <summary>Number of links over all beacons.</summary>
    public int LinkCount => _links.Value.Length;

    public IEnumerable<PocLink> AllLinks => Beacons.SelectMany(b => b.Links);

    /// <summary>
    /// Every link in beacon order, gathered once (thread-safe) and shared: the per-link checks run side by side, and each
    /// copy of ten million references would be one more large-object allocation for the collector.
    /// </summary>
    internal PocLink[] LinkArray => _links.Value;

    /// <summary>The same epoch without the given links (by reference), e.g. witnesses that heard a replayed copy.</summary>
    public EpochLinks Without(IReadOnlySet<PocLink> removed)
    {
        ArgumentNullException.ThrowIfNull(removed);
        if (removed.Count == 0)
        {
            return this;
        }

        var beacons = Beacons.Select(b => b with { Links = b.Links.Where(l => !removed.Contains(l)).ToList() }).ToList();
        return new EpochLinks(beacons, Hotspots, Positions, HotspotIds);
    }

    /// <summary>
    /// Resolves <paramref name="results"/> against <paramref name="registry"/> (a later registry entry for an id wins). Beacons
    /// are resolved in parallel in fixed chunks and kept in result order, so the epoch is the same however threads run.
    /// </summary>
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

        var ids = positions.Keys.ToArray();
        Array.Sort(ids, StringComparer.Ordinal);
        var located = new Dictionary<string, Located>(ids.Length, StringComparer.Ordinal);
        for (var i = 0; i < ids.Length; i++)
        {
            located[ids[i]] = new Located(hotspots[ids[i]], positions[ids[i]], i);
        }

        var pocs = results as IReadOnlyList<PocResult> ?? [.. results];
        var resolved = new BeaconLinks?[pocs.Count];
        ParallelChunks.For(pocs.Count, BeaconsPerChunk, (start, end) =>
        {
            for (var p = start; p < end; p++)
            {
                resolved[p] = Resolve(pocs[p], located);
            }
        });

        var beacons = new List<BeaconLinks>(pocs.Count);
        foreach (var beacon in resolved)
        {
            if (beacon is not null)
            {
                beacons.Add(beacon);
            }
        }

        return new EpochLinks(beacons, hotspots, positions, ids);
    }

    /// <summary>Beacons per parallel work item (each has dozens of witnesses to resolve).</summary>
    private const int BeaconsPerChunk = 1 << 10;

    private static BeaconLinks? Resolve(PocResult poc, Dictionary<string, Located> located)
    {
        if (!poc.BeaconValid || !located.TryGetValue(poc.Beacon.HotspotId, out var beaconer))
        {
            return null;
        }

        var links = new List<PocLink>(poc.Witnesses.Count);
        foreach (var w in poc.Witnesses)
        {
            if (w.IsValid && located.TryGetValue(w.Report.HotspotId, out var witness) && witness.Index != beaconer.Index)
            {
                links.Add(new PocLink(poc, beaconer.Info, witness.Info, w.Report, beaconer.Position, witness.Position, GreatCircle.DistanceMeters(beaconer.Position, witness.Position), beaconer.Index, witness.Index));
            }
        }

        return new BeaconLinks(poc, beaconer.Info, beaconer.Position, links, beaconer.Index);
    }

    /// <summary>A located hotspot as the lookup's value, stored inline in the dictionary (one memory access fewer per witness).</summary>
    private readonly record struct Located(HotspotInfo Info, GeoPoint Position, int Index);
}
