using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace DePin.Wireless.Core.Primitives;

/// <summary>
/// An amount of Data Credits. One DC is worth $0.00001 and pays for up to 24 bytes of one uplink copy
/// (Helium HIP-10 / data-credit rules, see shared/reference/helium-poc-and-data-credits.md §4).
/// </summary>
public readonly record struct Dc(ulong Value) : IComparable<Dc>, ISpanFormattable, ISpanParsable<Dc>
{
    /// <summary>Bytes paid for by one DC (Helium: 24-byte packet units).</summary>
    public const int BytesPerCredit = 24;

    /// <summary>US dollars per DC (fixed by Helium at $0.00001).</summary>
    public const decimal UsdPerCredit = 0.00001m;

    public static Dc Zero => default;

    /// <summary>The cost of one copy of a payload: ceil(max(size, 24) / 24) DC, so at least 1 DC.</summary>
    public static Dc ForPayload(int payloadBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadBytes);
        var size = Math.Max(payloadBytes, BytesPerCredit);
        return new Dc((ulong)((size + BytesPerCredit - 1) / BytesPerCredit));
    }

    public static Dc operator +(Dc a, Dc b) => new(checked(a.Value + b.Value));

    public static Dc operator -(Dc a, Dc b) => a.Value >= b.Value ? new Dc(a.Value - b.Value) : throw new OverflowException($"DC: cannot subtract {b.Value} from {a.Value}");

    public static bool operator <(Dc a, Dc b) => a.Value < b.Value;

    public static bool operator >(Dc a, Dc b) => a.Value > b.Value;

    public static bool operator <=(Dc a, Dc b) => a.Value <= b.Value;

    public static bool operator >=(Dc a, Dc b) => a.Value >= b.Value;

    public int CompareTo(Dc other) => Value.CompareTo(other.Value);

    public static Dc Parse(ReadOnlySpan<char> s, IFormatProvider? provider = null) =>
        TryParse(s, out var v, out var problem) ? v : throw new PrimitiveFormatException("DC", problem!, s.ToString());

    public static Dc Parse(string s, IFormatProvider? provider = null) => Parse(s.AsSpan(), provider);

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Dc result) => TryParse(s, out result, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Dc result) => TryParse(s.AsSpan(), out result, out _);

    public static bool TryParse(ReadOnlySpan<char> s, out Dc result, out string? problem)
    {
        s = s.Trim();
        if (s.EndsWith("DC", StringComparison.OrdinalIgnoreCase))
        {
            s = s[..^2].TrimEnd();
        }

        if (!ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
        {
            result = default;
            problem = "expected a whole, non-negative number of data credits";
            return false;
        }

        result = new Dc(v);
        problem = null;
        return true;
    }

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null) =>
        Value.TryFormat(destination, out charsWritten, default, CultureInfo.InvariantCulture);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
