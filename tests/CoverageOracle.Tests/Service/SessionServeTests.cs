using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.CoverageOracle.Map;
using DePin.Wireless.CoverageOracle.Rewards;
using DePin.Wireless.CoverageOracle.Service;
using DePin.Wireless.CoverageOracle.Storage;
using DePin.Wireless.Proto;
using DePin.Wireless.TestSupport;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.Tests.Service;

/// <summary>
/// Session v1 against serve over real HTTP on loopback: POST /v1/sessions, reports as session frames stored,
/// verified and rewarded like signed ones; replayed and wrongly tagged frames refused; 401 once the oracle forgets
/// the session (TTL, restart).
/// </summary>
public sealed class SessionServeTests : IAsyncDisposable
{
    private static readonly RewardEpoch Epoch = new(20522);
    private static readonly GeoPoint Origin = new(52.0, 5.0);
    private static readonly MediaTypeHeaderValue FrameType = MediaTypeHeaderValue.Parse(SessionProtocol.FrameContentType);

    private readonly string _directory = Directory.CreateTempSubdirectory("serve-session-").FullName;
    private readonly ManualTimeProvider _time = new(Epoch.End - TimeSpan.FromMinutes(10));
    private readonly KeyPair _beaconer = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("beaconer"));
    private readonly KeyPair _witness = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("witness"));
    private readonly KeyPair _stranger = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("not onboarded"));
    private HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Session_reports_are_stored_verified_and_rewarded_and_refused_when_replayed_forged_or_forgotten()
    {
        var options = await OptionsAsync();
        var coverage = new InMemoryCoverageSource();
        await using var server = await OracleServer.CreateAsync(options, _time, SeededRandomSource.FromLabel("oracle"), coverage, [app => CoverageMapEndpoints.Map(app, coverage, Path.Combine(AppContext.BaseDirectory, "map"))], CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var (run, errors) = await StartAsync(server, cts.Token);

        var beaconerSession = await OpenAsync(_beaconer);
        var witnessSession = await OpenAsync(_witness);
        Assert.Equal(2, server.Sessions.Count);

        var entropy = await ServeTestKit.EntropyAsync(_http);
        _time.Advance(TimeSpan.FromSeconds(20));
        var (beacon, dataRate, beaconReport) = ServeTestKit.Beacon(_beaconer, entropy);
        var beaconFrame = beaconerSession.SealToBytes(beaconReport);
        Assert.Equal(HttpStatusCode.OK, (await PostFrameAsync("/v1/beacon-reports", beaconFrame)).Status);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        var witness = ServeTestKit.Witness(_witness, beacon, dataRate, _time.GetUtcNow());
        var witnessFrame = witnessSession.SealToBytes(witness);
        Assert.Equal(HttpStatusCode.OK, (await PostFrameAsync("/v1/witness-reports", witnessFrame)).Status);

        // The same frame again, a frame with a wrong tag, a frame on the wrong endpoint.
        var replay = await PostFrameAsync("/v1/witness-reports", witnessFrame);
        Assert.Equal(HttpStatusCode.Conflict, replay.Status);
        Assert.StartsWith("replayed: counter: 1 was already accepted", replay.Error);
        var forged = SessionFrame.Parser.ParseFrom(witnessSession.SealToBytes(witness));
        forged.Tag = ByteString.CopyFrom(new byte[16]);
        var badTag = await PostFrameAsync("/v1/witness-reports", forged.ToByteArray());
        Assert.Equal(HttpStatusCode.Unauthorized, badTag.Status);
        Assert.StartsWith("bad_tag: tag:", badTag.Error);
        var wrongEndpoint = await PostFrameAsync("/v1/beacon-reports", witnessSession.SealToBytes(witness));
        Assert.Equal(HttpStatusCode.BadRequest, wrongEndpoint.Status);
        Assert.StartsWith("wrong_payload_type:", wrongEndpoint.Error);

        // Stored: the authenticated signer and payload, the session proof, and the signed open it was keyed from.
        var stored = Records(options, ReportPrefixes.Witness);
        var record = Assert.Single(stored);
        Assert.Equal(_witness.PublicKey.Bytes.ToArray(), record.Envelope.SignerKey.ToByteArray());
        Assert.Equal(witness, WitnessReport.Parser.ParseFrom(record.Envelope.Payload));
        Assert.True(record.Envelope.Signature.IsEmpty);
        Assert.Equal(witnessSession.SessionId, record.Session.SessionId);
        Assert.Equal(1UL, record.Session.Counter);
        Assert.Equal(16, record.Session.Tag.Length);
        var opens = Records(options, ReportPrefixes.SessionOpen);
        Assert.Equal(2, opens.Count);
        var witnessOpen = Assert.Single(opens, o => o.Session.SessionId == witnessSession.SessionId);
        Assert.Equal(_witness.PublicKey, PublicKey.Parse(witnessOpen.Envelope.SignerKey.Span));
        Assert.True(_witness.PublicKey.Verify(UnsignedBytes(witnessOpen.Envelope), witnessOpen.Envelope.Signature.Span));

        // The verify step and the epoch close treat session reports like signed ones.
        _time.SetUtcNow(Epoch.End + TimeSpan.FromSeconds(options.VerifySettleSeconds + options.VerifyPollSeconds));
        await ServeTestKit.WaitForEpochAsync(_http, Epoch);
        var byAddress = await ServeTestKit.HotspotsAsync(_http, Epoch);
        Assert.Equal("valid", byAddress[_beaconer.PublicKey.ToAddress()].GetProperty("status").GetString());
        Assert.Equal("valid", byAddress[_witness.PublicKey.ToAddress()].GetProperty("status").GetString());
        Assert.NotEqual("0", byAddress[_witness.PublicKey.ToAddress()].GetProperty("reward").GetString());

        // Past its TTL (options: 10 min) the session is refused with 401 so the hotspot re-opens, and the new one works.
        var expired = await PostFrameAsync("/v1/witness-reports", witnessSession.SealToBytes(witness));
        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.StartsWith("expired_session: session_id:", expired.Error);
        var reopened = await OpenAsync(_witness);
        witness.TimestampNs = (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
        Assert.Equal(HttpStatusCode.OK, (await PostFrameAsync("/v1/witness-reports", reopened.SealToBytes(witness))).Status);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Empty(errors);

        // A restarted oracle holds no sessions: 401 unknown_session.
        options.Port = FreePort.Tcp();
        await using var restarted = await OracleServer.CreateAsync(options, _time, SeededRandomSource.FromLabel("oracle-2"), null, [], CancellationToken.None);
        using var cts2 = new CancellationTokenSource();
        var (run2, _) = await StartAsync(restarted, cts2.Token);
        var unknown = await PostFrameAsync("/v1/witness-reports", reopened.SealToBytes(witness));
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
        Assert.StartsWith("unknown_session: session_id: no session", unknown.Error);
        await StopAsync(cts2, run2);
    }

    [Fact]
    public async Task Opens_are_refused_for_strangers_other_audiences_replays_and_bad_signatures()
    {
        var options = await OptionsAsync();
        await using var server = await OracleServer.CreateAsync(options, _time, SeededRandomSource.FromLabel("oracle"), null, [], CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var (run, _) = await StartAsync(server, cts.Token);

        var stranger = await PostAsync("/v1/sessions", Request(_stranger, SessionProtocol.CoverageOracle).Body, new MediaTypeHeaderValue("application/x-protobuf"));
        Assert.Equal(HttpStatusCode.Forbidden, stranger.Status);
        Assert.Contains("is not onboarded", stranger.Error);

        var otherService = await PostAsync("/v1/sessions", Request(_witness, SessionProtocol.NetworkServer).Body, new MediaTypeHeaderValue("application/x-protobuf"));
        Assert.Equal(HttpStatusCode.BadRequest, otherService.Status);
        Assert.Equal("malformed: audience: this service is \"coverage-oracle\", the request names \"network-server\"", otherService.Error);

        var body = Request(_witness, SessionProtocol.CoverageOracle).Body;
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/v1/sessions", body, new MediaTypeHeaderValue("application/x-protobuf"))).Status);
        var again = await PostAsync("/v1/sessions", body, new MediaTypeHeaderValue("application/x-protobuf"));
        Assert.Equal(HttpStatusCode.Conflict, again.Status);

        var tampered = SignedEnvelope.Parser.ParseFrom(Request(_witness, SessionProtocol.CoverageOracle).Body);
        var open = SessionOpen.Parser.ParseFrom(tampered.Payload);
        open.ClientEphemeralKey = ByteString.CopyFrom(new byte[32]);
        tampered.Payload = open.ToByteString();
        var badSignature = await PostAsync("/v1/sessions", tampered.ToByteArray(), new MediaTypeHeaderValue("application/x-protobuf"));
        Assert.Equal(HttpStatusCode.Unauthorized, badSignature.Status);
        Assert.StartsWith("bad_signature:", badSignature.Error);

        var garbage = await PostAsync("/v1/sessions", [0xFF, 0x01], new MediaTypeHeaderValue("application/x-protobuf"));
        Assert.Equal(HttpStatusCode.BadRequest, garbage.Status);
        Assert.StartsWith("malformed: body: not a SignedEnvelope", garbage.Error);
        Assert.Equal(1, server.Sessions.Count);
        await StopAsync(cts, run);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        _beaconer.Dispose();
        _witness.Dispose();
        _stranger.Dispose();
        await Task.Yield();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Stops a server's run loop; without a verifier it ends quietly, with one it ends cancelled.</summary>
    private static async Task StopAsync(CancellationTokenSource cts, Task run)
    {
        await cts.CancelAsync();
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
            // the expected end of a cancelled run
        }
    }

    private static byte[] UnsignedBytes(SignedEnvelope envelope)
    {
        var copy = envelope.Clone();
        copy.Signature = ByteString.Empty;
        return copy.ToByteArray();
    }

    private static List<IngestRecord> Records(OracleOptions options, string prefix) =>
        ReportFileStore.ListFiles(options.ReportsDirectory, prefix, DateTimeOffset.MinValue, DateTimeOffset.MaxValue)
            .SelectMany(f => ReportFileStore.ReadFile(f.Path, IngestRecord.Parser, out _)).ToList();

    private async Task<(Task Run, List<Exception> Errors)> StartAsync(OracleServer server, CancellationToken cancellationToken)
    {
        var errors = new List<Exception>();
        var run = await ServeTestKit.StartAsync(server, errors.Add, cancellationToken);
        _http.Dispose();
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30), BaseAddress = server.Address };
        return (run, errors);
    }

    private SessionOpenRequest Request(KeyPair key, string audience) =>
        SessionOpenRequest.Create(new EnvelopeSigner(key, _time, SystemRandomSource.Instance), audience, SystemRandomSource.Instance, _time);

    private async Task<SessionSealer> OpenAsync(KeyPair key)
    {
        var request = Request(key, SessionProtocol.CoverageOracle);
        using var content = new ByteArrayContent(request.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var response = await _http.PostAsync("/v1/sessions", content);
        var answer = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, System.Text.Encoding.UTF8.GetString(answer));
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        return request.Complete(answer);
    }

    private Task<(HttpStatusCode Status, string? Error)> PostFrameAsync(string path, byte[] frame) => PostAsync(path, frame, FrameType);

    private async Task<(HttpStatusCode Status, string? Error)> PostAsync(string path, byte[] body, MediaTypeHeaderValue type)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = type;
        using var response = await _http.PostAsync(path, content);
        if (response.IsSuccessStatusCode)
        {
            return (response.StatusCode, null);
        }

        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, error.RootElement.GetProperty("error").GetString());
    }

    private async Task<OracleOptions> OptionsAsync()
    {
        var registry = Path.Combine(_directory, "registry.json");
        await ServeTestKit.WriteRegistryAsync(registry, (_beaconer, Origin), (_witness, GreatCircle.Destination(Origin, 90, 2000)));
        return new OracleOptions
        {
            Port = FreePort.Tcp(),
            ReportsDirectory = Path.Combine(_directory, "reports"),
            OracleKeyFile = Path.Combine(_directory, "oracle.key"),
            RegistryFile = registry,
            EntropyIntervalSeconds = 3600,
            EntropyLifespanSeconds = 3600,
            BootstrapReciprocity = true,
            EpochEmission = "1000000",
            SessionTtlSeconds = 600,
        };
    }
}
