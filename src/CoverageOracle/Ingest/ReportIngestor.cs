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
/// Accepts one kind of report (<typeparamref name="T"/>), signed or sent in a session. Signed envelope
/// (<see cref="IngestAsync"/>): envelope authentication (shape, payload type, timestamp window, signature), signer
/// must be an onboarded hotspot with that key, payload field checks, then the replay guard (last, so refused reports
/// cannot fill it), then the server receive time is stamped and the envelope appended to the report store. Session
/// frame (<see cref="IngestFrameAsync"/>): the <see cref="SessionFrameVerifier"/> (session, tag, time window,
/// counter window), then the same onboarded-hotspot and payload checks, and the record stored carries the frame's
/// authenticated content under the session's hotspot key plus a <see cref="SessionReportProof"/>, so the verify step
/// reads both kinds alike. Accepted only once the append is on disk.
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
    private readonly SessionFrameVerifier? _sessions;

    public ReportIngestor(string kind, EnvelopeVerifier verifier, EnvelopeVerifierOptions envelopeOptions, IReplayGuard replayGuard, IHotspotRegistry registry, Func<T, ByteString, string?> validate, ReportFileStore store, TimeProvider time, MetricsRegistry metrics, SessionFrameVerifier? sessions = null)
    {
        _sessions = sessions;
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

    /// <summary>A SignedEnvelope(<typeparamref name="T"/>) body.</summary>
    public async Task<IngestOutcome> IngestAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var outcome = await DecideAndStoreAsync(body, cancellationToken).ConfigureAwait(false);
        Count(outcome, "envelope");
        return outcome;
    }

    /// <summary>A SessionFrame(<typeparamref name="T"/>) body (Content-Type <see cref="SessionProtocol.FrameContentType"/>).</summary>
    public async Task<IngestOutcome> IngestFrameAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var outcome = await DecideAndStoreFrameAsync(body, cancellationToken).ConfigureAwait(false);
        Count(outcome, "session");
        return outcome;
    }

    private void Count(IngestOutcome outcome, string authentication)
    {
        _metrics.Counter("oracle_reports_total", "Reports received by ingest, by kind and outcome.", ("kind", _kind), ("outcome", outcome.Outcome)).Increment();
        if (authentication == "session")
        {
            _metrics.Counter("oracle_session_reports_total", "Reports received in session frames (also counted in oracle_reports_total), by kind and outcome.", ("kind", _kind), ("outcome", outcome.Outcome)).Increment();
        }
    }

    private async Task<IngestOutcome> DecideAndStoreFrameAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (_sessions is null)
        {
            return Refuse(415, "sessions_disabled", "Content-Type: session frames are not accepted by this oracle");
        }

        var auth = _sessions.Verify<T>(body.Span);
        if (!auth.IsValid)
        {
            var code = auth.Failure.Code();
            var error = $"{code}: {auth.Detail}";
            return auth.Failure switch
            {
                EnvelopeFailure.UnknownSession or EnvelopeFailure.ExpiredSession or EnvelopeFailure.BadTag => Refuse(401, code, error),
                EnvelopeFailure.Replayed or EnvelopeFailure.Stale => Refuse(409, code, error),
                EnvelopeFailure.Expired or EnvelopeFailure.FromFuture => Refuse(400, "stale", error),
                _ => Refuse(400, "malformed", error),
            };
        }

        var signerKey = ByteString.CopyFrom(auth.Signer.Bytes);
        if (await CheckOnboardedAsync(auth.Signer, cancellationToken).ConfigureAwait(false) is { } notOnboarded)
        {
            return notOnboarded;
        }

        if (_validate(auth.ValidPayload, signerKey) is { } problem)
        {
            return Refuse(400, "invalid_report", problem);
        }

        var frame = auth.SessionFrame!;
        var record = new IngestRecord
        {
            Envelope = new SignedEnvelope { SignerKey = signerKey, TimestampMs = frame.TimestampMs, PayloadType = frame.PayloadType, Payload = frame.Payload },
            Session = new SessionReportProof { SessionId = frame.SessionId, Counter = frame.Counter, Tag = frame.Tag },
        };
        return await StoreAsync(record, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IngestOutcome?> CheckOnboardedAsync(PublicKey signer, CancellationToken cancellationToken)
    {
        var address = signer.ToAddress();
        var registered = await _registry.GetPublicKeyAsync(address, cancellationToken).ConfigureAwait(false);
        if (registered is null || !registered.AsSpan().SequenceEqual(signer.Bytes))
        {
            return Refuse(403, "unknown_hotspot", registered is null
                ? $"signer_key: hotspot {address} is not onboarded"
                : $"signer_key: does not match the key registered for hotspot {address}");
        }

        return null;
    }

    private async Task<IngestOutcome> StoreAsync(IngestRecord record, CancellationToken cancellationToken)
    {
        var receivedMs = (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds();
        record.ReceivedMs = receivedMs;
        try
        {
            await _store.AppendAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            return Refuse(503, "store_failed", $"report store: {ex.Message}");
        }

        return new IngestOutcome(200, "accepted", null, receivedMs);
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

        if (await CheckOnboardedAsync(auth.Signer, cancellationToken).ConfigureAwait(false) is { } notOnboarded)
        {
            return notOnboarded;
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

        return await StoreAsync(new IngestRecord { Envelope = envelope }, cancellationToken).ConfigureAwait(false);
    }

    private static IngestOutcome Refuse(int status, string outcome, string error) => new(status, outcome, error, 0);
}
