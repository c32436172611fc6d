using DePin.Wireless.Core.H3;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Poc;
using DePin.Wireless.CoverageOracle.Adapters;
using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.CoverageOracle.Tests.Verification;

/// <summary>
/// A proof-of-coverage world for the verifier tests: real H3 cells placed at computed great-circle distances,
/// real entropy-derived beacons, and lookups held in dictionaries.
/// </summary>
internal sealed class PocScenario : IVerifierLookups
{
    public static readonly GeoPoint Origin = new(52.0, 5.0);
    public static readonly DateTimeOffset EntropyTime = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    public readonly Dictionary<string, HotspotInfo> Hotspots = new(StringComparer.Ordinal);
    public readonly HashSet<string> Denied = new(StringComparer.Ordinal);
    public readonly HashSet<(string, string)> DeniedEdges = [];
    public readonly List<EntropyRecord> Entropies = [];
    public readonly PocHistory History = new();
    public readonly BeaconRegenerator Regenerator = new();
    public readonly H3PocGeometry Geometry = new();

    public PocScenario()
    {
        var data = new byte[32];
        new Random(7).NextBytes(data);
        Entropy = new EntropyRecord(data, EntropyTime);
        Entropies.Add(Entropy);
        AddHotspot("beaconer", Origin);
    }

    public EntropyRecord Entropy { get; }

    public VerifierOptions Options { get; } = new();

    public static GeoPoint At(double bearingDegrees, double meters) => GreatCircle.Destination(Origin, bearingDegrees, meters);

    public static ulong Cell(GeoPoint p) => H3Grid.LatLngToCell(p.LatitudeDegrees, p.LongitudeDegrees, 12).Value;

    public HotspotInfo AddHotspot(string id, GeoPoint at, int gainDeciDbi = 30, string region = "US915", HotspotCapability capability = HotspotCapability.Full)
    {
        var info = new HotspotInfo(id, Cell(at), gainDeciDbi, 10, region, capability);
        Hotspots[id] = info;
        return info;
    }

    /// <summary>Gives the hotspots the reciprocity history a healthy network would have: a recent valid witness and beacon.</summary>
    public void MakeReciprocal(params string[] ids)
    {
        foreach (var id in ids)
        {
            History.RecordValidWitness(id, EntropyTime - TimeSpan.FromHours(1));
            History.RecordValidBeaconWithWitness(id, EntropyTime - TimeSpan.FromHours(1));
        }
    }

    /// <summary>A correct beacon by the beaconer, received <paramref name="afterEntropy"/> after the entropy.</summary>
    public BeaconIngest Beacon(TimeSpan afterEntropy, string id = "beaconer")
    {
        var local = new byte[] { 1, 2, 3, 4 };
        var (radio, dataRate) = Regenerator.PlanFor(Hotspots[id].Region);
        var beacon = BeaconPayload.Generate(Entropy.Data, (ulong)Entropy.Timestamp.ToUnixTimeSeconds(), local, radio);
        return new BeaconIngest(id, EntropyTime + afterEntropy, local, Entropy.Data, beacon.Data, beacon.Frequency.Value, dataRate, 27);
    }

    public static WitnessIngest Witness(BeaconIngest beacon, string id, TimeSpan afterBeacon, int signalDeciDbm = -1000, long? frequencyHz = null) =>
        new(id, beacon.Received + afterBeacon, beacon.Data, signalDeciDbm, 500, frequencyHz ?? beacon.FrequencyHz, beacon.DataRate);

    public PocVerifier Verifier() => new(Options, this, Regenerator, Geometry, History);

    public HotspotInfo? FindHotspot(string id) => Hotspots.GetValueOrDefault(id);

    public bool IsDenied(string id) => Denied.Contains(id);

    public bool IsEdgeDenied(string a, string b) => DeniedEdges.Contains((a, b)) || DeniedEdges.Contains((b, a));

    public EntropyRecord? FindEntropy(ReadOnlySpan<byte> data)
    {
        foreach (var e in Entropies)
        {
            if (e.Data.AsSpan().SequenceEqual(data))
            {
                return e;
            }
        }

        return null;
    }
}
