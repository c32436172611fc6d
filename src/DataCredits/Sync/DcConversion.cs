using System.Numerics;

namespace DePin.Wireless.DataCredits.Sync;

/// <summary>
/// Token amount to Data Credits: DC = floor(tokens × price_usd / 0.00001), since 1 DC = $0.00001
/// (reference section 4, "Minting DC"). The token has 8 decimals, so with base units a and price p:
/// DC = floor(a × p × 10^5 / 10^8). Computed with integers only, so no rounding creeps in.
/// </summary>
public sealed class DcConversion
{
    private const int TokenDecimals = 8;
    private const int DcPerUsdExponent = 5;
    private readonly BigInteger _priceNumerator;
    private readonly BigInteger _priceDenominator;

    public DcConversion(decimal tokenPriceUsd)
    {
        if (tokenPriceUsd <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tokenPriceUsd), tokenPriceUsd, "token price in USD must be positive");
        }

        TokenPriceUsd = tokenPriceUsd;
        // A decimal is mantissa / 10^scale with a 96-bit mantissa: take both exactly.
        var bits = decimal.GetBits(tokenPriceUsd);
        _priceNumerator = (uint)bits[0] | ((BigInteger)(uint)bits[1] << 32) | ((BigInteger)(uint)bits[2] << 64);
        _priceDenominator = BigInteger.Pow(10, (bits[3] >> 16) & 0xFF);
    }

    public decimal TokenPriceUsd { get; }

    public BigInteger ToDc(BigInteger tokenBaseUnits)
    {
        if (tokenBaseUnits.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tokenBaseUnits), "token amount must not be negative");
        }

        // floor(a × num / den × 10^5 / 10^8) = floor(a × num / (den × 10^3)); BigInteger division truncates, which is floor for non-negatives.
        return tokenBaseUnits * _priceNumerator * BigInteger.Pow(10, DcPerUsdExponent) / (_priceDenominator * BigInteger.Pow(10, TokenDecimals));
    }
}
