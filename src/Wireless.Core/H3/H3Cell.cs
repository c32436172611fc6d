using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace DePin.Wireless.Core.H3;

/// <summary>
/// One H3 cell index (H3 v4 "cell mode" 64-bit index): 1 reserved high bit, 4 mode bits (1 = cell),
/// 3 reserved bits, 4 resolution bits, 7 base cell bits and fifteen 3-bit digits (7 = unused).
/// Text form: lowercase hexadecimal without leading zeros (15 digits for every valid cell).
/// </summary>
public readonly record struct H3Cell(ulong Value) : ISpanFormattable, ISpanParsable<H3Cell>
{
    internal const int MaxResolution = 15;
    private const int ModeOffset = 59;
    private const int ResolutionOffset = 52;
    private const int BaseCellOffset = 45;
    private const ulong CellMode = 1;
    /// <summary>All fifteen digits set to 7 (unused) and everything else zero.</summary>
    private const ulong AllDigitsUnused = (1UL << 45) - 1;

    public int Resolution => (int)((Value >> ResolutionOffset) & 0xF);

    public int BaseCell => (int)((Value >> BaseCellOffset) & 0x7F);

    /// <summary>True when this index is a well-formed H3 cell (same rules as H3's isValidCell).</summary>
    public bool IsValid => CheckValidity() is null;

    /// <summary>True for the 12 pentagons of each resolution (base cell pentagon with all digits 0).</summary>
    public bool IsPentagon => BaseCells.IsPentagon(BaseCell) && LeadingNonZeroDigit() == 0;

    /// <summary>Digit of resolution <paramref name="res"/> (1..15): 0..6 for used digits, 7 when unused.</summary>
    public int Digit(int res) => (int)((Value >> ((MaxResolution - res) * 3)) & 7);

    internal H3Cell WithDigit(int res, int digit)
    {
        var shift = (MaxResolution - res) * 3;
        return new H3Cell((Value & ~(7UL << shift)) | ((ulong)digit << shift));
    }

    internal H3Cell WithBaseCell(int baseCell) =>
        new((Value & ~(0x7FUL << BaseCellOffset)) | ((ulong)baseCell << BaseCellOffset));

    internal H3Cell WithResolution(int res) =>
        new((Value & ~(0xFUL << ResolutionOffset)) | ((ulong)res << ResolutionOffset));

    /// <summary>An index with the given resolution and base cell whose digits are all unused (7).</summary>
    internal static H3Cell Create(int res, int baseCell) =>
        new((CellMode << ModeOffset) | ((ulong)res << ResolutionOffset) | ((ulong)baseCell << BaseCellOffset) | AllDigitsUnused);

    internal int LeadingNonZeroDigit()
    {
        var res = Resolution;
        for (var r = 1; r <= res; r++)
        {
            var d = Digit(r);
            if (d != 0)
            {
                return d;
            }
        }

        return 0;
    }

    /// <summary>Null when valid; otherwise the reason this 64-bit value is not an H3 cell.</summary>
    public string? CheckValidity()
    {
        if ((Value >> 56) != 0b0000_1000)
        {
            return "high bits must encode cell mode 1 with zero reserved bits";
        }

        var baseCell = BaseCell;
        if (baseCell >= BaseCells.Count)
        {
            return $"base cell {baseCell} is out of range 0..121";
        }

        var res = Resolution;
        var firstNonZero = 0;
        for (var r = 1; r <= MaxResolution; r++)
        {
            var d = Digit(r);
            if (r <= res)
            {
                if (d == 7)
                {
                    return $"digit {r} is 7 (unused) within resolution {res}";
                }

                if (firstNonZero == 0 && d != 0)
                {
                    firstNonZero = d;
                }
            }
            else if (d != 7)
            {
                return $"digit {r} beyond resolution {res} must be 7";
            }
        }

        // Pentagons have no k-axis (digit 1) sub-sequence directly below their centre chain.
        if (BaseCells.IsPentagon(baseCell) && firstNonZero == 1)
        {
            return "pentagon cell uses the deleted k-axis sub-sequence (first non-zero digit 1)";
        }

        return null;
    }

    public override string ToString() => Value.ToString("x", CultureInfo.InvariantCulture);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, "x", CultureInfo.InvariantCulture);

    /// <summary>Parses hexadecimal text (case-insensitive, 1..16 digits) and requires a valid cell.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out H3Cell cell, [NotNullWhen(false)] out string? error)
    {
        cell = default;
        if (text.IsEmpty)
        {
            error = "H3 cell text is empty";
            return false;
        }

        if (text.Length > 16)
        {
            error = $"H3 cell text has {text.Length} characters; at most 16 hexadecimal digits are allowed";
            return false;
        }

        ulong value = 0;
        foreach (var c in text)
        {
            var nibble = HexValue(c);
            if (nibble < 0)
            {
                error = $"H3 cell text contains non-hexadecimal character '{c}'";
                return false;
            }

            value = (value << 4) | (uint)nibble;
        }

        var candidate = new H3Cell(value);
        var reason = candidate.CheckValidity();
        if (reason is not null)
        {
            error = $"H3 cell '{text}' is not a valid cell: {reason}";
            return false;
        }

        cell = candidate;
        error = null;
        return true;
    }

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out H3Cell result) => TryParse(s, out result, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out H3Cell result) =>
        TryParse(s.AsSpan(), out result, out _);

    public static H3Cell Parse(ReadOnlySpan<char> s, IFormatProvider? provider = null) =>
        TryParse(s, out var cell, out var error) ? cell : throw new FormatException(error);

    public static H3Cell Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

}
