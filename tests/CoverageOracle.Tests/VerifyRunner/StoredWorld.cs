using DePin.Wireless.Core.H3;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Poc;
using DePin.Wireless.CoverageOracle.Adapters;
using DePin.Wireless.CoverageOracle.Storage;
using DePin.Wireless.Proto;
using DePin.Wireless.TestSupport;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.Tests.VerifyRunner;

/// <summary>A report store with entropy, one beacon and its witnesses written as ingest would, plus a registry file.</summary>
internal sealed class StoredWorld : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    public static readonly GeoPoint Origin = new(52.0, 5.0);

    private readonly ManualTimeProvider _time = new(T0);
    private readonly ReportFileStore _beacons;
    private readonly ReportFileStore _witnesses;
    private readonly ReportFileStore _entropy;
    private readonly List<(KeyPair Key, GeoPoint At)> _hotspots = [];

    public StoredWorld()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("verify-").FullName;
        Reports = Path.Combine(Directory, "reports");
        _beacons = Store("beacon_report");
        _witnesses = Store("witness_report");
        _entropy = Store("entropy");
        EntropyData = SHA(1);
    }

    public string Directory { get; }

    public string Reports { get; }

    public byte[] EntropyData { get; }

    public KeyPair Add(string label, GeoPoint at)
    {
        var key = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel(label));
        _hotspots.Add((key, at));
        return key;
    }

    public async Task WriteEntropyAsync()
    {
        var e = new Proto.Entropy { Data = ByteString.CopyFrom(EntropyData), TimestampS = (ulong)T0.ToUnixTimeSeconds(), Version = 1 };
        using var oracle = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("oracle"));
        await _entropy.AppendAsync(Record(T0, new EnvelopeSigner(oracle, _time, SeededRandomSource.FromLabel("n")).Sign(e)));
    }

    public async Task<byte[]> WriteBeaconAsync(KeyPair key, TimeSpan afterEntropy)
    {
        var (radio, dataRate) = new BeaconRegenerator().PlanFor("US915");
        var local = new byte[] { 4, 3, 2, 1 };
        var beacon = BeaconPayload.Generate(EntropyData, (ulong)T0.ToUnixTimeSeconds(), local, radio);
        var report = new BeaconReport
        {
            HotspotKey = ByteString.CopyFrom(key.PublicKey.Bytes),
            LocalEntropy = ByteString.CopyFrom(local),
            RemoteEntropy = ByteString.CopyFrom(EntropyData),
            RemoteEntropyTimestampS = (ulong)T0.ToUnixTimeSeconds(),
            Data = ByteString.CopyFrom(beacon.Data),
            FrequencyHz = (ulong)beacon.Frequency.Value,
            Datarate = dataRate,
            TxPowerDdbm = 270,
        };
        await _beacons.AppendAsync(Record(T0 + afterEntropy, Sign(key, report)));
        return beacon.Data;
    }

    public async Task WriteWitnessAsync(KeyPair key, byte[] data, TimeSpan afterEntropy, int signalDeciDbm = -1000)
    {
        var (radio, dataRate) = new BeaconRegenerator().PlanFor("US915");
        var beacon = BeaconPayload.Generate(EntropyData, (ulong)T0.ToUnixTimeSeconds(), new byte[] { 4, 3, 2, 1 }, radio);
        var report = new WitnessReport
        {
            HotspotKey = ByteString.CopyFrom(key.PublicKey.Bytes),
            Data = ByteString.CopyFrom(data),
            SignalDdbm = signalDeciDbm,
            SnrCdb = 700,
            FrequencyHz = (ulong)beacon.Frequency.Value,
            Datarate = dataRate,
            TimestampNs = (ulong)(T0 + afterEntropy).ToUnixTimeMilliseconds() * 1_000_000,
        };
        await _witnesses.AppendAsync(Record(T0 + afterEntropy, Sign(key, report)));
    }

    public async Task<string> WriteRegistryAsync()
    {
        var entries = _hotspots.Select(h =>
            $$"""{"public_key":"{{Convert.ToHexString(h.Key.PublicKey.Bytes)}}","owner":"o","region":"US915","capability":"full","location":"{{H3Grid.LatLngToCell(h.At.LatitudeDegrees, h.At.LongitudeDegrees, 12)}}","gain_deci_dbi":30,"elevation_m":5}""");
        var path = Path.Combine(Directory, "registry.json");
        await File.WriteAllTextAsync(path, $$"""{"hotspots":[{{string.Join(',', entries)}}]}""");
        return path;
    }

    /// <summary>Closes the stores so everything is on disk.</summary>
    public async Task FlushAsync()
    {
        await _beacons.DisposeAsync();
        await _witnesses.DisposeAsync();
        await _entropy.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await FlushAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static byte[] SHA(int seed) => System.Security.Cryptography.SHA256.HashData([(byte)seed]);

    private static IngestRecord Record(DateTimeOffset received, SignedEnvelope envelope) =>
        new() { ReceivedMs = (ulong)received.ToUnixTimeMilliseconds(), Envelope = envelope };

    private SignedEnvelope Sign(KeyPair key, IMessage payload) => new EnvelopeSigner(key, _time, SeededRandomSource.FromLabel(Convert.ToHexString(payload.ToByteArray()))).Sign(payload);

    private ReportFileStore Store(string prefix) => new(new ReportFileStoreOptions { Directory = Reports, Prefix = prefix }, _time);
}
