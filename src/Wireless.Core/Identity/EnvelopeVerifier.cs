using System.Buffers;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Core.Identity;

/// <summary>Timestamp window of <see cref="EnvelopeVerifier"/>.</summary>
public sealed class EnvelopeVerifierOptions
{
    /// <summary>
    /// How old an envelope may be when it arrives. Default 5 min: long enough for a hotspot on a slow or
    /// intermittent backhaul to retry, short enough that the replay guard stays small (Helium's ingest rolls
    /// report files every 5 min, which bounds how stale a report can usefully be).
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far ahead of the receiver's clock the signer's may be. Default 30 s: NTP-synced devices are
    /// well within it; a device with no time source is refused instead of stamping reports with a wrong time.</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromSeconds(30);

    public void Validate()
    {
        if (MaxAge <= TimeSpan.Zero)
        {
            throw new ArgumentException($"MaxAge: must be positive, got {MaxAge}");
        }

        if (MaxFutureSkew < TimeSpan.Zero)
        {
            throw new ArgumentException($"MaxFutureSkew: must not be negative, got {MaxFutureSkew}");
        }
    }
}

/// <summary>
/// Checks <see cref="SignedEnvelope"/>s, cheapest and least attacker-influenced checks first: shape, payload type,
/// signer key, timestamp window, signature, then (only for authentic envelopes, so forgeries cannot fill it) the
/// replay guard, and finally the payload is parsed. Thread-safe.
/// </summary>
public sealed class EnvelopeVerifier : IDisposable
{
    private readonly EnvelopeVerifierOptions _options;
    private readonly TimeProvider _time;
    private readonly IReplayGuard _replayGuard;
    private readonly SignatureVerifier _signatures;
    private readonly bool _ownsSignatures;

    public EnvelopeVerifier(EnvelopeVerifierOptions options, TimeProvider time, IReplayGuard replayGuard, SignatureVerifier? signatures = null)
    {
        options.Validate();
        _options = options;
        _time = time;
        _replayGuard = replayGuard;
        // A SignatureVerifier passed in may be shared between verifiers; only one made here is disposed here.
        _ownsSignatures = signatures is null;
        _signatures = signatures ?? new SignatureVerifier();
    }

    /// <summary>Parses envelope wire bytes and verifies them.</summary>
    public EnvelopeVerification<T> Verify<T>(ReadOnlySpan<byte> wire)
        where T : class, IMessage<T>, new()
    {
        SignedEnvelope envelope;
        try
        {
            envelope = SignedEnvelope.Parser.ParseFrom(wire);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return EnvelopeVerification<T>.Refused(EnvelopeFailure.Malformed, $"envelope: not a SignedEnvelope ({ex.Message})");
        }

        return Verify<T>(envelope);
    }

    /// <summary>All checks, including recording the nonce: a second call with the same envelope reports <see cref="EnvelopeFailure.Replayed"/>.</summary>
    public EnvelopeVerification<T> Verify<T>(SignedEnvelope envelope)
        where T : class, IMessage<T>, new()
    {
        var result = Authenticate<T>(envelope);
        if (!result.IsValid)
        {
            return result;
        }

        return _replayGuard.TryRecord(result.Signer, envelope.Nonce.Span, result.Timestamp + _options.MaxAge) switch
        {
            ReplayCheck.Fresh => result,
            ReplayCheck.Replayed => EnvelopeVerification<T>.Refused(EnvelopeFailure.Replayed, "nonce: already accepted from this signer within the window", result.Signer, result.Timestamp),
            _ => EnvelopeVerification<T>.Refused(EnvelopeFailure.ReplayGuardFull, "nonce: replay guard is full; try again later", result.Signer, result.Timestamp),
        };
    }

    /// <summary>Every check except the replay guard; for callers that keep nonces themselves.</summary>
    public EnvelopeVerification<T> Authenticate<T>(SignedEnvelope envelope)
        where T : class, IMessage<T>, new() => Authenticate<T>(envelope, verifySignature: true);

    /// <summary>
    /// The work of <see cref="Authenticate{T}(SignedEnvelope)"/> minus the signature primitive (canonical bytes are
    /// still written), so the benchmarks can show what the envelope adds. Returns only the failure kind: its
    /// result must never be taken as authentication.
    /// </summary>
    internal EnvelopeFailure FramingWithoutSignatureCheck<T>(SignedEnvelope envelope)
        where T : class, IMessage<T>, new() => Authenticate<T>(envelope, verifySignature: false).Failure;

    private EnvelopeVerification<T> Authenticate<T>(SignedEnvelope envelope, bool verifySignature)
        where T : class, IMessage<T>, new()
    {
        var shapeProblem = CheckShape(envelope);
        if (shapeProblem is not null)
        {
            return EnvelopeVerification<T>.Refused(EnvelopeFailure.Malformed, shapeProblem);
        }

        var expectedType = PayloadTypeOf<T>.FullName;
        if (envelope.PayloadType != expectedType)
        {
            return EnvelopeVerification<T>.Refused(EnvelopeFailure.WrongPayloadType, $"payload_type: is \"{envelope.PayloadType}\", expected \"{expectedType}\"");
        }

        if (!_signatures.TryParseKey(envelope.SignerKey.Span, out var signer, out var keyProblem))
        {
            return EnvelopeVerification<T>.Refused(EnvelopeFailure.MalformedKey, $"signer_key: {keyProblem}");
        }

        var timestamp = DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Min(envelope.TimestampMs, (ulong)DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()));
        var timeFailure = CheckWindow(timestamp, out var timeProblem);
        if (timeFailure != EnvelopeFailure.None)
        {
            return EnvelopeVerification<T>.Refused(timeFailure, timeProblem!, signer, timestamp);
        }

        if (!SignatureMatches(envelope, signer, verifySignature))
        {
            return EnvelopeVerification<T>.Refused(EnvelopeFailure.BadSignature, $"signature: does not verify for {signer.Type.Name()} key {signer}", signer, timestamp);
        }

        T payload;
        try
        {
            payload = PayloadTypeOf<T>.Parser.ParseFrom(envelope.Payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return EnvelopeVerification<T>.Refused(EnvelopeFailure.Malformed, $"payload: not a valid {expectedType} ({ex.Message})", signer, timestamp);
        }

        return EnvelopeVerification<T>.Valid(signer, payload, timestamp);
    }

    public void Dispose()
    {
        if (_ownsSignatures)
        {
            _signatures.Dispose();
        }
    }

    private static string? CheckShape(SignedEnvelope envelope)
    {
        if (envelope.Nonce.Length != EnvelopeSigner.NonceLength)
        {
            return $"nonce: must be {EnvelopeSigner.NonceLength} bytes, got {envelope.Nonce.Length}";
        }

        if (envelope.Signature.Length != KeyTypes.SignatureLength)
        {
            return $"signature: must be {KeyTypes.SignatureLength} bytes, got {envelope.Signature.Length}";
        }

        // Unknown fields are not covered by the signature; an envelope carrying any is refused rather than
        // passed on with unsigned content.
        if (envelope.CalculateSize() != CanonicalEnvelope.Size(envelope) + CanonicalEnvelope.SignatureFieldSize(envelope))
        {
            return "envelope: carries fields this version does not know, which the signature would not cover";
        }

        return null;
    }

    private EnvelopeFailure CheckWindow(DateTimeOffset timestamp, out string? problem) =>
        TimestampWindow.Check(_options, _time.GetUtcNow(), timestamp, out problem);

    private bool SignatureMatches(SignedEnvelope envelope, PublicKey signer, bool verifySignature)
    {
        var size = CanonicalEnvelope.Size(envelope);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            CanonicalEnvelope.Write(envelope, buffer);
            return !verifySignature || _signatures.Verify(signer, buffer, size, envelope.Signature.Span);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

}

/// <summary>The full protobuf name and a parser of <typeparamref name="TMessage"/>, created once per type (immutable).</summary>
internal static class PayloadTypeOf<TMessage>
    where TMessage : IMessage<TMessage>, new()
{
    public static readonly string FullName = new TMessage().Descriptor.FullName;

    public static readonly MessageParser<TMessage> Parser = new(static () => new TMessage());
}

/// <summary>The timestamp window shared by signed envelopes and session frames.</summary>
internal static class TimestampWindow
{
    public static DateTimeOffset FromUnixMs(ulong ms) =>
        DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Min(ms, (ulong)DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()));

    public static EnvelopeFailure Check(EnvelopeVerifierOptions options, DateTimeOffset now, DateTimeOffset timestamp, out string? problem)
    {
        if (timestamp > now + options.MaxFutureSkew)
        {
            problem = $"timestamp_ms: {timestamp:O} is {(timestamp - now).TotalSeconds:F1} s ahead of this receiver's clock (allowed {options.MaxFutureSkew.TotalSeconds:F0} s)";
            return EnvelopeFailure.FromFuture;
        }

        if (now - timestamp > options.MaxAge)
        {
            problem = $"timestamp_ms: {timestamp:O} is {(now - timestamp).TotalSeconds:F1} s old (allowed {options.MaxAge.TotalSeconds:F0} s)";
            return EnvelopeFailure.Expired;
        }

        problem = null;
        return EnvelopeFailure.None;
    }
}
