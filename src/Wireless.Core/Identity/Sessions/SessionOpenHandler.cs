using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Core.Identity;

/// <summary>What a service answers to a session open: the accepted session, or an HTTP status and a "code: detail" error.</summary>
public sealed record SessionOpenResult(int Status, SessionAccepted? Accepted, ServerSession? Session, string? Error)
{
    public bool IsAccepted => Accepted is not null;

    /// <summary>The envelope of the accepted open, as received (what services store so the hotspot ↔ session binding is auditable).</summary>
    public SignedEnvelope? OpenEnvelope { get; init; }
}

/// <summary>
/// The service side of <c>POST /v1/sessions</c>, socket-free: the body must be a SignedEnvelope(SessionOpen) that
/// authenticates (shape, signature, time window: 400, or 401 for a bad signature), whose signer the service allows
/// (optional check, e.g. onboarded hotspots: 403), whose nonce is fresh (checked after the signer, so refused opens
/// cannot fill the replay guard: 409, 503 when full), and whose audience and ephemeral key the
/// <see cref="SessionRegistry"/> accepts (400). Thread-safe.
/// </summary>
public sealed class SessionOpenHandler
{
    private readonly EnvelopeVerifier _verifier;
    private readonly EnvelopeVerifierOptions _envelopeOptions;
    private readonly IReplayGuard _replayGuard;
    private readonly SessionRegistry _registry;

    public SessionOpenHandler(EnvelopeVerifier verifier, EnvelopeVerifierOptions envelopeOptions, IReplayGuard replayGuard, SessionRegistry registry)
    {
        _verifier = verifier;
        _envelopeOptions = envelopeOptions;
        _replayGuard = replayGuard;
        _registry = registry;
    }

    public SessionRegistry Registry => _registry;

    /// <param name="refuseSigner">Null when any signer may open a session; otherwise returns why this signer may not (403), or null.</param>
    public async Task<SessionOpenResult> OpenAsync(ReadOnlyMemory<byte> body, Func<PublicKey, CancellationToken, Task<string?>>? refuseSigner, CancellationToken cancellationToken)
    {
        SignedEnvelope envelope;
        try
        {
            envelope = SignedEnvelope.Parser.ParseFrom(body.Span);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return Refuse(400, $"malformed: body: not a SignedEnvelope ({ex.Message})");
        }

        var open = _verifier.Authenticate<SessionOpen>(envelope);
        if (!open.IsValid)
        {
            return Refuse(open.Failure == EnvelopeFailure.BadSignature ? 401 : 400, $"{open.Failure.Code()}: {open.Detail}");
        }

        if (refuseSigner is not null && await refuseSigner(open.Signer, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            return Refuse(403, $"unknown_hotspot: {refusal}");
        }

        switch (_replayGuard.TryRecord(open.Signer, envelope.Nonce.Span, open.Timestamp + _envelopeOptions.MaxAge))
        {
            case ReplayCheck.Replayed:
                return Refuse(409, "replayed: nonce: this session open was already accepted");
            case ReplayCheck.Full:
                return Refuse(503, "replay_guard_full: nonce: replay guard is full; try again later");
        }

        var outcome = _registry.Open(open, body.Span);
        return outcome.IsAccepted
            ? new SessionOpenResult(200, outcome.Accepted, outcome.Session, null) { OpenEnvelope = envelope }
            : Refuse(400, $"malformed: {outcome.Problem}");
    }

    private static SessionOpenResult Refuse(int status, string error) => new(status, null, null, error);
}
