using Org.BouncyCastle.Math.EC.Rfc7748;

namespace DePin.Wireless.Core.Identity;

/// <summary>
/// X25519 Diffie-Hellman (RFC 7748 §5) through BouncyCastle's <see cref="X25519"/>. Private keys are 32 random bytes;
/// clamping (decodeScalar25519) happens inside the scalar multiplication, so any 32 bytes are a valid private key.
/// </summary>
public static class X25519KeyAgreement
{
    /// <summary>Length of private keys, public keys and shared secrets (RFC 7748 §5: 32 bytes for X25519).</summary>
    public const int KeyLength = 32;

    /// <summary>32 bytes from <paramref name="random"/>: a production hotspot passes the system generator, the devnet a seeded stream.</summary>
    public static byte[] GeneratePrivateKey(IRandomSource random)
    {
        var privateKey = new byte[KeyLength];
        random.Fill(privateKey);
        return privateKey;
    }

    /// <summary>The public key X25519(k, 9).</summary>
    public static byte[] PublicKeyOf(ReadOnlySpan<byte> privateKey)
    {
        RequireLength(privateKey, "private key");
        var publicKey = new byte[KeyLength];
        X25519.ScalarMultBase(privateKey.ToArray(), 0, publicKey, 0);
        return publicKey;
    }

    /// <summary>
    /// The shared secret X25519(k, peer). Refuses a wrong-length peer key and an all-zero result: RFC 7748 §6.1 lets
    /// implementations check for it, and a peer that sends a low-order point would otherwise force a secret anyone
    /// can compute.
    /// </summary>
    public static bool TryAgree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> peerPublicKey, out byte[] sharedSecret, out string? problem)
    {
        RequireLength(privateKey, "private key");
        sharedSecret = [];
        if (peerPublicKey.Length != KeyLength)
        {
            problem = $"must be {KeyLength} bytes (X25519 public key), got {peerPublicKey.Length}";
            return false;
        }

        var secret = new byte[KeyLength];
        X25519.ScalarMult(privateKey.ToArray(), 0, peerPublicKey.ToArray(), 0, secret, 0);
        if (System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(secret, new byte[KeyLength]))
        {
            problem = "is a low-order point: the X25519 shared secret is all zero (RFC 7748 §6.1)";
            return false;
        }

        sharedSecret = secret;
        problem = null;
        return true;
    }

    private static void RequireLength(ReadOnlySpan<byte> key, string name)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"X25519 {name}: must be {KeyLength} bytes, got {key.Length}");
        }
    }
}
