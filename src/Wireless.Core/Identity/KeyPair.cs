using System.Security.Cryptography;

namespace DePin.Wireless.Core.Identity;

/// <summary>
/// A private signing key with its public key. Ed25519 private keys are the 32-byte RFC 8032 seed; P-256 private
/// keys are the 32-byte big-endian scalar d (1 ≤ d &lt; n). Signatures are always 64 bytes.
/// Thread-safe for signing.
/// </summary>
public sealed class KeyPair : IDisposable
{
    private readonly byte[] _privateKey;
    private readonly Ed25519SigningKey? _ed25519;
    private readonly ECDsa? _ecdsa;
    private bool _disposed;

    private KeyPair(KeyType type, byte[] privateKey, Ed25519Backend? ed25519Backend)
    {
        Type = type;
        _privateKey = privateKey;
        if (type == KeyType.Ed25519)
        {
            var backend = ed25519Backend ?? Ed25519Backend.Default;
            _ed25519 = backend.CreateSigningKey(privateKey);
            PublicKey = PublicKey.FromKeyBytes(type, backend.DerivePublicKey(privateKey));
        }
        else
        {
            _ecdsa = P256.CreateSigner(privateKey);
            PublicKey = PublicKey.FromKeyBytes(type, P256.Compress(_ecdsa));
        }
    }

    public KeyType Type { get; }

    public PublicKey PublicKey { get; }

    /// <summary>Makes a new key from <paramref name="random"/> (the system RNG in production, a seeded source in the devnet).</summary>
    /// <param name="ed25519Backend">Which Ed25519 implementation signs (default <see cref="Ed25519Backend.Default"/>); ignored for P-256.</param>
    public static KeyPair Generate(KeyType type, IRandomSource random, Ed25519Backend? ed25519Backend = null)
    {
        CheckType(type);
        var privateKey = new byte[KeyTypes.PrivateKeyLength];
        random.Fill(privateKey);

        // A P-256 scalar must be in [1, n); a 256-bit draw falls outside with probability about 2^-32, so draw again.
        while (type == KeyType.EcdsaP256 && !P256.IsValidPrivateScalar(privateKey))
        {
            random.Fill(privateKey);
        }

        return new KeyPair(type, privateKey, ed25519Backend);
    }

    /// <summary>Rebuilds a key from its private bytes (as stored in a key file).</summary>
    public static KeyPair FromPrivateKey(KeyType type, ReadOnlySpan<byte> privateKey, Ed25519Backend? ed25519Backend = null)
    {
        CheckType(type);
        if (privateKey.Length != KeyTypes.PrivateKeyLength)
        {
            throw new ArgumentException($"private key: {type.Name()} private key must be {KeyTypes.PrivateKeyLength} bytes, got {privateKey.Length}", nameof(privateKey));
        }

        if (type == KeyType.EcdsaP256 && !P256.IsValidPrivateScalar(privateKey))
        {
            throw new ArgumentException("private key: P-256 scalar must be between 1 and the group order n − 1", nameof(privateKey));
        }

        return new KeyPair(type, privateKey.ToArray(), ed25519Backend);
    }

    /// <summary>A copy of the private key bytes; callers should clear it when done.</summary>
    public byte[] ExportPrivateKey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (byte[])_privateKey.Clone();
    }

    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var signature = new byte[KeyTypes.SignatureLength];
        if (Type == KeyType.EcdsaP256)
        {
            SignP256(message, signature);
            return signature;
        }

        _ed25519!.Sign(message, signature);
        return signature;
    }

    /// <summary>Signs the first <paramref name="length"/> bytes of <paramref name="message"/> into a 64-byte span.</summary>
    public void Sign(byte[] message, int length, Span<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (signature.Length < KeyTypes.SignatureLength)
        {
            throw new ArgumentException($"signature: destination must hold {KeyTypes.SignatureLength} bytes, has {signature.Length}", nameof(signature));
        }

        if (Type == KeyType.Ed25519)
        {
            _ed25519!.Sign(message.AsSpan(0, length), signature);
        }
        else
        {
            SignP256(message.AsSpan(0, length), signature);
        }
    }

    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) => PublicKey.Verify(message, signature);

    /// <summary>Wipes the private key; the key pair cannot sign afterwards.</summary>
    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_privateKey);
        _ecdsa?.Dispose();
        _ed25519?.Dispose();
    }

    public override string ToString() => $"{Type.Name()} {PublicKey}";

    private void SignP256(ReadOnlySpan<byte> message, Span<byte> signature)
    {
        lock (_ecdsa!)
        {
            _ecdsa.SignData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        P256.NormaliseLowS(signature[..KeyTypes.SignatureLength]);
    }

    private static KeyType CheckType(KeyType type) =>
        type is KeyType.Ed25519 or KeyType.EcdsaP256
            ? type
            : throw new ArgumentOutOfRangeException(nameof(type), type, "key type: unknown; expected Ed25519 or EcdsaP256");
}
