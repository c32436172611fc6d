namespace DePin.Wireless.Core.Identity;

/// <summary>
/// The kinds of signing key a hotspot or service can hold. The enum value is the tag byte that prefixes the key in
/// its binary form (<see cref="PublicKey"/>) and in addresses.
/// </summary>
/// <remarks>
/// Helium's tags (helium/helium-crypto-rs src/lib.rs: KEYTYPE_ECC_COMPACT = 0x00, KEYTYPE_ED25519 = 0x01,
/// KEYTYPE_MULTISIG = 0x02, KEYTYPE_SECP256K1 = 0x03, KEYTYPE_RSA = 0x04; the high nibble is the network,
/// 0x00 mainnet, 0x10 testnet). We keep 0x01 for Ed25519 so our Ed25519 addresses are Helium mainnet addresses.
/// Helium's P-256 form (0x00) keeps only the X coordinate (draft-jivsov-ecc-compact); we carry the standard
/// 33-byte SEC1 compressed point instead, under our own tag 0x08, outside the range Helium assigns.
/// </remarks>
public enum KeyType : byte
{
    /// <summary>Ed25519 (RFC 8032): 32-byte public key, 32-byte seed as private key, 64-byte signature.</summary>
    Ed25519 = 0x01,

    /// <summary>
    /// ECDSA over NIST P-256 with SHA-256, the key an ATECC608 secure element holds: 33-byte SEC1 compressed
    /// public key, 32-byte private scalar, 64-byte r||s signature (IEEE P1363) with s normalised to the low half.
    /// </summary>
    EcdsaP256 = 0x08,
}

/// <summary>Sizes and names of each <see cref="KeyType"/>.</summary>
public static class KeyTypes
{
    public const int Ed25519PublicKeyLength = 32;
    public const int P256CompressedPublicKeyLength = 33;
    public const int PrivateKeyLength = 32;
    public const int SignatureLength = 64;

    public static IReadOnlyList<KeyType> All { get; } = [KeyType.Ed25519, KeyType.EcdsaP256];

    /// <summary>Length of the key bytes after the tag byte.</summary>
    public static int PublicKeyLength(this KeyType type) => type switch
    {
        KeyType.Ed25519 => Ed25519PublicKeyLength,
        KeyType.EcdsaP256 => P256CompressedPublicKeyLength,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown key type"),
    };

    /// <summary>The name used in key files and configuration ("ed25519", "ecdsa_p256").</summary>
    public static string Name(this KeyType type) => type switch
    {
        KeyType.Ed25519 => "ed25519",
        KeyType.EcdsaP256 => "ecdsa_p256",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown key type"),
    };

    public static bool TryParseName(ReadOnlySpan<char> name, out KeyType type)
    {
        foreach (var candidate in All)
        {
            if (name.Equals(candidate.Name(), StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }

    public static bool TryFromTag(byte tag, out KeyType type, out string? problem)
    {
        switch (tag)
        {
            case (byte)KeyType.Ed25519:
                type = KeyType.Ed25519;
                problem = null;
                return true;
            case (byte)KeyType.EcdsaP256:
                type = KeyType.EcdsaP256;
                problem = null;
                return true;
            case 0x00:
                type = default;
                problem = "key type tag 0x00 is Helium's X-only ecc_compact form, which is not accepted; use SEC1 compressed P-256 (tag 0x08)";
                return false;
            default:
                type = default;
                problem = (tag & 0xF0) == 0x10
                    ? $"key type tag 0x{tag:x2} is a Helium testnet key; only mainnet tags are accepted (0x01 ed25519, 0x08 ecdsa_p256)"
                    : $"unknown key type tag 0x{tag:x2} (expected 0x01 ed25519 or 0x08 ecdsa_p256)";
                return false;
        }
    }
}
