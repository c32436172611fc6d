using System.Buffers;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace DePin.Wireless.Core.Identity;

/// <summary>Ed25519 (RFC 8032, pure variant) through BouncyCastle's array-based primitive.</summary>
internal static class Ed25519Signatures
{
    public static byte[] DerivePublicKey(ReadOnlySpan<byte> seed)
    {
        var publicKey = new byte[Ed25519.PublicKeySize];
        Ed25519.GeneratePublicKey(seed.ToArray(), 0, publicKey, 0);
        return publicKey;
    }

    public static void Sign(byte[] seed, byte[] publicKey, byte[] message, int length, Span<byte> signature)
    {
        var result = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(seed, 0, publicKey, 0, message, 0, length, result, 0);
        result.CopyTo(signature);
    }

    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(message.Length);
        try
        {
            message.CopyTo(buffer);
            return Verify(publicKey, buffer, message.Length, signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static bool Verify(ReadOnlySpan<byte> publicKey, byte[] message, int length, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Ed25519.SignatureSize || publicKey.Length != Ed25519.PublicKeySize)
        {
            return false;
        }

        return Ed25519.Verify(signature.ToArray(), 0, publicKey.ToArray(), 0, message, 0, length);
    }
}
