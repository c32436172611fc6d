namespace DePin.Wireless.Core.Identity;

/// <summary>Why an envelope was refused.</summary>
public enum EnvelopeFailure
{
    None,

    /// <summary>Not a well-formed envelope: unparseable bytes, wrong nonce or signature length, unknown fields, or a payload that does not parse.</summary>
    Malformed,

    /// <summary>payload_type is not the message type the receiver expects.</summary>
    WrongPayloadType,

    /// <summary>signer_key is not a valid typed public key.</summary>
    MalformedKey,

    /// <summary>The signature does not verify under signer_key.</summary>
    BadSignature,

    /// <summary>timestamp_ms is older than the window allows.</summary>
    Expired,

    /// <summary>timestamp_ms is further in the future than the allowed clock skew.</summary>
    FromFuture,

    /// <summary>The (signer, nonce) pair was already accepted within the window.</summary>
    Replayed,

    /// <summary>The replay guard is full of unexpired nonces; refused rather than risk accepting a replay.</summary>
    ReplayGuardFull,

    /// <summary>Session frames: session_id names no session open at this service (never opened, evicted, or forgotten on restart); the client re-opens.</summary>
    UnknownSession,

    /// <summary>Session frames: the session's TTL has passed; the client re-opens.</summary>
    ExpiredSession,

    /// <summary>Session frames: the tag is not the HMAC of the frame under the session's key.</summary>
    BadTag,

    /// <summary>Session frames: the counter is older than the anti-replay window (RFC 4303 §3.4.3), so it cannot be told apart from a replay.</summary>
    Stale,
}

/// <summary>Stable snake_case codes of <see cref="EnvelopeFailure"/>s for HTTP error bodies and metrics.</summary>
public static class EnvelopeFailureCodes
{
    /// <summary>"unknown_session", "bad_tag", "replayed", …: services answer <c>{"error": "code: detail"}</c>.</summary>
    public static string Code(this EnvelopeFailure failure) => failure switch
    {
        EnvelopeFailure.None => "ok",
        EnvelopeFailure.Malformed => "malformed",
        EnvelopeFailure.WrongPayloadType => "wrong_payload_type",
        EnvelopeFailure.MalformedKey => "malformed_key",
        EnvelopeFailure.BadSignature => "bad_signature",
        EnvelopeFailure.Expired => "expired",
        EnvelopeFailure.FromFuture => "from_future",
        EnvelopeFailure.Replayed => "replayed",
        EnvelopeFailure.ReplayGuardFull => "replay_guard_full",
        EnvelopeFailure.UnknownSession => "unknown_session",
        EnvelopeFailure.ExpiredSession => "expired_session",
        EnvelopeFailure.BadTag => "bad_tag",
        EnvelopeFailure.Stale => "stale",
        _ => failure.ToString(),
    };

    /// <summary>True for the failures after which a session client should open a new session and resend.</summary>
    public static bool MeansReopen(this EnvelopeFailure failure) => failure is EnvelopeFailure.UnknownSession or EnvelopeFailure.ExpiredSession;
}

/// <summary>
/// The outcome of checking one signed envelope or one session frame: the payload and the authenticated signer when
/// valid, otherwise the reason. <see cref="SessionFrame"/> says which path authenticated it.
/// </summary>
public sealed class EnvelopeVerification<T>
    where T : class
{
    private EnvelopeVerification(EnvelopeFailure failure, string detail, PublicKey signer, T? payload, DateTimeOffset timestamp, DePin.Wireless.Proto.SessionFrame? sessionFrame = null)
    {
        SessionFrame = sessionFrame;
        Failure = failure;
        Detail = detail;
        Signer = signer;
        Payload = payload;
        Timestamp = timestamp;
    }

    public bool IsValid => Failure == EnvelopeFailure.None;

    public EnvelopeFailure Failure { get; }

    /// <summary>A sentence naming the field and the problem ("ok" when valid).</summary>
    public string Detail { get; }

    /// <summary>The signer; default when the key could not be read.</summary>
    public PublicKey Signer { get; }

    /// <summary>The payload; null unless valid.</summary>
    public T? Payload { get; }

    /// <summary>The envelope's (or session frame's) timestamp_ms.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The frame when a session authenticated this payload (a MAC, not a signature); null for a signed envelope.</summary>
    public DePin.Wireless.Proto.SessionFrame? SessionFrame { get; }

    /// <summary>The payload of a valid envelope; throws naming the reason otherwise.</summary>
    public T ValidPayload => Payload ?? throw new InvalidOperationException($"envelope refused: {Failure}: {Detail}");

    internal static EnvelopeVerification<T> Valid(PublicKey signer, T payload, DateTimeOffset timestamp) =>
        new(EnvelopeFailure.None, "ok", signer, payload, timestamp);

    internal static EnvelopeVerification<T> ValidSession(PublicKey signer, T payload, DateTimeOffset timestamp, DePin.Wireless.Proto.SessionFrame frame) =>
        new(EnvelopeFailure.None, "ok", signer, payload, timestamp, frame);

    internal static EnvelopeVerification<T> Refused(EnvelopeFailure failure, string detail, PublicKey signer = default, DateTimeOffset timestamp = default) =>
        new(failure, detail, signer, null, timestamp);

    public override string ToString() => IsValid ? $"valid from {Signer}" : $"{Failure}: {Detail}";
}
