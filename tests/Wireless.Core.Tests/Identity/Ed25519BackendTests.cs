using System.Numerics;
using DePin.Wireless.Core.Identity;

namespace DePin.Wireless.Core.Tests.Identity;

public class Ed25519BackendTests
{
    // RFC 8032 §7.1 (Test Vectors for Ed25519): TEST 1, TEST 2, TEST 3 and TEST SHA(abc). Columns: SECRET KEY,
    // PUBLIC KEY, MESSAGE, SIGNATURE, all hex.
    public static TheoryData<string, string, string, string, string> Rfc8032Vectors()
    {
        var data = new TheoryData<string, string, string, string, string>();
        foreach (var backend in BackendNames)
        {
            data.Add(backend, "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
            data.Add(backend, "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
            data.Add(backend, "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
                "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a");
            data.Add(backend, "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42", "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
                "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704");
        }

        return data;
    }

    private static readonly string[] BackendNames = ["openssl", "bouncycastle"];

    private static Ed25519Backend OpenSsl => Ed25519Backend.OpenSsl ?? throw new InvalidOperationException("libcrypto.so.3 should load on Debian 12");

    private static Ed25519Backend BouncyCastle => Ed25519Backend.BouncyCastle;

    [Fact]
    public void OpenSsl_is_available_and_the_default_here()
    {
        Assert.NotNull(Ed25519Backend.OpenSsl);
        Assert.Equal("openssl", Ed25519Backend.OpenSsl!.Name);
        if (Environment.GetEnvironmentVariable(Ed25519Backend.EnvironmentVariable) is null)
        {
            Assert.Same(Ed25519Backend.OpenSsl, Ed25519Backend.Default);
        }
    }

    [Fact]
    public void Backend_names_parse_and_unknown_names_are_refused()
    {
        Assert.Same(Ed25519Backend.BouncyCastle, Ed25519Backend.Parse(" BouncyCastle "));
        Assert.Same(Ed25519Backend.OpenSsl, Ed25519Backend.Parse("openssl"));
        var ex = Assert.Throws<ArgumentException>(() => Ed25519Backend.Parse("libsodium"));
        Assert.Contains("DEPIN_ED25519_BACKEND", ex.Message, StringComparison.Ordinal);
        Assert.Contains("libsodium", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Matches_rfc8032_section_7_1(string backendName, string secretHex, string publicHex, string messageHex, string signatureHex)
    {
        var backend = Ed25519Backend.Parse(backendName);
        var message = Convert.FromHexString(messageHex);
        Assert.Equal(publicHex, Convert.ToHexStringLower(backend.DerivePublicKey(Convert.FromHexString(secretHex))));
        using var key = backend.CreateSigningKey(Convert.FromHexString(secretHex));
        var signature = new byte[64];
        key.Sign(message, signature);
        Assert.Equal(signatureHex, Convert.ToHexStringLower(signature));
        Assert.True(backend.Verify(Convert.FromHexString(publicHex), message, signature));

        using var pair = KeyPair.FromPrivateKey(KeyType.Ed25519, Convert.FromHexString(secretHex), backend);
        Assert.Equal(signatureHex, Convert.ToHexStringLower(pair.Sign(message)));
    }

    [Fact]
    public void Random_keys_and_messages_sign_identically_and_verify_across_backends()
    {
        var random = SeededRandomSource.FromLabel("ed25519-backend-cross-check");
        var seed = new byte[32];
        for (var i = 0; i < 200; i++)
        {
            random.Fill(seed);
            var lengthByte = new byte[2];
            random.Fill(lengthByte);
            var message = new byte[BitConverter.ToUInt16(lengthByte) % 1500];
            random.Fill(message);

            using var openSslKey = OpenSsl.CreateSigningKey(seed);
            using var bouncyKey = BouncyCastle.CreateSigningKey(seed);
            var publicKey = OpenSsl.DerivePublicKey(seed);
            Assert.Equal(publicKey, BouncyCastle.DerivePublicKey(seed));
            var fromOpenSsl = new byte[64];
            var fromBouncy = new byte[64];
            openSslKey.Sign(message, fromOpenSsl);
            bouncyKey.Sign(message, fromBouncy);
            Assert.Equal(fromBouncy, fromOpenSsl);
            Assert.True(BouncyCastle.Verify(publicKey, message, fromOpenSsl));
            Assert.True(OpenSsl.Verify(publicKey, message, fromBouncy));

            // Any single flipped bit in key, message or signature is refused by both.
            var flip = i % 3;
            var target = flip == 0 ? publicKey : flip == 1 && message.Length > 0 ? message : fromOpenSsl;
            target[i % target.Length] ^= (byte)(1 << (i % 8));
            var openSslAccepts = OpenSsl.Verify(publicKey, message, target == fromOpenSsl ? fromOpenSsl : fromBouncy);
            var bouncyAccepts = BouncyCastle.Verify(publicKey, message, target == fromOpenSsl ? fromOpenSsl : fromBouncy);
            Assert.False(openSslAccepts);
            Assert.False(bouncyAccepts);
        }
    }

    [Fact]
    public void Non_canonical_s_is_refused_by_both()
    {
        // S + L verifies the same group equation as S, so only the range check of RFC 8032 §5.1.7 step 1 refuses it.
        var (publicKey, message, signature) = Signed("non-canonical-s");
        var order = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");
        var s = new BigInteger(signature.AsSpan(32), isUnsigned: true);
        var malleated = (byte[])signature.Clone();
        (s + order).TryWriteBytes(malleated.AsSpan(32), out _, isUnsigned: true);
        Assert.False(Ed25519Encoding.IsCanonicalScalar(malleated.AsSpan(32)));

        foreach (var backend in new[] { OpenSsl, BouncyCastle })
        {
            Assert.True(backend.Verify(publicKey, message, signature));
            Assert.False(backend.Verify(publicKey, message, malleated), backend.Name);
        }
    }

    [Fact]
    public void Malformed_keys_and_signatures_are_refused_identically()
    {
        var (publicKey, message, signature) = Signed("malformed");
        var cases = new List<(string Name, byte[] Key, byte[] Signature)>
        {
            ("short key", publicKey[..31], signature),
            ("long key", [.. publicKey, 0], signature),
            ("short signature", publicKey, signature[..63]),
            ("empty signature", publicKey, []),
            ("all-zero signature", publicKey, new byte[64]),
            ("all-ones S", publicKey, [.. signature[..32], .. Enumerable.Repeat((byte)0xFF, 32)]),
            ("R not canonical (y = p)", publicKey, [.. NonCanonicalY(0), .. signature[32..]]),
        };

        // Every non-canonical y (p … 2^255 − 1, both sign bits) as the public key.
        for (var k = 0; k < 19; k++)
        {
            cases.Add(($"key y = p + {k}", NonCanonicalY(k), signature));
            var negative = NonCanonicalY(k);
            negative[31] |= 0x80;
            cases.Add(($"key y = p + {k}, x sign set", negative, signature));
        }

        // Small y values: some encode no curve point, the rest are points the signature was not made with.
        for (byte y = 2; y < 12; y++)
        {
            var key = new byte[32];
            key[0] = y;
            cases.Add(($"key y = {y}", key, signature));
        }

        foreach (var (name, key, sig) in cases)
        {
            var openSsl = OpenSsl.Verify(key, message, sig);
            var bouncy = BouncyCastle.Verify(key, message, sig);
            Assert.True(openSsl == bouncy, $"{name}: openssl {openSsl}, bouncycastle {bouncy}");
            Assert.False(openSsl, name);
        }
    }

    [Fact]
    public void Small_order_key_with_identity_signature_gets_the_same_answer_from_both()
    {
        // A = identity (y = 1), R = identity, S = 0 satisfies [S]B = R + [k]A for every message. Whatever a backend
        // decides for such degenerate keys, both must decide the same, or results would depend on the machine.
        var identity = new byte[32];
        identity[0] = 1;
        byte[] signature = [.. identity, .. new byte[32]];
        var message = "any message"u8.ToArray();
        Assert.Equal(BouncyCastle.Verify(identity, message, signature), OpenSsl.Verify(identity, message, signature));
    }

    [Fact]
    public void A_signing_key_is_safe_to_share_between_threads()
    {
        using var key = OpenSsl.CreateSigningKey(new byte[32]);
        var publicKey = OpenSsl.DerivePublicKey(new byte[32]);
        var failures = 0;
        Parallel.For(0, 400, i =>
        {
            var message = BitConverter.GetBytes(i);
            var signature = new byte[64];
            key.Sign(message, signature);
            if (!BouncyCastle.Verify(publicKey, message, signature) || !OpenSsl.Verify(publicKey, message, signature))
            {
                Interlocked.Increment(ref failures);
            }
        });
        Assert.Equal(0, failures);
    }

    [Fact]
    public void Seeds_of_the_wrong_length_are_refused_naming_the_field()
    {
        foreach (var backend in new[] { OpenSsl, BouncyCastle })
        {
            var ex = Assert.Throws<ArgumentException>(() => backend.CreateSigningKey(new byte[31]));
            Assert.Contains("private key", ex.Message, StringComparison.Ordinal);
            Assert.Contains("31", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Signature_verifier_and_key_pair_use_the_backend_they_are_given()
    {
        var seed = Convert.FromHexString("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
        foreach (var backend in new[] { OpenSsl, BouncyCastle })
        {
            using var pair = KeyPair.FromPrivateKey(KeyType.Ed25519, seed, backend);
            using var verifier = new SignatureVerifier(ed25519Backend: backend);
            var message = "devnet beacon"u8.ToArray();
            var signature = pair.Sign(message);
            Assert.True(verifier.Verify(pair.PublicKey, message, signature));
            Assert.True(verifier.Verify(pair.PublicKey, message, message.Length, signature));
            signature[0] ^= 4;
            Assert.False(verifier.Verify(pair.PublicKey, message, signature));
        }
    }

    private static (byte[] PublicKey, byte[] Message, byte[] Signature) Signed(string label)
    {
        var seed = new byte[32];
        SeededRandomSource.FromLabel(label).Fill(seed);
        var message = System.Text.Encoding.UTF8.GetBytes(label);
        using var key = BouncyCastle.CreateSigningKey(seed);
        var signature = new byte[64];
        key.Sign(message, signature);
        return (BouncyCastle.DerivePublicKey(seed), message, signature);
    }

    /// <summary>The encoding of y = p + k (p = 2^255 − 19), 0 ≤ k ≤ 18: not canonical.</summary>
    private static byte[] NonCanonicalY(int k)
    {
        var p = BigInteger.Pow(2, 255) - 19;
        var bytes = new byte[32];
        (p + k).TryWriteBytes(bytes, out _, isUnsigned: true);
        return bytes;
    }
}
