using System.Numerics;
using DePin.Wireless.DataCredits.Sync;

namespace DePin.Wireless.DataCredits.Tests.Sync;

public sealed class DcConversionTests
{
    [Theory]
    // 1 token (10^8 base units) at $1 = $1 = 100,000 DC (1 DC = $0.00001, reference section 4).
    [InlineData("100000000", "1", "100000")]
    // 1 token at $4.5 = 450,000 DC.
    [InlineData("100000000", "4.50", "450000")]
    // 1 base unit at $1 = 0.001 DC: floors to 0.
    [InlineData("1", "1", "0")]
    // 999 base units at $1 = 0.999 DC -> 0; 1000 -> 1.
    [InlineData("999", "1", "0")]
    [InlineData("1000", "1", "1")]
    // 12345678901 base units (123.45678901 tokens) at $0.3333 = $41.148... = 4,114,814.8 DC -> 4,114,814.
    [InlineData("12345678901", "0.3333", "4114814")]
    // Beyond decimal's range: 10^30 base units at $1 = 10^27 DC.
    [InlineData("1000000000000000000000000000000", "1", "1000000000000000000000000000")]
    public void Converts_exactly_with_floor(string amount, string price, string expected)
    {
        var conversion = new DcConversion(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(BigInteger.Parse(expected), conversion.ToDc(BigInteger.Parse(amount)));
    }

    [Fact]
    public void Rejects_non_positive_price()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DcConversion(0m));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DcConversion(-1m));
    }
}
