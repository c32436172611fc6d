using DePin.Wireless.NetworkServer.LoRaWan;
using static DePin.Wireless.NetworkServer.Tests.LoRaWan.TestHex;

namespace DePin.Wireless.NetworkServer.Tests.LoRaWan;

/// <summary>RFC 4493 §4 test vectors (AES-128 key 2b7e1516…), all four message lengths.</summary>
public class AesCmacTests
{
    private const string RfcKey = "2b7e151628aed2a6abf7158809cf4f3c";
    private const string Message64 = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";

    [Theory]
    [InlineData(0, "bb1d6929e95937287fa37d129b756746", true)]
    [InlineData(16, "070a16b46b4d4144f79bdd9dd04a287c", true)]
    [InlineData(40, "dfa66747de9ae63030ca32611497c827", true)]
    [InlineData(64, "51f0bebf7e3b9d92fc49741779363cfe", true)]
    [InlineData(0, "bb1d6929e95937287fa37d129b756746", false)]
    [InlineData(16, "070a16b46b4d4144f79bdd9dd04a287c", false)]
    [InlineData(40, "dfa66747de9ae63030ca32611497c827", false)]
    [InlineData(64, "51f0bebf7e3b9d92fc49741779363cfe", false)]
    public void Rfc4493_vectors(int length, string expected, bool hardware)
    {
        using var cipher = new LoRaCipher(AesKey.Parse(RfcKey), hardware);
        Assert.False(!hardware && cipher.UsesHardwareIntrinsics);
        var tag = new byte[16];
        cipher.Cmac(Bytes(Message64).AsSpan(0, length), tag);
        Assert.Equal(expected, Of(tag));
    }

    [Theory]
    [InlineData(0, 40)]
    [InlineData(16, 24)]
    [InlineData(16, 48)]
    [InlineData(7, 33)]
    [InlineData(16, 0)]
    [InlineData(32, 16)]
    [InlineData(0, 0)]
    [InlineData(16, 1)]
    public void Prefix_and_message_give_the_cmac_of_their_concatenation(int prefixLength, int messageLength)
    {
        using var cipher = Cipher(RfcKey);
        var all = Bytes(Message64).AsSpan(0, prefixLength + messageLength);
        var whole = new byte[16];
        var split = new byte[16];
        cipher.Cmac(all, whole);
        cipher.Cmac(all[..prefixLength], all[prefixLength..], split);
        Assert.Equal(Of(whole), Of(split));
    }

    [Fact]
    public void A_single_changed_bit_changes_the_tag()
    {
        using var cipher = Cipher(RfcKey);
        var message = Bytes(Message64);
        var a = new byte[16];
        var b = new byte[16];
        cipher.Cmac(message, a);
        message[63] ^= 1;
        cipher.Cmac(message, b);
        Assert.NotEqual(Of(a), Of(b));
    }

    [Fact]
    public void Hardware_and_portable_paths_agree_on_fips197_and_random_blocks()
    {
        // FIPS-197 Appendix C.1: AES-128 of 00112233…ff under key 000102…0f.
        var fipsKey = AesKey.Parse("000102030405060708090a0b0c0d0e0f");
        using var hw = new LoRaCipher(fipsKey);
        using var sw = new LoRaCipher(fipsKey, useHardwareIntrinsics: false);
        var output = new byte[16];
        hw.EncryptBlocks(Bytes("00112233445566778899aabbccddeeff"), output);
        Assert.Equal("69c4e0d86a7b0430d8cdb78070b4c55a", Of(output));
        sw.EncryptBlocks(Bytes("00112233445566778899aabbccddeeff"), output);
        Assert.Equal("69c4e0d86a7b0430d8cdb78070b4c55a", Of(output));

        var random = new Random(4493);
        for (var i = 0; i < 50; i++)
        {
            var keyBytes = new byte[16];
            var data = new byte[64];
            random.NextBytes(keyBytes);
            random.NextBytes(data);
            using var a = new LoRaCipher(AesKey.FromBytes(keyBytes));
            using var b = new LoRaCipher(AesKey.FromBytes(keyBytes), useHardwareIntrinsics: false);
            var outA = new byte[64];
            var outB = new byte[64];
            a.EncryptBlocks(data, outA);
            b.EncryptBlocks(data, outB);
            Assert.Equal(Of(outA), Of(outB));
        }
    }

    [Fact]
    public void Ecb_rejects_partial_blocks()
    {
        using var cipher = Cipher(RfcKey);
        Assert.Throws<ArgumentException>(() => cipher.EncryptBlocks(new byte[15], new byte[16]));
    }

    [Fact]
    public void AesKey_parse_reports_bad_text()
    {
        Assert.False(AesKey.TryParse("0102", out _, out var problem));
        Assert.Contains("32 hex digits", problem, StringComparison.Ordinal);
        Assert.False(AesKey.TryParse("zz02030405060708090a0b0c0d0e0f10", out _, out problem));
        Assert.Contains("not a hex digit", problem, StringComparison.Ordinal);
        Assert.Equal(RfcKey, AesKey.Parse(RfcKey.ToUpperInvariant()).ToString());
    }
}
