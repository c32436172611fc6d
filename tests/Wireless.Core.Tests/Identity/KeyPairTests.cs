using System.Security.Cryptography;
using DePin.Wireless.Core.Identity;

namespace DePin.Wireless.Core.Tests.Identity;

public class KeyPairTests
{
    public static TheoryData<KeyType> KeyTypesData => [KeyType.Ed25519, KeyType.EcdsaP256];

    [Fact]
    public void Ed25519_seed_gives_the_helium_address()
    {
        // helium/helium-crypto-rs src/ed25519/mod.rs, test `seed`: entropy BYTES[..32], public key BYTES[32..].
        var seed = Convert.FromHexString("f8374ea8637b16cb24fa88566e77c6aaf8374ea8637b16cb24fa88566e77c6aa");
        using var key = KeyPair.FromPrivateKey(KeyType.Ed25519, seed);
        Assert.Equal("01b97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a09", Convert.ToHexStringLower(key.PublicKey.Bytes));
        Assert.Equal("14MRZY2jc2ABDq1faCCMmXrkm2PXY9UBRTP1j9PWnFTKnCb7Hyn", key.PublicKey.ToAddress());
    }

    [Fact]
    public void Ed25519_verifies_a_signature_made_by_helium_erlang_libp2p_crypto()
    {
        // helium/helium-crypto-rs src/ed25519/mod.rs, test `verify`.
        var key = PublicKey.ParseAddress("13WvV82S7QN3VMzMSieiGxvuaPKknMtf213E5JwPnboDkUfesKw");
        var signature = Convert.FromHexString("ef3e85dc7ea338c6b67399873131ea7b2265c516222e105fc39a59dda71f668a3b95fe27457d941a3cf5c422c9efbf0da112171d2997d74bc68f7b8118c6930e");
        Assert.True(key.Verify("hello world"u8, signature));
        Assert.False(key.Verify("hello world!"u8, signature));
        Assert.False(key.Verify("hello world"u8, signature.AsSpan(0, 21)));
        signature[10] ^= 1;
        Assert.False(key.Verify("hello world"u8, signature));
    }

    [Fact]
    public void Ed25519_matches_rfc8032_test_1()
    {
        // RFC 8032 §7.1 TEST 1 (empty message).
        using var key = KeyPair.FromPrivateKey(KeyType.Ed25519, Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexStringLower(key.PublicKey.KeyBytes));
        Assert.Equal(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
            Convert.ToHexStringLower(key.Sign([])));
    }

    [Fact]
    public void P256_public_key_is_sec1_compressed_under_our_tag()
    {
        // RFC 6979 §A.2.5: private key x and public key (Ux, Uy); Uy is odd, so the prefix is 0x03.
        using var key = KeyPair.FromPrivateKey(KeyType.EcdsaP256, Convert.FromHexString("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721"));
        Assert.Equal("080360fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6", Convert.ToHexStringLower(key.PublicKey.Bytes));
    }

    [Fact]
    public void P256_accepts_only_the_low_s_form_of_the_rfc6979_signature()
    {
        // RFC 6979 §A.2.5, SHA-256, message "sample": s is above n/2, so we accept (r, n − s) and refuse (r, s),
        // which plain .NET ECDsa accepts; one valid encoding per signature.
        var key = PublicKey.FromKeyBytes(KeyType.EcdsaP256, Convert.FromHexString("0360FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"));
        const string r = "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716";
        var highS = Convert.FromHexString(r + "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8");
        var lowS = Convert.FromHexString(r + "0834E36AD29A83BF2BC9385E491D6099C8FDF9D1ED67AA7EA5F51F93782857A9");

        using (var dotnet = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint
            {
                X = Convert.FromHexString("60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"),
                Y = Convert.FromHexString("7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299"),
            },
        }))
        {
            Assert.True(dotnet.VerifyData("sample"u8, highS, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        }

        Assert.False(key.Verify("sample"u8, highS));
        Assert.True(key.Verify("sample"u8, lowS));
        using var verifier = new SignatureVerifier();
        Assert.False(verifier.Verify(key, "sample"u8, highS));
        Assert.True(verifier.Verify(key, "sample"u8, lowS));
    }

    [Fact]
    public void P256_signatures_are_always_low_s()
    {
        using var key = KeyPair.Generate(KeyType.EcdsaP256, new SeededRandomSource([1]));
        var halfOrder = Convert.FromHexString("7FFFFFFF800000007FFFFFFFFFFFFFFFDE737D56D38BCF4279DCE5617E3192A8");
        for (var i = 0; i < 64; i++)
        {
            var message = new[] { (byte)i };
            var signature = key.Sign(message);
            Assert.Equal(64, signature.Length);
            Assert.True(signature.AsSpan(32).SequenceCompareTo(halfOrder) <= 0);
            Assert.True(key.PublicKey.Verify(message, signature));
        }
    }

    [Theory]
    [MemberData(nameof(KeyTypesData))]
    public void Signatures_verify_and_any_change_breaks_them(KeyType type)
    {
        using var key = KeyPair.Generate(type, SystemRandomSource.Instance);
        var message = "beacon report"u8.ToArray();
        var signature = key.Sign(message);
        Assert.True(key.Verify(message, signature));

        for (var i = 0; i < signature.Length; i++)
        {
            var damaged = (byte[])signature.Clone();
            damaged[i] ^= 0x01;
            Assert.False(key.Verify(message, damaged), $"signature byte {i} flipped still verifies");
        }

        message[0] ^= 0x01;
        Assert.False(key.Verify(message, signature));
        using var other = KeyPair.Generate(type, SystemRandomSource.Instance);
        Assert.False(other.Verify("beacon report"u8, signature));
    }

    [Theory]
    [MemberData(nameof(KeyTypesData))]
    public void Seeded_generation_is_deterministic(KeyType type)
    {
        using var a = KeyPair.Generate(type, SeededRandomSource.FromLabel("devnet/hotspot-1"));
        using var b = KeyPair.Generate(type, SeededRandomSource.FromLabel("devnet/hotspot-1"));
        using var c = KeyPair.Generate(type, SeededRandomSource.FromLabel("devnet/hotspot-2"));
        Assert.Equal(a.PublicKey, b.PublicKey);
        Assert.Equal(a.ExportPrivateKey(), b.ExportPrivateKey());
        Assert.NotEqual(a.PublicKey, c.PublicKey);
        Assert.Equal(type, a.PublicKey.Type);
    }

    [Theory]
    [MemberData(nameof(KeyTypesData))]
    public void Private_key_round_trips(KeyType type)
    {
        using var key = KeyPair.Generate(type, SystemRandomSource.Instance);
        using var again = KeyPair.FromPrivateKey(type, key.ExportPrivateKey());
        Assert.Equal(key.PublicKey, again.PublicKey);
        Assert.True(again.PublicKey.Verify("x"u8, key.Sign("x"u8)));
    }

    [Theory]
    [InlineData(KeyType.Ed25519, "00", "must be 32 bytes, got 1")]
    [InlineData(KeyType.EcdsaP256, "0000000000000000000000000000000000000000000000000000000000000000", "between 1 and the group order")]
    [InlineData(KeyType.EcdsaP256, "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", "between 1 and the group order")]
    public void Bad_private_keys_are_refused_with_the_reason(KeyType type, string hex, string problem)
    {
        var ex = Assert.Throws<ArgumentException>(() => KeyPair.FromPrivateKey(type, Convert.FromHexString(hex)));
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Seeded_sources_derive_independent_reproducible_streams()
    {
        var root = SeededRandomSource.FromLabel("devnet-42");
        var a1 = new byte[100];
        var a2 = new byte[100];
        root.Derive("a").Fill(a1);
        SeededRandomSource.FromLabel("devnet-42").Derive("a").Fill(a2);
        Assert.Equal(a1, a2);

        var b = new byte[100];
        root.Derive("b").Fill(b);
        Assert.NotEqual(a1, b);

        // Filling in pieces gives the same stream as filling at once.
        var pieces = new byte[100];
        var source = SeededRandomSource.FromLabel("devnet-42").Derive("a");
        source.Fill(pieces.AsSpan(0, 7));
        source.Fill(pieces.AsSpan(7, 50));
        source.Fill(pieces.AsSpan(57));
        Assert.Equal(a1, pieces);
    }

    [Fact]
    public void Signature_verifier_stays_correct_past_its_key_capacity_and_across_threads()
    {
        using var verifier = new SignatureVerifier(capacity: 2);
        var keys = Enumerable.Range(0, 5).Select(i => KeyPair.Generate(i % 2 == 0 ? KeyType.EcdsaP256 : KeyType.Ed25519, SeededRandomSource.FromLabel($"sv/{i}"))).ToArray();
        var signatures = keys.Select(k => k.Sign("m"u8)).ToArray();

        Parallel.For(0, 200, i =>
        {
            var k = i % keys.Length;
            Assert.True(verifier.TryParseKey(keys[k].PublicKey.Bytes, out var parsed, out _));
            Assert.True(verifier.Verify(parsed, "m"u8, signatures[k]));
            Assert.False(verifier.Verify(parsed, "n"u8, signatures[k]));
            Assert.False(verifier.Verify(parsed, "m"u8, signatures[(k + 2) % keys.Length]));
        });

        foreach (var key in keys)
        {
            key.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(KeyTypesData))]
    public void Disposed_key_pair_refuses_to_sign(KeyType type)
    {
        var key = KeyPair.Generate(type, SystemRandomSource.Instance);
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.Sign("m"u8));
        Assert.Throws<ObjectDisposedException>(() => key.ExportPrivateKey());
    }
}
