using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using DePin.Wireless.Core.Codecs;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Identity;

/// <summary>
/// A typed public key. Binary form: one tag byte (<see cref="KeyType"/>) followed by the key bytes (32 for Ed25519,
/// 33 SEC1-compressed for P-256), as in Helium (helium/helium-crypto-rs src/public_key.rs). Text form is the
/// address: Base58Check of 0x00 ‖ binary form. Equality and hashing are by the binary bytes.
/// </summary>
public readonly record struct PublicKey : ISpanParsable<PublicKey>
{
    /// <summary>The Base58Check version byte Helium puts before the typed key (bs58 with_check(Some(0))).</summary>
    public const byte AddressVersion = 0x00;

    private readonly byte[]? _bytes;

    private PublicKey(byte[] bytes) => _bytes = bytes;

    public KeyType Type => _bytes is null ? throw EmptyKey() : (KeyType)_bytes[0];

    /// <summary>Tag byte followed by the key bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? throw EmptyKey();

    /// <summary>The key without its tag.</summary>
    public ReadOnlySpan<byte> KeyBytes => Bytes[1..];

    public bool IsEmpty => _bytes is null;

    public byte[] ToByteArray() => Bytes.ToArray();

    /// <summary>Builds a key from its type and untagged key bytes (checked like <see cref="Parse(ReadOnlySpan{byte})"/>).</summary>
    public static PublicKey FromKeyBytes(KeyType type, ReadOnlySpan<byte> keyBytes)
    {
        var tagged = new byte[1 + keyBytes.Length];
        tagged[0] = (byte)type;
        keyBytes.CopyTo(tagged.AsSpan(1));
        return Parse(tagged);
    }

    /// <summary>
    /// Checks tag and length only, not that a P-256 point lies on the curve; for <see cref="SignatureVerifier"/>,
    /// which looks the key up among keys it already validated and validates it otherwise.
    /// </summary>
    internal static bool TryParseShape(ReadOnlySpan<byte> bytes, out PublicKey key, out string? problem)
    {
        key = default;
        if (!TryCheckShape(bytes, out problem))
        {
            return false;
        }

        key = new PublicKey(bytes.ToArray());
        return true;
    }

    public static PublicKey Parse(ReadOnlySpan<byte> bytes) =>
        TryParse(bytes, out var key, out var problem) ? key : throw new PrimitiveFormatException("public key", problem!);

    public static bool TryParse(ReadOnlySpan<byte> bytes, out PublicKey key, out string? problem)
    {
        key = default;
        if (!TryCheckShape(bytes, out problem))
        {
            return false;
        }

        // Ed25519 points are decoded (and rejected if invalid) by the verifier; P-256 points are checked here so a
        // bad key is reported as a bad key rather than as a bad signature.
        if (bytes[0] == (byte)KeyType.EcdsaP256 && !P256.TryDecompress(bytes[1..], out _, out _, out problem))
        {
            return false;
        }

        key = new PublicKey(bytes.ToArray());
        problem = null;
        return true;
    }

    private static bool TryCheckShape(ReadOnlySpan<byte> bytes, out string? problem)
    {
        if (bytes.IsEmpty)
        {
            problem = "is empty; expected a key type tag byte followed by the key";
            return false;
        }

        if (!KeyTypes.TryFromTag(bytes[0], out var type, out problem))
        {
            return false;
        }

        var expected = 1 + type.PublicKeyLength();
        if (bytes.Length != expected)
        {
            problem = $"{type.Name()} key must be {expected} bytes (tag + {expected - 1}), got {bytes.Length}";
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>The address (Base58Check text form).</summary>
    public string ToAddress()
    {
        Span<byte> versioned = stackalloc byte[1 + Bytes.Length];
        versioned[0] = AddressVersion;
        Bytes.CopyTo(versioned[1..]);
        return Base58.EncodeCheck(versioned);
    }

    public static PublicKey ParseAddress(ReadOnlySpan<char> address) =>
        TryParseAddress(address, out var key, out var problem) ? key : throw new PrimitiveFormatException("address", problem!, address.ToString());

    public static bool TryParseAddress(ReadOnlySpan<char> address, out PublicKey key, out string? problem)
    {
        key = default;
        if (!Base58.TryDecodeCheck(address.Trim(), out var payload, out problem))
        {
            return false;
        }

        if (payload.Length == 0 || payload[0] != AddressVersion)
        {
            problem = payload.Length == 0 ? "address has no version byte" : $"address version byte is 0x{payload[0]:x2}, expected 0x00";
            return false;
        }

        return TryParse(payload.AsSpan(1), out key, out problem);
    }

    public static PublicKey Parse(string s, IFormatProvider? provider) => ParseAddress(s);

    public static PublicKey Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => ParseAddress(s);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out PublicKey result) =>
        TryParseAddress(s.AsSpan(), out result, out _);

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out PublicKey result) =>
        TryParseAddress(s, out result, out _);

    /// <summary>Verifies a signature made by the matching <see cref="KeyPair"/>. For many P-256 verifications under
    /// the same keys use a <see cref="SignatureVerifier"/>, which keeps the imported keys.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != KeyTypes.SignatureLength)
        {
            return false;
        }

        switch (Type)
        {
            case KeyType.Ed25519:
                return Ed25519Backend.Default.Verify(KeyBytes, message, signature);
            default:
                if (!P256.TryDecompress(KeyBytes, out var x, out var y, out _))
                {
                    return false;
                }

                using (var ecdsa = P256.CreateVerifier(x, y))
                {
                    return P256.IsLowS(signature) &&
                        ecdsa.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                }
        }
    }

    public bool Equals(PublicKey other) =>
        _bytes is null ? other._bytes is null : other._bytes is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override int GetHashCode()
    {
        if (_bytes is null)
        {
            return 0;
        }

        var hash = default(HashCode);
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    public override string ToString() => _bytes is null ? "(no key)" : ToAddress();

    private static InvalidOperationException EmptyKey() => new("public key: this is an empty (default) PublicKey");
}
