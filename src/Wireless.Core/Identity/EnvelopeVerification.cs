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
}

/// <summary>The outcome of checking one envelope: the payload and signer when valid, otherwise the reason.</summary>
public sealed class EnvelopeVerification<T>
    where T : class
{
    private EnvelopeVerification(EnvelopeFailure failure, string detail, PublicKey signer, T? payload, DateTimeOffset timestamp)
    {
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

    /// <summary>The envelope's timestamp_ms.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The payload of a valid envelope; throws naming the reason otherwise.</summary>
    public T ValidPayload => Payload ?? throw new InvalidOperationException($"envelope refused: {Failure}: {Detail}");

    internal static EnvelopeVerification<T> Valid(PublicKey signer, T payload, DateTimeOffset timestamp) =>
        new(EnvelopeFailure.None, "ok", signer, payload, timestamp);

    internal static EnvelopeVerification<T> Refused(EnvelopeFailure failure, string detail, PublicKey signer = default, DateTimeOffset timestamp = default) =>
        new(failure, detail, signer, null, timestamp);

    public override string ToString() => IsValid ? $"valid from {Signer}" : $"{Failure}: {Detail}";
}
