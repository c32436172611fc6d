using DePin.Wireless.Core.Codecs;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Tests.Identity;

public class Base58Tests
{
    // Published vectors: bitcoin/bitcoin src/test/data/base58_encode_decode.json.
    [Theory]
    [InlineData("", "")]
    [InlineData("61", "2g")]
    [InlineData("626262", "a3gV")]
    [InlineData("636363", "aPEr")]
    [InlineData("73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2")]
    [InlineData("00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L")]
    [InlineData("516b6fcd0f", "ABnLTmg")]
    [InlineData("bf4f89001e670274dd", "3SEo3LWLoPntC")]
    [InlineData("572e4794", "3EFU7m")]
    [InlineData("ecac89cad93923c02321", "EJDM8drfXA6uyA")]
    [InlineData("10c8511e", "Rt5zm")]
    [InlineData("00000000000000000000", "1111111111")]
    public void Bitcoin_vectors_encode_and_decode(string hex, string text)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.Equal(text, Base58.Encode(bytes));
        Assert.Equal(bytes, Base58.Decode(text));
    }

    [Fact]
    public void Base58Check_accepts_a_bitcoin_address_and_returns_the_payload()
    {
        // The Bitcoin genesis block's coinbase address: version 0x00 + HASH160 62e907b1...
        var payload = Base58.DecodeCheck("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
        Assert.Equal(Convert.FromHexString("0062e907b15cbf27d5425399ebf6f0fb50ebb88f18"), payload);
        Assert.Equal("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", Base58.EncodeCheck(payload));
    }

    [Fact]
    public void Base58Check_refuses_text_whose_last_four_bytes_are_not_the_checksum()
    {
        // The plain-Base58 vector above ends in 72c06647, which is not SHA-256d of the rest (72c3534b).
        var ex = Assert.Throws<PrimitiveFormatException>(() => Base58.DecodeCheck("1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"));
        Assert.Contains("checksum does not match", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Base58Check_rejects_a_mistyped_character_by_checksum()
    {
        var ex = Assert.Throws<PrimitiveFormatException>(() => Base58.DecodeCheck("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"));
        Assert.Contains("checksum does not match", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2g0", "'0' at position 2 is not a base58 digit")]
    [InlineData("O", "'O' at position 0")]
    [InlineData("abl", "'l' at position 2")]
    [InlineData("aé", "'é' at position 1")]
    public void Decode_names_the_bad_character(string text, string problem)
    {
        var ex = Assert.Throws<PrimitiveFormatException>(() => Base58.Decode(text));
        Assert.Equal("base58", ex.Field);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Base58Check_rejects_text_shorter_than_a_checksum()
    {
        var ex = Assert.Throws<PrimitiveFormatException>(() => Base58.DecodeCheck("2g"));
        Assert.Contains("shorter than the 4-byte checksum", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_bytes_round_trip_including_leading_zeros()
    {
        var random = new SeededRandomSource([7]);
        for (var length = 0; length < 80; length++)
        {
            var bytes = new byte[length];
            random.Fill(bytes);
            if (length > 2)
            {
                bytes[0] = 0;
                bytes[1] = 0;
            }

            Assert.Equal(bytes, Base58.Decode(Base58.Encode(bytes)));
            Assert.Equal(bytes, Base58.DecodeCheck(Base58.EncodeCheck(bytes)));
        }
    }
}
