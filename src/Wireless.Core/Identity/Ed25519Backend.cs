namespace DePin.Wireless.Core.Identity;

/// <summary>
/// An implementation of Ed25519 (RFC 8032, pure variant). Two exist: <see cref="OpenSsl"/>, the system's libcrypto
/// (about 3× faster; what .NET itself uses for TLS and ECDSA on Linux), and <see cref="BouncyCastle"/>, managed
/// code that runs anywhere. <see cref="Default"/> is OpenSSL when libcrypto.so.3 loads and passes a known-answer
/// self-test, otherwise BouncyCastle. Both accept and refuse exactly the same signatures and keys (see
/// <see cref="Ed25519Encoding"/>), so the choice changes speed, never results. Thread-safe.
/// </summary>
public abstract class Ed25519Backend
{
    /// <summary>Environment variable that forces a backend: <c>openssl</c> or <c>bouncycastle</c>.</summary>
    public const string EnvironmentVariable = "DEPIN_ED25519_BACKEND";

    private static readonly Lazy<Ed25519Backend?> LazyOpenSsl = new(OpenSslEd25519.TryCreate);
    private static readonly Lazy<Ed25519Backend> LazyDefault = new(ChooseDefault);

    private protected Ed25519Backend()
    {
    }

    /// <summary>Managed RFC 8032 code from Portable.BouncyCastle; always available.</summary>
    public static Ed25519Backend BouncyCastle { get; } = new BouncyCastleEd25519();

    /// <summary>The system's OpenSSL libcrypto (3.x), or null when it cannot be loaded or fails its self-test.</summary>
    public static Ed25519Backend? OpenSsl => LazyOpenSsl.Value;

    /// <summary>OpenSSL when available, BouncyCastle otherwise; <see cref="EnvironmentVariable"/> overrides.</summary>
    public static Ed25519Backend Default => LazyDefault.Value;

    /// <summary>"openssl" or "bouncycastle".</summary>
    public abstract string Name { get; }

    /// <summary>The 32-byte public key A of a 32-byte seed (RFC 8032 §5.1.5).</summary>
    public abstract byte[] DerivePublicKey(ReadOnlySpan<byte> seed);

    /// <summary>A key ready to sign many messages; holds whatever the backend precomputes from the seed.</summary>
    public abstract Ed25519SigningKey CreateSigningKey(ReadOnlySpan<byte> seed);

    /// <summary>
    /// Verifies a 64-byte signature under a 32-byte public key. Refuses wrong lengths, a non-canonical R or A
    /// (y ≥ p), S ≥ L (RFC 8032 §5.1.7 step 1), points not on the curve, and signatures that do not verify.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        Ed25519Encoding.HasValidShape(publicKey, signature) && VerifyChecked(publicKey, message, signature);

    public override string ToString() => Name;

    /// <summary>Verification after the shared shape checks of <see cref="Ed25519Encoding.HasValidShape"/>.</summary>
    private protected abstract bool VerifyChecked(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature);

    /// <summary>Parses a backend name as <see cref="EnvironmentVariable"/> spells it.</summary>
    public static Ed25519Backend Parse(string name) =>
        name.Trim().ToLowerInvariant() switch
        {
            "bouncycastle" => BouncyCastle,
            "openssl" => OpenSsl ?? throw new InvalidOperationException($"{EnvironmentVariable}: openssl requested but libcrypto.so.3 could not be loaded or failed its Ed25519 self-test"),
            _ => throw new ArgumentException($"{EnvironmentVariable}: unknown Ed25519 backend '{name}'; expected openssl or bouncycastle", nameof(name)),
        };

    private static Ed25519Backend ChooseDefault()
    {
        var forced = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(forced) ? OpenSsl ?? BouncyCastle : Parse(forced);
    }
}

/// <summary>An Ed25519 private key prepared by one <see cref="Ed25519Backend"/>. Thread-safe for signing.</summary>
public abstract class Ed25519SigningKey : IDisposable
{
    private protected Ed25519SigningKey()
    {
    }

    /// <summary>Writes the 64-byte signature of <paramref name="message"/> to <paramref name="signature"/>.</summary>
    public abstract void Sign(ReadOnlySpan<byte> message, Span<byte> signature);

    /// <summary>Releases the key material (wiped or freed); the key cannot sign afterwards.</summary>
    public abstract void Dispose();
}
