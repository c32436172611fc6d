using DePin.Wireless.Core.H3;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.CoverageOracle.Spoofing;
using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.CoverageOracle.Tests.Spoofing;

/// <summary>Hand-made hotspots and PoC results for unit tests of single analyses.</summary>
internal static class PocBuilder
{
    public static readonly GeoPoint Origin = new(52.37, 4.89);
    public static readonly DateTimeOffset T0 = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    public static HotspotInfo Hotspot(string id, GeoPoint at) =>
        new(id, H3Grid.LatLngToCell(at.LatitudeDegrees, at.LongitudeDegrees, 12).Value, 30, 0, "EU868", HotspotCapability.Full);

    public static HotspotInfo HotspotAt(string id, double bearing, double meters) => Hotspot(id, GreatCircle.Destination(Origin, bearing, meters));

    public static WitnessIngest Witness(string id, double rssiDbm, double snrDb, long? fineNs = null, DateTimeOffset? heardAt = null) =>
        new(id, T0.AddMilliseconds(300), [1], (int)Math.Round(rssiDbm * 10), (int)Math.Round(snrDb * 100), 868_100_000, "SF9BW125", heardAt, fineNs);

    public static PocResult Poc(string beaconer, params WitnessIngest[] witnesses) =>
        new(new BeaconIngest(beaconer, T0.AddMilliseconds(100), [1], [2], [1], 868_100_000, "SF9BW125", 27), null, witnesses.Select(w => new VerifiedWitness(w, null, true)).ToList());

    public static BeaconLinks Beacon(PocResult poc, IEnumerable<HotspotInfo> registry) => EpochLinks.Build([poc], registry).Beacons.Single();

    /// <summary>Fine timestamp (ns within the second) of a signal emitted at T0 + emitNs that travelled from <paramref name="from"/> to the hotspot's asserted cell centre.</summary>
    public static long ArrivalNs(GeoPoint from, HotspotInfo at, long emitNs)
    {
        var ll = H3Grid.CellToLatLng(new H3Cell(at.Location!.Value));
        var meters = GreatCircle.DistanceMeters(from, new GeoPoint(ll.Lat, ll.Lng));
        return (emitNs + (long)Math.Round(meters / FreeSpacePathLoss.SpeedOfLight * 1e9)) % 1_000_000_000;
    }
}
