using System.Buffers;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Core.Identity;

/// <summary>
/// Wraps protobuf payloads in <see cref="SignedEnvelope"/>s signed by one key: payload_type is the payload's full
/// protobuf name, timestamp_ms comes from the <see cref="TimeProvider"/>, nonce is 16 bytes from the random source,
/// and the signature covers the envelope serialized with <c>signature</c> empty. Thread-safe when the random
/// source is (<see cref="SystemRandomSource"/> is; a <see cref="SeededRandomSource"/> is not).
/// </summary>
public sealed class EnvelopeSigner
{
    public const int NonceLength = 16;

    private readonly KeyPair _key;
    private readonly TimeProvider _time;
    private readonly IRandomSource _random;
    private readonly ByteString _signerKey;

    public EnvelopeSigner(KeyPair key, TimeProvider time, IRandomSource random)
    {
        _key = key;
        _time = time;
        _random = random;
        _signerKey = ByteString.CopyFrom(key.PublicKey.Bytes);
    }

    public PublicKey Signer => _key.PublicKey;

    public SignedEnvelope Sign(IMessage payload)
    {
        var envelope = Frame(payload);
        var size = CanonicalEnvelope.Size(envelope);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            CanonicalEnvelope.Write(envelope, buffer);
            var signature = new byte[KeyTypes.SignatureLength];
            _key.Sign(buffer, size, signature);
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
        _random.Fill(nonce);
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
