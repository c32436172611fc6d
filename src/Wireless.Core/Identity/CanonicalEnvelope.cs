using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Core.Identity;

/// <summary>
/// The bytes a <see cref="SignedEnvelope"/> signature covers: the envelope serialized with <c>signature</c> empty,
/// i.e. fields 1–5 in field-number order, each omitted when it has its default value — exactly what
/// Google.Protobuf writes for such a message (proto/envelope.proto). Written directly from the fields so a verifier
/// neither clones the envelope nor serializes it twice.
/// </summary>
internal static class CanonicalEnvelope
{
    // Tags: (field number << 3) | wire type; 2 = length-delimited, 0 = varint.
    private const byte SignerKeyTag = (1 << 3) | 2;
    private const byte TimestampTag = 2 << 3;
    private const byte NonceTag = (3 << 3) | 2;
    private const byte PayloadTypeTag = (4 << 3) | 2;
    private const byte PayloadTag = (5 << 3) | 2;

    /// <summary>Size of the signed bytes.</summary>
    public static int Size(SignedEnvelope envelope)
    {
        var size = 0;
        if (!envelope.SignerKey.IsEmpty)
        {
            size += 1 + CodedOutputStream.ComputeBytesSize(envelope.SignerKey);
        }

        if (envelope.TimestampMs != 0)
        {
            size += 1 + CodedOutputStream.ComputeUInt64Size(envelope.TimestampMs);
        }

        if (!envelope.Nonce.IsEmpty)
        {
            size += 1 + CodedOutputStream.ComputeBytesSize(envelope.Nonce);
        }

        if (envelope.PayloadType.Length != 0)
        {
            size += 1 + CodedOutputStream.ComputeStringSize(envelope.PayloadType);
        }

        if (!envelope.Payload.IsEmpty)
        {
            size += 1 + CodedOutputStream.ComputeBytesSize(envelope.Payload);
        }

        return size;
    }

    /// <summary>Size of the <c>signature</c> field as serialized (0 when empty).</summary>
    public static int SignatureFieldSize(SignedEnvelope envelope) =>
        envelope.Signature.IsEmpty ? 0 : 1 + CodedOutputStream.ComputeBytesSize(envelope.Signature);

    /// <summary>Writes the signed bytes to the start of <paramref name="buffer"/>, which must hold <see cref="Size"/> bytes.</summary>
    public static void Write(SignedEnvelope envelope, byte[] buffer)
    {
        var output = new CodedOutputStream(buffer);
        if (!envelope.SignerKey.IsEmpty)
        {
            output.WriteRawTag(SignerKeyTag);
            output.WriteBytes(envelope.SignerKey);
        }

        if (envelope.TimestampMs != 0)
        {
            output.WriteRawTag(TimestampTag);
            output.WriteUInt64(envelope.TimestampMs);
        }

        if (!envelope.Nonce.IsEmpty)
        {
            output.WriteRawTag(NonceTag);
            output.WriteBytes(envelope.Nonce);
        }

        if (envelope.PayloadType.Length != 0)
        {
            output.WriteRawTag(PayloadTypeTag);
            output.WriteString(envelope.PayloadType);
        }

        if (!envelope.Payload.IsEmpty)
        {
            output.WriteRawTag(PayloadTag);
            output.WriteBytes(envelope.Payload);
        }

        output.Flush();
    }
}
