using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X9;
using BcPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace DePin.Wireless.Core.Identity;

/// <summary>
/// NIST P-256 helpers: SEC1 point compression (SEC 1 v2 §2.3.3/§2.3.4), private-scalar range, and low-S
/// normalisation of IEEE P1363 r||s signatures (ECDSA signatures (r, s) and (r, n − s) are both valid; we emit and
/// accept only s ≤ n/2 so a signature has one encoding, as Bitcoin's BIP 62 and libsecp256k1 do).
/// </summary>
internal static class P256
{
    public const int FieldLength = 32;

    // Group order n of P-256 (SEC 2 v2 §2.4.2), big-endian.
    private static readonly byte[] Order = Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");

    // n >> 1: the largest s accepted.
    private static readonly byte[] HalfOrder = Convert.FromHexString("7FFFFFFF800000007FFFFFFFFFFFFFFFDE737D56D38BCF4279DCE5617E3192A8");

    private static readonly X9ECParameters Curve = ECNamedCurveTable.GetByName("P-256");

    /// <summary>True when 1 ≤ d &lt; n (a usable private scalar).</summary>
    public static bool IsValidPrivateScalar(ReadOnlySpan<byte> d) =>
        d.Length == FieldLength && d.IndexOfAnyExcept((byte)0) >= 0 && d.SequenceCompareTo(Order) < 0;

    /// <summary>Creates the signing key for scalar d; .NET derives Q = d·G.</summary>
    public static ECDsa CreateSigner(ReadOnlySpan<byte> d) =>
        ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d.ToArray() });

    /// <summary>33-byte SEC1 compressed form: 0x02 | 0x03 (parity of Y) then X.</summary>
    public static byte[] Compress(ECDsa key)
    {
        var q = key.ExportParameters(includePrivateParameters: false).Q;
        var compressed = new byte[1 + FieldLength];
        compressed[0] = (byte)((q.Y![^1] & 1) == 0 ? 0x02 : 0x03);
        q.X!.CopyTo(compressed, 1);
        return compressed;
    }

    /// <summary>Checks a compressed point lies on P-256 and returns its affine coordinates.</summary>
    public static bool TryDecompress(ReadOnlySpan<byte> compressed, out byte[] x, out byte[] y, out string? problem)
    {
        x = y = [];
        if (compressed.Length != 1 + FieldLength || (compressed[0] != 0x02 && compressed[0] != 0x03))
        {
            problem = "P-256 key must be a 33-byte SEC1 compressed point starting with 0x02 or 0x03";
            return false;
        }

        BcPoint point;
        try
        {
            point = Curve.Curve.DecodePoint(compressed.ToArray()).Normalize();
        }
        catch (ArgumentException)
        {
            problem = "P-256 key is not a point on the curve";
            return false;
        }

        if (point.IsInfinity)
        {
            problem = "P-256 key is the point at infinity";
            return false;
        }

        x = point.AffineXCoord.GetEncoded();
        y = point.AffineYCoord.GetEncoded();
        problem = null;
        return true;
    }

    /// <summary>Creates a verification key from a compressed point already checked by <see cref="TryDecompress"/>.</summary>
    public static ECDsa CreateVerifier(byte[] x, byte[] y) =>
        ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });

    public static bool IsLowS(ReadOnlySpan<byte> signature) =>
        signature[FieldLength..].SequenceCompareTo(HalfOrder) <= 0;

    /// <summary>Replaces s by n − s when s &gt; n/2.</summary>
    public static void NormaliseLowS(Span<byte> signature)
    {
        var s = signature[FieldLength..];
        if (s.SequenceCompareTo(HalfOrder) <= 0)
        {
            return;
        }

        var borrow = 0;
        for (var i = FieldLength - 1; i >= 0; i--)
        {
            var difference = Order[i] - s[i] - borrow;
            borrow = difference < 0 ? 1 : 0;
            s[i] = (byte)(difference + (borrow << 8));
        }
    }
}
