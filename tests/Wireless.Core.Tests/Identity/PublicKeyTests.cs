using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Tests.Identity;

public class PublicKeyTests
{
    [Theory]
    [InlineData(KeyType.Ed25519)]
    [InlineData(KeyType.EcdsaP256)]
    public void Binary_and_address_forms_round_trip(KeyType type)
    {
        using var key = KeyPair.Generate(type, SeededRandomSource.FromLabel($"pk/{type}"));
        var parsed = PublicKey.Parse(key.PublicKey.Bytes);
        Assert.Equal(key.PublicKey, parsed);
        Assert.Equal(1 + type.PublicKeyLength(), parsed.Bytes.Length);
        Assert.Equal((byte)type, parsed.Bytes[0]);

        var address = key.PublicKey.ToAddress();
        Assert.Equal(key.PublicKey, PublicKey.ParseAddress(address));
        Assert.Equal(address, key.PublicKey.ToString());
        Assert.True(PublicKey.TryParse(address, null, out var viaParsable));
        Assert.Equal(key.PublicKey, viaParsable);
    }

    [Fact]
    public void Equality_and_hash_are_by_bytes()
    {
        using var key = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("eq"));
        var a = PublicKey.Parse(key.PublicKey.ToByteArray());
        var b = PublicKey.Parse(key.PublicKey.ToByteArray());
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        var set = new HashSet<PublicKey> { a };
        Assert.Contains(b, set);

        var other = key.PublicKey.ToByteArray();
        other[5] ^= 1;
        Assert.NotEqual(a, PublicKey.Parse(other));
        Assert.NotEqual(a, default);
        Assert.Equal(default(PublicKey), default);
        Assert.True(default(PublicKey).IsEmpty);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("05", "unknown key type tag 0x05")]
    [InlineData("11", "Helium testnet key")]
    [InlineData("00", "ecc_compact")]
    [InlineData("01aabb", "ed25519 key must be 33 bytes (tag + 32), got 3")]
    [InlineData("0803" + "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29f", "ecdsa_p256 key must be 34 bytes (tag + 33), got 33")]
    [InlineData("0804" + "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6", "starting with 0x02 or 0x03")]
    [InlineData("0802" + "0000000000000000000000000000000000000000000000000000000000000001", "not a point on the curve")]
    public void Malformed_keys_are_refused_naming_the_problem(string hex, string problem)
    {
        var ex = Assert.Throws<PrimitiveFormatException>(() => PublicKey.Parse(Convert.FromHexString(hex)));
        Assert.Equal("public key", ex.Field);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Helium_ecc_compact_address_decodes_but_is_refused_as_a_key()
    {
        // helium/helium-crypto-rs src/public_key.rs, test `public_key_roundtrip` (a mainnet ecc_compact key).
        var ex = Assert.Throws<PrimitiveFormatException>(() => PublicKey.ParseAddress("11263KvqW3GZPAvag5sQYtBJSjb25azSTSwoi5Tza9kboaLRxcsv"));
        Assert.Contains("ecc_compact", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Helium_ed25519_address_parses()
    {
        // helium/helium-crypto-rs src/ed25519/mod.rs, test `b58_roundtrip_ecc` (despite its name, an ed25519 key).
        const string address = "14HZVR4bdF9QMowYxWrumcFBNfWnhDdD5XXA5za1fWwUhHxxFS1";
        var key = PublicKey.ParseAddress(address);
        Assert.Equal(KeyType.Ed25519, key.Type);
        Assert.Equal(address, key.ToAddress());
    }

    [Theory]
    [InlineData("14MRZY2jc2ABDq1faCCMmXrkm2PXY9UBRTP1j9PWnFTKnCb7Hy0", "'0' at position 50")]
    [InlineData("14MRZY2jc2ABDq1faCCMmXrkm2PXY9UBRTP1j9PWnFTKnCb7Hym", "checksum does not match")]
    [InlineData("", "shorter than the 4-byte checksum")]
    public void Bad_addresses_are_refused_naming_the_problem(string address, string problem)
    {
        var ex = Assert.Throws<PrimitiveFormatException>(() => PublicKey.ParseAddress(address));
        Assert.Equal("address", ex.Field);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Address_with_a_non_zero_version_byte_is_refused()
    {
        using var key = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("v"));
        var versioned = new byte[] { 0x05 }.Concat(key.PublicKey.ToByteArray()).ToArray();
        var ex = Assert.Throws<PrimitiveFormatException>(() => PublicKey.ParseAddress(Codecs.Base58.EncodeCheck(versioned)));
        Assert.Contains("version byte is 0x05, expected 0x00", ex.Message, StringComparison.Ordinal);
    }
}
