using BenchmarkDotNet.Attributes;
using DePin.Wireless.Core.H3;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Poc;
using DePin.Wireless.CoverageOracle.Adapters;
using DePin.Wireless.CoverageOracle.Density;
using DePin.Wireless.CoverageOracle.Ingest;
using DePin.Wireless.CoverageOracle.Registry;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Benchmarks.Oracle;

/// <summary>
/// The fourteen witness checks (no signatures) over 1,000 valid witnesses of one beacon, 2–20 km around it.
/// Target: ≥ 1,000,000 witnesses/s per core.
/// Run: dotnet run -c Release --project bench/Benchmarks -- --filter '*WitnessCheckBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class WitnessCheckBenchmarks
{
    private const int Witnesses = 1000;
    private WitnessChecks _checks = null!;
    private BeaconIngest _beacon = null!;
    private HotspotInfo _beaconer = null!;
    private EntropyRecord _entropy = null!;
    private WitnessIngest[] _witnesses = null!;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    [GlobalSetup]
    public void Setup()
    {
        var t0 = new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
        var origin = new GeoPoint(52.0, 5.0);
        var lookups = new Lookups();
        _beaconer = lookups.Add("beaconer", origin);
        _entropy = new EntropyRecord(new byte[32], t0);
        _beacon = new BeaconIngest("beaconer", t0.AddSeconds(10), [1, 2, 3, 4], _entropy.Data, new byte[51], 903_900_000, "SF9BW125", 27);
        var history = new PocHistory();
        var random = new Random(1);
        _witnesses = new WitnessIngest[Witnesses];
        for (var i = 0; i < Witnesses; i++)
        {
            var id = "w" + i;
            lookups.Add(id, GreatCircle.Destination(origin, random.NextDouble() * 360, 2000 + (random.NextDouble() * 18_000)));
            history.RecordValidBeaconWithWitness(id, t0);
            _witnesses[i] = new WitnessIngest(id, _beacon.Received.AddMilliseconds(100), _beacon.Data, -1300, 500, _beacon.FrequencyHz, "SF9BW125");
        }

        _checks = new WitnessChecks(new VerifierOptions(), lookups, new H3PocGeometry(), history);
    }

    [Benchmark(OperationsPerInvoke = Witnesses)]
    public int VerifyWitness()
    {
        _seen.Clear();
        var valid = 0;
        foreach (var w in _witnesses)
        {
            if (_checks.Verify(_beacon, _beaconer, _entropy, w, _witnesses[0].Received, _seen) is null)
            {
                valid++;
            }
        }

        return valid == Witnesses ? valid : throw new InvalidOperationException($"only {valid} of {Witnesses} witnesses valid");
    }

    private sealed class Lookups : IVerifierLookups
    {
        private readonly Dictionary<string, HotspotInfo> _hotspots = new(StringComparer.Ordinal);

        public HotspotInfo Add(string id, GeoPoint at)
        {
            var info = new HotspotInfo(id, H3Grid.LatLngToCell(at.LatitudeDegrees, at.LongitudeDegrees, 12).Value, 30, 5, "US915", HotspotCapability.Full);
            _hotspots[id] = info;
            return info;
        }

        public HotspotInfo? FindHotspot(string id) => _hotspots.GetValueOrDefault(id);

        public bool IsDenied(string id) => false;

        public bool IsEdgeDenied(string a, string b) => false;

        public EntropyRecord? FindEntropy(ReadOnlySpan<byte> data) => null;
    }
}

/// <summary>
/// Ingest's work before the durable append (envelope authentication with its signature, registry key lookup,
/// field checks) against the raw signature primitive on the same bytes. Target: ingest ≥ 80% of the primitive's rate.
/// Run: dotnet run -c Release --project bench/Benchmarks -- --filter '*IngestSignatureBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class IngestSignatureBenchmarks
{
    private EnvelopeVerifier _verifier = null!;
    private InMemoryHotspotRegistry _registry = null!;
    private SignedEnvelope _envelope = null!;
    private byte[] _canonical = null!;
    private byte[] _signature = null!;
    private PublicKey _key;

    [GlobalSetup]
    public void Setup()
    {
        var time = TimeProvider.System;
        using var key = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("bench-hotspot"));
        _key = key.PublicKey;
        _registry = new InMemoryHotspotRegistry();
        _registry.OnboardAsync(new HotspotOnboarding(_key.ToAddress(), _key.ToByteArray(), "o", "US915", HotspotCapability.Full)).GetAwaiter().GetResult();
        _verifier = new EnvelopeVerifier(new EnvelopeVerifierOptions { MaxAge = TimeSpan.FromDays(1) }, time, new InMemoryReplayGuard(time));
        var report = new BeaconReport
        {
            HotspotKey = ByteString.CopyFrom(_key.Bytes),
            LocalEntropy = ByteString.CopyFrom(1, 2, 3, 4),
            RemoteEntropy = ByteString.CopyFrom(new byte[32]),
            Data = ByteString.CopyFrom(new byte[51]),
            FrequencyHz = 903_900_000,
            Datarate = "SF9BW125",
        };
        _envelope = new EnvelopeSigner(key, time, SeededRandomSource.FromLabel("n")).Sign(report);
        var unsigned = _envelope.Clone();
        unsigned.Signature = ByteString.Empty;
        _canonical = unsigned.ToByteArray();
        _signature = _envelope.Signature.ToByteArray();
        if (!_key.Verify(_canonical, _signature))
        {
            throw new InvalidOperationException("canonical bytes do not match the signed bytes");
        }
    }

    [Benchmark(Baseline = true)]
    public bool RawEd25519Verify() => _key.Verify(_canonical, _signature);

    [Benchmark]
    public bool IngestChecks()
    {
        var auth = _verifier.Authenticate<BeaconReport>(_envelope);
        var registered = _registry.GetPublicKeyAsync(auth.Signer.ToAddress()).GetAwaiter().GetResult();
        return auth.IsValid && registered is not null && ReportValidation.Check(auth.ValidPayload, _envelope.SignerKey) is null;
    }
}

/// <summary>
/// HIP-17 hex density over 1,000,000 active hotspots spread over ~5°×5° (dense enough that every level clips):
/// the sorted-array calculator against the dictionary-based reference (baseline) in the same run.
/// Target: &lt; 2 s. Run: dotnet bench/Benchmarks/bin/Release/net10.0/Benchmarks.dll --filter '*HexDensityBenchmarks*' --inProcess
///   --strategy Monitoring --launchCount 1 --warmupCount 1 --iterationCount 3 (one operation takes seconds).
/// </summary>
[MemoryDiagnoser]
public class HexDensityBenchmarks
{
    private Dictionary<string, ulong> _hotspots = null!;
    private HexDensityCalculator _calculator = null!;
    private ReferenceHexDensityCalculator _reference = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _hotspots = new Dictionary<string, ulong>(1_000_000, StringComparer.Ordinal);
        for (var i = 0; i < 1_000_000; i++)
        {
            _hotspots["h" + i] = H3Grid.LatLngToCell(48 + (random.NextDouble() * 5), 2 + (random.NextDouble() * 5), 12).Value;
        }

        _calculator = new HexDensityCalculator(new H3HexHierarchy(), new HexDensityOptions());
        _reference = new ReferenceHexDensityCalculator(new H3HexHierarchy(), new HexDensityOptions());
    }

    [Benchmark(Baseline = true)]
    public int ReferenceOneMillionHotspots() => _reference.Compute(_hotspots).Count;

    [Benchmark]
    public int OneMillionHotspots() => _calculator.Compute(_hotspots).Count;
}
