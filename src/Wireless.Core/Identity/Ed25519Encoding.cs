namespace DePin.Wireless.Core.Identity;

/// <summary>
/// Encoding checks every Ed25519 backend applies before verifying, so that backends refuse the same inputs:
/// lengths, S &lt; L (RFC 8032 §5.1.7: "If any of the decodings fail (including S being out of range), the
/// signature is invalid"), and canonical point encodings for R and A (§5.1.3 step 1: y must be &lt; p).
/// BouncyCastle applies all of these itself; OpenSSL 3.0 checks S but decodes A's y modulo p, so without this
/// check it would accept keys BouncyCastle refuses.
/// </summary>
public static class Ed25519Encoding
{
    public const int PublicKeyLength = 32;
    public const int SignatureLength = 64;

    // L = 2^252 + 27742317777372353535851937790883648493 (RFC 8032 §5.1), little-endian.
    private static ReadOnlySpan<byte> GroupOrder =>
    [
        0xED, 0xD3, 0xF5, 0x5C, 0x1A, 0x63, 0x12, 0x58, 0xD6, 0x9C, 0xF7, 0xA2, 0xDE, 0xF9, 0xDE, 0x14,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
    ];

    /// <summary>True when the lengths are right, S &lt; L and both R and A encode y &lt; p.</summary>
    public static bool HasValidShape(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> signature) =>
        publicKey.Length == PublicKeyLength &&
        signature.Length == SignatureLength &&
        IsCanonicalPoint(publicKey) &&
        IsCanonicalPoint(signature[..32]) &&
        IsCanonicalScalar(signature[32..]);

    /// <summary>A little-endian scalar is canonical when it is less than the group order L.</summary>
    public static bool IsCanonicalScalar(ReadOnlySpan<byte> scalar)
    {
        for (var i = 31; i >= 0; i--)
        {
            if (scalar[i] != GroupOrder[i])
            {
                return scalar[i] < GroupOrder[i];
            }
        }

        return false;
    }

    /// <summary>
    /// A point encoding is canonical when its y (the low 255 bits) is less than p = 2^255 − 19. The only
    /// non-canonical values are p … 2^255 − 1: low byte ≥ 0xED, bytes 1–30 all 0xFF, byte 31 (sign bit aside) 0x7F.
    /// </summary>
    public static bool IsCanonicalPoint(ReadOnlySpan<byte> encoded)
    {
        if ((encoded[31] & 0x7F) != 0x7F || encoded[0] < 0xED)
        {
            return true;
        }

        for (var i = 1; i < 31; i++)
        {
            if (encoded[i] != 0xFF)
            {
                return true;
            }
        }

        return false;
    }
}
