using System.Collections.Concurrent;
using System.Net;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Proto;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.HotspotHost.Tests.Support;

/// <summary>
/// Test peers for the network server and the coverage oracle, implementing the HTTP contract of proto/service.proto
/// on a loopback Kestrel port: request bodies are verified with <see cref="EnvelopeVerifier"/> (signature, payload
/// type, time window, replay) and refused with 4xx + {"error":...} like the real services; the entropy endpoint
/// returns a SignedEnvelope(Entropy) signed by the oracle key. Session v1 as the services implement it, with the same
/// Core classes: POST /v1/sessions (one registry per audience, chosen by the open's audience, since both services
/// share this port), report bodies with the SessionFrame Content-Type checked against the endpoint's service, and
/// 401 unknown_session/expired_session. Behaviour switches model outages, downlinks and a restart that forgets sessions.
/// </summary>
public sealed class ServicePeers : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EnvelopeVerifier _verifier;
    private readonly EnvelopeSigner _oracleSigner;
    private readonly TimeProvider _time;
    private readonly InMemoryReplayGuard _openGuard;
    private readonly Dictionary<string, (SessionOpenHandler Opens, SessionFrameVerifier Frames)> _sessions = [];
    private int _outageRemaining;
    private int _beaconOutageRemaining;

    private ServicePeers(TimeProvider time, KeyPair oracleKey)
    {
        _time = time;
        OracleKey = oracleKey;
        _verifier = new EnvelopeVerifier(new EnvelopeVerifierOptions(), time, new InMemoryReplayGuard(time));
        _openGuard = new InMemoryReplayGuard(time);
        foreach (var audience in new[] { SessionProtocol.CoverageOracle, SessionProtocol.NetworkServer })
        {
            var registry = new SessionRegistry(audience, new SessionRegistryOptions(), time, SystemRandomSource.Instance);
            _sessions[audience] = (new SessionOpenHandler(_verifier, new EnvelopeVerifierOptions(), _openGuard, registry), new SessionFrameVerifier(registry, new EnvelopeVerifierOptions(), time));
        }

        _oracleSigner = new EnvelopeSigner(oracleKey, time, SeededRandomSource.FromLabel("test-oracle"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/v1/packet-reports", PacketReportAsync);
        _app.MapPost("/v1/sessions", OpenSessionAsync);
        _app.MapGet("/v1/entropy", Entropy);
        _app.MapPost("/v1/beacon-reports", async ctx =>
        {
            if (Interlocked.Decrement(ref _beaconOutageRemaining) >= 0)
            {
                await ErrorAsync(ctx, StatusCodes.Status503ServiceUnavailable, "unavailable");
                return;
            }

            Interlocked.Exchange(ref _beaconOutageRemaining, 0);
            await ReportAsync(ctx, BeaconReports, SessionProtocol.CoverageOracle);
        });
        _app.MapPost("/v1/witness-reports", ctx => ReportAsync(ctx, WitnessReports, SessionProtocol.CoverageOracle));
        _app.MapPost("/v1/tx-acks", ctx => ReportAsync(ctx, TxAckReports, SessionProtocol.NetworkServer));
    }

    public KeyPair OracleKey { get; }

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public ConcurrentQueue<(PacketReport Report, PublicKey Signer)> PacketReports { get; } = new();

    public ConcurrentQueue<(BeaconReport Report, PublicKey Signer)> BeaconReports { get; } = new();

    public ConcurrentQueue<(WitnessReport Report, PublicKey Signer)> WitnessReports { get; } = new();

    public ConcurrentQueue<(TxAckReport Report, PublicKey Signer)> TxAckReports { get; } = new();

    public ConcurrentQueue<string> Refusals { get; } = new();

    /// <summary>Sessions opened, by audience.</summary>
    public ConcurrentDictionary<string, int> SessionOpens { get; } = new();

    /// <summary>Reports accepted as session frames (the rest came as signed envelopes).</summary>
    public long FrameReports;

    /// <summary>What a service restart does to sessions: forgets them all (next frames get 401 unknown_session).</summary>
    public void ForgetSessions()
    {
        foreach (var (_, frames) in _sessions.Values)
        {
            frames.Registry.Clear();
        }
    }

    /// <summary>Packet-report requests answered 503 before the service "recovers".</summary>
    public int OutageRequests
    {
        get => Volatile.Read(ref _outageRemaining);
        set => Volatile.Write(ref _outageRemaining, value);
    }

    public long OutageAnswers;

    /// <summary>Beacon-report requests answered 503 before the oracle "recovers".</summary>
    public int BeaconReportOutageRequests
    {
        get => Volatile.Read(ref _beaconOutageRemaining);
        set => Volatile.Write(ref _beaconOutageRemaining, value);
    }

    /// <summary>Decides the downlink for an accepted packet report (null = none).</summary>
    public Func<PacketReport, DownlinkCommand?> Downlink { get; set; } = _ => null;

    /// <summary>Entropy the oracle publishes; timestamp = now at each request.</summary>
    public byte[] EntropyData { get; set; } = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public static async Task<ServicePeers> StartAsync(TimeProvider time, KeyPair? oracleKey = null)
    {
        var peers = new ServicePeers(time, oracleKey ?? KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("oracle-key")));
        await peers._app.StartAsync();
        var address = peers._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        peers.BaseUrl = new Uri(address + "/");
        return peers;
    }

    private async Task PacketReportAsync(HttpContext context)
    {
        if (Interlocked.Decrement(ref _outageRemaining) >= 0)
        {
            Interlocked.Increment(ref OutageAnswers);
            await ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "unavailable");
            return;
        }

        Interlocked.Exchange(ref _outageRemaining, 0);
        var verified = await VerifyAsync<PacketReport>(context, SessionProtocol.NetworkServer);
        if (verified is null)
        {
            return;
        }

        PacketReports.Enqueue((verified.ValidPayload, verified.Signer));
        var response = new PacketReportResponse { Accepted = true };
        if (Downlink(verified.ValidPayload) is { } downlink)
        {
            response.Downlink = downlink;
        }

        await WriteProtobufAsync(context, response);
    }

    private IResult Entropy()
    {
        var entropy = new Entropy
        {
            Data = ByteString.CopyFrom(EntropyData),
            TimestampS = (ulong)_time.GetUtcNow().ToUnixTimeSeconds(),
            Version = 1,
            OracleKey = ByteString.CopyFrom(OracleKey.PublicKey.Bytes),
        };
        return Results.Bytes(_oracleSigner.SignToBytes(entropy), "application/x-protobuf");
    }

    private async Task ReportAsync<T>(HttpContext context, ConcurrentQueue<(T, PublicKey)> store, string audience)
        where T : class, IMessage<T>, new()
    {
        var verified = await VerifyAsync<T>(context, audience);
        if (verified is null)
        {
            return;
        }

        store.Enqueue((verified.ValidPayload, verified.Signer));
        await WriteProtobufAsync(context, new ReportAccepted { ReceivedMs = (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds() });
    }

    private async Task OpenSessionAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var audience = SessionProtocol.CoverageOracle;
        try
        {
            audience = SessionOpen.Parser.ParseFrom(SignedEnvelope.Parser.ParseFrom(body.ToArray()).Payload).Audience;
        }
        catch (InvalidProtocolBufferException)
        {
            // the handler names the problem
        }

        var handler = _sessions.TryGetValue(audience, out var session) ? session.Opens : _sessions[SessionProtocol.CoverageOracle].Opens;
        var result = await handler.OpenAsync(body.ToArray(), null, context.RequestAborted);
        if (!result.IsAccepted)
        {
            Refusals.Enqueue(result.Error!);
            await ErrorAsync(context, result.Status, result.Error!);
            return;
        }

        SessionOpens.AddOrUpdate(audience, 1, (_, n) => n + 1);
        await WriteProtobufAsync(context, result.Accepted!);
    }

    private async Task<EnvelopeVerification<T>?> VerifyAsync<T>(HttpContext context, string audience)
        where T : class, IMessage<T>, new()
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (SessionProtocol.IsFrameContentType(context.Request.ContentType))
        {
            var frame = _sessions[audience].Frames.Verify<T>(body.ToArray());
            if (!frame.IsValid)
            {
                var error = $"{frame.Failure.Code()}: {frame.Detail}";
                Refusals.Enqueue(error);
                await ErrorAsync(context, frame.Failure is EnvelopeFailure.UnknownSession or EnvelopeFailure.ExpiredSession or EnvelopeFailure.BadTag ? 401 : 400, error);
                return null;
            }

            Interlocked.Increment(ref FrameReports);
            return frame;
        }

        var verified = _verifier.Verify<T>(body.ToArray());
        if (!verified.IsValid)
        {
            Refusals.Enqueue($"{verified.Failure}: {verified.Detail}");
            await ErrorAsync(context, verified.Failure == EnvelopeFailure.BadSignature ? 401 : 400, $"{verified.Failure}: {verified.Detail}");
            return null;
        }

        return verified;
    }

    private static async Task WriteProtobufAsync(HttpContext context, IMessage message)
    {
        context.Response.ContentType = "application/x-protobuf";
        await context.Response.Body.WriteAsync(message.ToByteArray());
    }

    private static Task ErrorAsync(HttpContext context, int status, string error)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _verifier.Dispose();
    }
}
