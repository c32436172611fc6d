using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Observability;
using DePin.Wireless.CoverageOracle.Ingest;
using DePin.Wireless.CoverageOracle.Registry;
using DePin.Wireless.CoverageOracle.Storage;
using DePin.Wireless.Proto;
using DePin.Wireless.TestSupport;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.Tests.Ingest;

public sealed class ReportIngestorTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ingest-").FullName;
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));
    private readonly KeyPair _key = SignedReports.HotspotKey();
    private readonly MetricsRegistry _metrics = new();
    private ReportFileStore _store = null!;
    private ReportIngestor<BeaconReport> _beacons = null!;
    private ReportIngestor<WitnessReport> _witnesses = null!;

    public async Task InitializeAsync()
    {
        var registryPath = Path.Combine(_dir, "registry.json");
        await File.WriteAllTextAsync(registryPath, SignedReports.RegistryJson(_key));
        var registry = (await RegistryFile.LoadAsync(registryPath, default)).Registry;
        var envelopeOptions = new EnvelopeVerifierOptions();
        var guard = new InMemoryReplayGuard(_time);
        var verifier = new EnvelopeVerifier(envelopeOptions, _time, guard);
        _store = new ReportFileStore(new ReportFileStoreOptions { Directory = _dir, Prefix = "beacon_report" }, _time);
        _beacons = new ReportIngestor<BeaconReport>("beacon", verifier, envelopeOptions, guard, registry, ReportValidation.Check, _store, _time, _metrics);
        _witnesses = new ReportIngestor<WitnessReport>("witness", verifier, envelopeOptions, guard, registry, ReportValidation.Check, _store, _time, _metrics);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private byte[] Sign(IMessage payload, KeyPair? key = null) => new EnvelopeSigner(key ?? _key, _time, SeededRandomSource.FromLabel(Guid.NewGuid().ToString())).SignToBytes(payload);

    private List<IngestRecord> Stored() => ReportFileStore.ListFiles(_dir, "beacon_report", DateTimeOffset.MinValue, DateTimeOffset.MaxValue)
        .SelectMany(f => ReportFileStore.ReadFile(f.Path, IngestRecord.Parser, out _)).ToList();

    [Fact]
    public async Task Valid_beacon_is_stored_with_the_receive_time_before_it_is_accepted()
    {
        var body = Sign(SignedReports.Beacon(_key));
        var outcome = await _beacons.IngestAsync(body, default);
        Assert.Equal((200, "accepted"), (outcome.Status, outcome.Outcome));
        var record = Assert.Single(Stored());
        Assert.Equal((ulong)_time.GetUtcNow().ToUnixTimeMilliseconds(), record.ReceivedMs);
        Assert.Equal(body, record.Envelope.ToByteArray());
        Assert.Contains("oracle_reports_total{kind=\"beacon\",outcome=\"accepted\"} 1", _metrics.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_witness_is_accepted() =>
        Assert.Equal(200, (await _witnesses.IngestAsync(Sign(SignedReports.Witness(_key)), default)).Status);

    [Fact]
    public async Task Same_envelope_twice_is_refused_as_replayed_and_stored_once()
    {
        var body = Sign(SignedReports.Beacon(_key));
        await _beacons.IngestAsync(body, default);
        var again = await _beacons.IngestAsync(body, default);
        Assert.Equal((409, "replayed"), (again.Status, again.Outcome));
        Assert.Single(Stored());
    }

    [Fact]
    public async Task Garbage_body_is_malformed()
    {
        var outcome = await _beacons.IngestAsync(new byte[] { 0xFF, 0xFF, 0xFF }, default);
        Assert.Equal((400, "malformed"), (outcome.Status, outcome.Outcome));
        Assert.Empty(Stored());
    }

    [Fact]
    public async Task Tampered_signature_is_401()
    {
        var envelope = SignedEnvelope.Parser.ParseFrom(Sign(SignedReports.Beacon(_key)));
        var sig = envelope.Signature.ToByteArray();
        sig[0] ^= 1;
        envelope.Signature = ByteString.CopyFrom(sig);
        var outcome = await _beacons.IngestAsync(envelope.ToByteArray(), default);
        Assert.Equal((401, "bad_signature"), (outcome.Status, outcome.Outcome));
        Assert.Empty(Stored());
    }

    [Fact]
    public async Task Witness_sent_to_the_beacon_endpoint_is_the_wrong_payload_type()
    {
        var outcome = await _beacons.IngestAsync(Sign(SignedReports.Witness(_key)), default);
        Assert.Equal(400, outcome.Status);
        Assert.Contains("payload_type", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Envelope_older_than_five_minutes_is_stale()
    {
        var body = Sign(SignedReports.Beacon(_key));
        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(1));
        var outcome = await _beacons.IngestAsync(body, default);
        Assert.Equal((400, "stale"), (outcome.Status, outcome.Outcome));
    }

    [Fact]
    public async Task Hotspot_not_onboarded_is_403()
    {
        using var stranger = SignedReports.HotspotKey("stranger");
        var outcome = await _beacons.IngestAsync(Sign(SignedReports.Beacon(stranger), stranger), default);
        Assert.Equal((403, "unknown_hotspot"), (outcome.Status, outcome.Outcome));
        Assert.Contains("not onboarded", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_for_another_hotspot_is_refused()
    {
        using var other = SignedReports.HotspotKey("other");
        var outcome = await _beacons.IngestAsync(Sign(SignedReports.Beacon(other)), default);
        Assert.Equal((400, "invalid_report"), (outcome.Status, outcome.Outcome));
        Assert.StartsWith("hotspot_key:", outcome.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data", "data:")]
    [InlineData("local_entropy", "local_entropy:")]
    [InlineData("remote_entropy", "remote_entropy:")]
    [InlineData("frequency", "frequency_hz:")]
    [InlineData("datarate", "datarate:")]
    public async Task Bad_field_is_named_and_never_stored(string field, string expectedPrefix)
    {
        var beacon = SignedReports.Beacon(_key);
        switch (field)
        {
            case "data": beacon.Data = ByteString.CopyFrom(new byte[15]); break;
            case "local_entropy": beacon.LocalEntropy = ByteString.CopyFrom(1, 2, 3); break;
            case "remote_entropy": beacon.RemoteEntropy = ByteString.CopyFrom(new byte[31]); break;
            case "frequency": beacon.FrequencyHz = 0; break;
            default: beacon.Datarate = "SF99XX"; break;
        }

        var outcome = await _beacons.IngestAsync(Sign(beacon), default);
        Assert.Equal(400, outcome.Status);
        Assert.StartsWith(expectedPrefix, outcome.Error, StringComparison.Ordinal);
        Assert.Empty(Stored());
    }

    [Fact]
    public async Task Refused_report_does_not_burn_its_nonce()
    {
        // A report refused for a field problem must not fill the replay guard: only stored reports record nonces.
        var beacon = SignedReports.Beacon(_key);
        beacon.FrequencyHz = 0;
        var body = Sign(beacon);
        Assert.Equal(400, (await _beacons.IngestAsync(body, default)).Status);
        Assert.Equal(400, (await _beacons.IngestAsync(body, default)).Status);
    }
}
