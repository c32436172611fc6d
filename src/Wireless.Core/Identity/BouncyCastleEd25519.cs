using System.Buffers;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace DePin.Wireless.Core.Identity;

/// <summary>Ed25519 through BouncyCastle's array-based RFC 8032 routine (managed code; the portable fallback).</summary>
internal sealed class BouncyCastleEd25519 : Ed25519Backend
{
    public override string Name => "bouncycastle";

    public override byte[] DerivePublicKey(ReadOnlySpan<byte> seed)
    {
        RequireSeed(seed);
        var publicKey = new byte[Ed25519.PublicKeySize];
        Ed25519.GeneratePublicKey(seed.ToArray(), 0, publicKey, 0);
        return publicKey;
    }

    public override Ed25519SigningKey CreateSigningKey(ReadOnlySpan<byte> seed)
    {
        RequireSeed(seed);
        var copy = seed.ToArray();
        return new SigningKey(copy, DerivePublicKey(copy));
    }

    private protected override bool VerifyChecked(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, message.Length));
        try
        {
            message.CopyTo(buffer);
            return Ed25519.Verify(signature.ToArray(), 0, publicKey.ToArray(), 0, buffer, 0, message.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static void RequireSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Ed25519.SecretKeySize)
        {
            throw new ArgumentException($"private key: Ed25519 seed must be {Ed25519.SecretKeySize} bytes, got {seed.Length}", nameof(seed));
        }
    }

    private sealed class SigningKey(byte[] seed, byte[] publicKey) : Ed25519SigningKey
    {
        public override void Sign(ReadOnlySpan<byte> message, Span<byte> signature)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, message.Length));
            try
            {
                message.CopyTo(buffer);
                var result = new byte[Ed25519.SignatureSize];
                Ed25519.Sign(seed, 0, publicKey, 0, buffer, 0, message.Length, result, 0);
                result.CopyTo(signature);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        public override void Dispose() => Array.Clear(seed);
    }
}
