using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Observability;
using DePin.Wireless.CoverageOracle.Registry;
using DePin.Wireless.CoverageOracle.Storage;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.Ingest;

/// <summary>What happened to one report: the HTTP status, a metric label and, when refused, why.</summary>
public sealed record IngestOutcome(int Status, string Outcome, string? Error, ulong ReceivedMs)
{
    public bool Accepted => Status == 200;
}

/// <summary>
/// Accepts one kind of signed report (<typeparamref name="T"/>): envelope authentication (shape, payload type,
/// timestamp window, signature), signer must be an onboarded hotspot with that key, payload field checks, then the
/// replay guard (last, so refused reports cannot fill it), then the server receive time is stamped and the
/// envelope appended to the report store. Accepted only once the append is on disk.
/// </summary>
public sealed class ReportIngestor<T>
    where T : class, IMessage<T>, new()
{
    private readonly EnvelopeVerifier _verifier;
    private readonly EnvelopeVerifierOptions _envelopeOptions;
    private readonly IReplayGuard _replayGuard;
    private readonly IHotspotRegistry _registry;
    private readonly Func<T, ByteString, string?> _validate;
    private readonly ReportFileStore _store;
    private readonly TimeProvider _time;
    private readonly MetricsRegistry _metrics;
    private readonly string _kind;

    public ReportIngestor(string kind, EnvelopeVerifier verifier, EnvelopeVerifierOptions envelopeOptions, IReplayGuard replayGuard, IHotspotRegistry registry, Func<T, ByteString, string?> validate, ReportFileStore store, TimeProvider time, MetricsRegistry metrics)
    {
        _kind = kind;
        _verifier = verifier;
        _envelopeOptions = envelopeOptions;
        _replayGuard = replayGuard;
        _registry = registry;
        _validate = validate;
        _store = store;
        _time = time;
        _metrics = metrics;
    }

    public async Task<IngestOutcome> IngestAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var outcome = await DecideAndStoreAsync(body, cancellationToken).ConfigureAwait(false);
        _metrics.Counter("oracle_reports_total", "Reports received by ingest, by kind and outcome.", ("kind", _kind), ("outcome", outcome.Outcome)).Increment();
        return outcome;
    }

    private async Task<IngestOutcome> DecideAndStoreAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        SignedEnvelope envelope;
        try
        {
            envelope = SignedEnvelope.Parser.ParseFrom(body.Span);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return Refuse(400, "malformed", $"body: not a SignedEnvelope ({ex.Message})");
        }

        var auth = _verifier.Authenticate<T>(envelope);
        if (!auth.IsValid)
        {
            return auth.Failure switch
            {
                EnvelopeFailure.BadSignature => Refuse(401, "bad_signature", auth.Detail),
                EnvelopeFailure.Expired or EnvelopeFailure.FromFuture => Refuse(400, "stale", auth.Detail),
                _ => Refuse(400, "malformed", auth.Detail),
            };
        }

        var address = auth.Signer.ToAddress();
        var registered = await _registry.GetPublicKeyAsync(address, cancellationToken).ConfigureAwait(false);
        if (registered is null || !registered.AsSpan().SequenceEqual(auth.Signer.Bytes))
        {
            return Refuse(403, "unknown_hotspot", registered is null
                ? $"signer_key: hotspot {address} is not onboarded"
                : $"signer_key: does not match the key registered for hotspot {address}");
        }

        if (_validate(auth.ValidPayload, envelope.SignerKey) is { } problem)
        {
            return Refuse(400, "invalid_report", problem);
        }

        var replay = _replayGuard.TryRecord(auth.Signer, envelope.Nonce.Span, auth.Timestamp + _envelopeOptions.MaxAge);
        if (replay != ReplayCheck.Fresh)
        {
            return replay == ReplayCheck.Replayed
                ? Refuse(409, "replayed", "nonce: already accepted from this signer within the window")
                : Refuse(503, "busy", "nonce: replay guard is full; try again later");
        }

        var receivedMs = (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            await _store.AppendAsync(new IngestRecord { ReceivedMs = receivedMs, Envelope = envelope }, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            return Refuse(503, "store_failed", $"report store: {ex.Message}");
        }

        return new IngestOutcome(200, "accepted", null, receivedMs);
    }

    private static IngestOutcome Refuse(int status, string outcome, string error) => new(status, outcome, error, 0);
}
