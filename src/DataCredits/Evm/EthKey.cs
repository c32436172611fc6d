using System.Numerics;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math.EC;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace DePin.Wireless.DataCredits.Evm;

/// <summary>
/// A secp256k1 private key: derives the public key and address, signs 32-byte hashes deterministically
/// (RFC 6979 nonces, low-s as required by EIP-2) and computes the recovery id.
/// </summary>
public sealed class EthKey
{
    private static readonly X9ECParameters Curve = Org.BouncyCastle.Asn1.Sec.SecNamedCurves.GetByName("secp256k1");
    private static readonly ECDomainParameters Domain = new(Curve.Curve, Curve.G, Curve.N, Curve.H);
    private static readonly BcBigInteger HalfN = Curve.N.ShiftRight(1);

    private readonly BcBigInteger _d;

    private EthKey(BcBigInteger d)
    {
        _d = d;
        var q = Domain.G.Multiply(d).Normalize();
        PublicKey = q.GetEncoded(false).AsSpan(1).ToArray();
        Address = EthAddress.FromPublicKey(PublicKey);
    }

    /// <summary>The 64-byte uncompressed public key without the 0x04 prefix.</summary>
    public byte[] PublicKey { get; }

    public EthAddress Address { get; }

    public static EthKey FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32)
        {
            throw new ArgumentException($"private key must be 32 bytes, got {privateKey.Length}", nameof(privateKey));
        }

        var d = new BcBigInteger(1, privateKey.ToArray());
        if (d.SignValue == 0 || d.CompareTo(Curve.N) >= 0)
        {
            throw new ArgumentException("private key is outside [1, n-1] of secp256k1", nameof(privateKey));
        }

        return new EthKey(d);
    }

    /// <summary>Parses a 0x-prefixed (or bare) 64-digit hex private key.</summary>
    public static EthKey Parse(string hex, string field = "key")
    {
        var bytes = Hex.Decode(hex.Trim(), field);
        if (bytes.Length != 32)
        {
            throw new FormatException($"{field}: a private key is 32 bytes (64 hex digits), got {bytes.Length} bytes");
        }

        try
        {
            return FromPrivateKey(bytes);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{field}: {e.Message}");
        }
    }

    public EthSignature Sign(ReadOnlySpan<byte> hash32)
    {
        if (hash32.Length != 32)
        {
            throw new ArgumentException("only 32-byte hashes are signed", nameof(hash32));
        }

        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, new ECPrivateKeyParameters(_d, Domain));
        var hash = hash32.ToArray();
        var rs = signer.GenerateSignature(hash);
        var r = rs[0];
        var s = rs[1];
        if (s.CompareTo(HalfN) > 0)
        {
            s = Curve.N.Subtract(s);
        }

        var expected = PublicKey;
        for (var recoveryId = 0; recoveryId < 2; recoveryId++)
        {
            var recovered = Recover(hash, r, s, recoveryId);
            if (recovered is not null && recovered.AsSpan().SequenceEqual(expected))
            {
                return new EthSignature(ToBig(r), ToBig(s), recoveryId);
            }
        }

        throw new InvalidOperationException("no recovery id reproduces the public key (R.x ≥ n, probability ~2^-128)");
    }

    /// <summary>Recovers the 64-byte public key that produced a signature (SEC 1 v2, section 4.1.6).</summary>
    public static byte[]? RecoverPublicKey(ReadOnlySpan<byte> hash32, EthSignature signature) =>
        Recover(hash32.ToArray(), FromBig(signature.R), FromBig(signature.S), signature.RecoveryId);

    private static byte[]? Recover(byte[] hash, BcBigInteger r, BcBigInteger s, int recoveryId)
    {
        var curve = (FpCurve)Curve.Curve;
        if (r.CompareTo(curve.Q) >= 0)
        {
            return null;
        }

        var encodedR = new byte[33];
        encodedR[0] = (byte)(recoveryId % 2 == 0 ? 0x02 : 0x03);
        var xBytes = r.ToByteArrayUnsigned();
        xBytes.CopyTo(encodedR, 33 - xBytes.Length);
        ECPoint point;
        try
        {
            point = curve.DecodePoint(encodedR);
        }
        catch (ArgumentException)
        {
            return null;
        }

        var e = new BcBigInteger(1, hash);
        var rInverse = r.ModInverse(Curve.N);
        var eNegated = BcBigInteger.Zero.Subtract(e).Mod(Curve.N);
        var q = ECAlgorithms.SumOfTwoMultiplies(Curve.G, eNegated.Multiply(rInverse).Mod(Curve.N), point, s.Multiply(rInverse).Mod(Curve.N)).Normalize();
        return q.IsInfinity ? null : q.GetEncoded(false).AsSpan(1).ToArray();
    }

    private static BigInteger ToBig(BcBigInteger value) => new(value.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);

    private static BcBigInteger FromBig(BigInteger value) => new(1, value.ToByteArray(isUnsigned: true, isBigEndian: true));
}
