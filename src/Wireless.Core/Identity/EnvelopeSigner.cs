using System.Buffers;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Core.Identity;

/// <summary>
/// Wraps protobuf payloads in <see cref="SignedEnvelope"/>s signed by one key: payload_type is the payload's full
/// protobuf name, timestamp_ms comes from the <see cref="TimeProvider"/>, nonce is 16 bytes from the random source,
/// and the signature covers the envelope serialized with <c>signature</c> empty. Thread-safe: draws from the random
/// source are serialised, so a <see cref="SeededRandomSource"/> may be shared (the order of draws then follows the
/// order of calls).
/// </summary>
public sealed class EnvelopeSigner
{
    public const int NonceLength = 16;

    private readonly KeyPair? _key;
    private readonly ExternalSignature? _externalSign;
    private readonly TimeProvider _time;
    private readonly IRandomSource _random;
    private readonly Lock _randomGate = new();
    private readonly ByteString _signerKey;

    public EnvelopeSigner(KeyPair key, TimeProvider time, IRandomSource random)
        : this(key.PublicKey, time, random)
    {
        _key = key;
    }

    /// <summary>
    /// A signer whose private key lives elsewhere (a secure element such as an ATECC608): <paramref name="sign"/>
    /// returns the 64-byte signature of the canonical envelope bytes in the key type's format.
    /// </summary>
    public EnvelopeSigner(PublicKey signer, ExternalSignature sign, TimeProvider time, IRandomSource random)
        : this(signer, time, random)
    {
        _externalSign = sign;
    }

    private EnvelopeSigner(PublicKey signer, TimeProvider time, IRandomSource random)
    {
        Signer = signer;
        _time = time;
        _random = random;
        _signerKey = ByteString.CopyFrom(signer.Bytes);
    }

    /// <summary>Signs canonical envelope bytes with a key held outside this process's memory.</summary>
    public delegate byte[] ExternalSignature(ReadOnlySpan<byte> message);

    public PublicKey Signer { get; }

    /// <summary>The signer's typed public key as the protobuf bytes reports carry (e.g. BeaconReport.hotspot_key).</summary>
    public ByteString SignerKey => _signerKey;

    public SignedEnvelope Sign(IMessage payload)
    {
        var envelope = Frame(payload);
        var size = CanonicalEnvelope.Size(envelope);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            CanonicalEnvelope.Write(envelope, buffer);
            byte[] signature;
            if (_key is not null)
            {
                signature = new byte[KeyTypes.SignatureLength];
                _key.Sign(buffer, size, signature);
            }
            else
            {
                signature = _externalSign!(buffer.AsSpan(0, size));
            }

            envelope.Signature = UnsafeByteOperations.UnsafeWrap(signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return envelope;
    }

    /// <summary>Everything <see cref="Sign"/> does except the signature itself; the benchmarks measure it alone.</summary>
    internal int FrameAndSerialize(IMessage payload, byte[] buffer)
    {
        var envelope = Frame(payload);
        CanonicalEnvelope.Write(envelope, buffer);
        return CanonicalEnvelope.Size(envelope);
    }

    private SignedEnvelope Frame(IMessage payload)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        lock (_randomGate)
        {
            _random.Fill(nonce);
        }

        return new SignedEnvelope
        {
            SignerKey = _signerKey,
            TimestampMs = (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds(),
            Nonce = ByteString.CopyFrom(nonce),
            PayloadType = payload.Descriptor.FullName,
            Payload = payload.ToByteString(),
        };
    }

    /// <summary>Signs and returns the envelope's wire bytes (what goes in an HTTP body).</summary>
    public byte[] SignToBytes(IMessage payload) => Sign(payload).ToByteArray();
}
