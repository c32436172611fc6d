using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace DePin.Wireless.Core.Primitives;

/// <summary>
/// An amount of the network token in base units (uint256 on chain). The token has 8 decimals, like HNT.
/// Text form: a decimal number of whole tokens with up to 8 fractional digits ("12.5"), or base units with the
/// suffix "units" ("1250000000 units").
/// </summary>
public readonly record struct TokenAmount : IComparable<TokenAmount>, ISpanFormattable, ISpanParsable<TokenAmount>
{
    public const int Decimals = 8;

    private static readonly BigInteger UnitsPerToken = BigInteger.Pow(10, Decimals);

    /// <summary>Largest amount an EVM uint256 holds.</summary>
    public static readonly BigInteger MaxBaseUnits = (BigInteger.One << 256) - 1;

    public TokenAmount(BigInteger baseUnits)
    {
        if (baseUnits.Sign < 0 || baseUnits > MaxBaseUnits)
        {
            throw new ArgumentOutOfRangeException(nameof(baseUnits), "token amount: must be between 0 and 2^256-1 base units");
        }

        BaseUnits = baseUnits;
    }

    public BigInteger BaseUnits { get; }

    public static TokenAmount FromTokens(decimal tokens)
    {
        var scaled = tokens * 100_000_000m;
        if (scaled != decimal.Truncate(scaled))
        {
            throw new ArgumentException($"token amount: {tokens} has more than {Decimals} decimals", nameof(tokens));
        }

        return new TokenAmount(new BigInteger(scaled));
    }

    /// <summary>
    /// Data credits bought by burning this amount at a token price in USD: floor(tokens × price / $0.00001),
    /// computed exactly (no floating point).
    /// </summary>
    public Dc ToDataCredits(decimal tokenPriceUsd)
    {
        if (tokenPriceUsd < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tokenPriceUsd), "token price must not be negative");
        }

        // price as an exact fraction: priceNumerator / 10^scale.
        var bits = decimal.GetBits(tokenPriceUsd);
        var scale = (bits[3] >> 16) & 0xFF;
        var priceNumerator = (new BigInteger((uint)bits[2]) << 64) | (new BigInteger((uint)bits[1]) << 32) | new BigInteger((uint)bits[0]);
        // DC = baseUnits / 10^8 * priceNumerator / 10^scale / 10^-5
        var numerator = BaseUnits * priceNumerator * BigInteger.Pow(10, 5);
        var denominator = UnitsPerToken * BigInteger.Pow(10, scale);
        var dc = BigInteger.Divide(numerator, denominator);
        return dc > ulong.MaxValue ? throw new OverflowException("token amount: data credits exceed 2^64-1") : new Dc((ulong)dc);
    }

    public int CompareTo(TokenAmount other) => BaseUnits.CompareTo(other.BaseUnits);

    public static bool operator <(TokenAmount a, TokenAmount b) => a.BaseUnits < b.BaseUnits;

    public static bool operator >(TokenAmount a, TokenAmount b) => a.BaseUnits > b.BaseUnits;

    public static bool operator <=(TokenAmount a, TokenAmount b) => a.BaseUnits <= b.BaseUnits;

    public static bool operator >=(TokenAmount a, TokenAmount b) => a.BaseUnits >= b.BaseUnits;

    public static TokenAmount Parse(ReadOnlySpan<char> s, IFormatProvider? provider = null) =>
        TryParse(s, out var v, out var problem) ? v : throw new PrimitiveFormatException("token amount", problem!, s.ToString());

    public static TokenAmount Parse(string s, IFormatProvider? provider = null) => Parse(s.AsSpan(), provider);

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out TokenAmount result) => TryParse(s, out result, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out TokenAmount result) => TryParse(s.AsSpan(), out result, out _);

    public static bool TryParse(ReadOnlySpan<char> s, out TokenAmount result, out string? problem)
    {
        result = default;
        s = s.Trim();
        if (s.EndsWith("units", StringComparison.OrdinalIgnoreCase))
        {
            if (!BigInteger.TryParse(s[..^5].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var units) || units > MaxBaseUnits)
            {
                problem = "base units must be a whole number between 0 and 2^256-1";
                return false;
            }

            result = new TokenAmount(units);
            problem = null;
            return true;
        }

        var dot = s.IndexOf('.');
        var whole = dot < 0 ? s : s[..dot];
        var fraction = dot < 0 ? ReadOnlySpan<char>.Empty : s[(dot + 1)..];
        if (whole.IsEmpty || !BigInteger.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out var w))
        {
            problem = "expected a non-negative decimal number of tokens, e.g. 12.5";
            return false;
        }

        if (fraction.Length > Decimals || (dot >= 0 && fraction.IsEmpty))
        {
            problem = $"at most {Decimals} digits after the decimal point";
            return false;
        }

        BigInteger f = 0;
        if (!fraction.IsEmpty && !BigInteger.TryParse(fraction, NumberStyles.None, CultureInfo.InvariantCulture, out f))
        {
            problem = "fractional part is not a number";
            return false;
        }

        var total = (w * UnitsPerToken) + (f * BigInteger.Pow(10, Decimals - fraction.Length));
        if (total > MaxBaseUnits)
        {
            problem = "amount exceeds 2^256-1 base units";
            return false;
        }

        result = new TokenAmount(total);
        problem = null;
        return true;
    }

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null)
    {
        var s = ToString();
        if (s.Length > destination.Length)
        {
            charsWritten = 0;
            return false;
        }

        s.AsSpan().CopyTo(destination);
        charsWritten = s.Length;
        return true;
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public override string ToString()
    {
        var whole = BigInteger.DivRem(BaseUnits, UnitsPerToken, out var rem);
        if (rem.IsZero)
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }

        var frac = rem.ToString(CultureInfo.InvariantCulture).PadLeft(Decimals, '0').TrimEnd('0');
        return whole.ToString(CultureInfo.InvariantCulture) + "." + frac;
    }
}
