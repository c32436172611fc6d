using DePin.Wireless.Core.Identity;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.HotspotHost.Identity;

/// <summary>
/// Wraps reports in <see cref="SignedEnvelope"/>s signed by an <see cref="ISecureElement"/>, with the same framing as
/// Wireless.Core's EnvelopeSigner (proto/envelope.proto): the signature covers the envelope serialized with
/// <c>signature</c> empty, which is what Google.Protobuf writes for the envelope before the signature is set.
/// Thread-safe when the random source is.
/// </summary>
public sealed class ReportSigner(ISecureElement key, TimeProvider time, IRandomSource random)
{
    private readonly ByteString _signerKey = ByteString.CopyFrom(key.PublicKey.Bytes);
    private readonly object _randomGate = new();

    public PublicKey Signer => key.PublicKey;

    public ByteString SignerKey => _signerKey;

    public byte[] SignToBytes(IMessage payload)
    {
        var nonce = new byte[EnvelopeSigner.NonceLength];
        lock (_randomGate)
        {
            random.Fill(nonce);
        }

        var envelope = new SignedEnvelope
        {
            SignerKey = _signerKey,
            TimestampMs = (ulong)time.GetUtcNow().ToUnixTimeMilliseconds(),
            Nonce = UnsafeByteOperations.UnsafeWrap(nonce),
            PayloadType = payload.Descriptor.FullName,
            Payload = payload.ToByteString(),
        };
        envelope.Signature = UnsafeByteOperations.UnsafeWrap(key.Sign(envelope.ToByteArray()));
        return envelope.ToByteArray();
    }
}
