using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace DePin.Wireless.Core.Primitives;

/// <summary>
/// A radio frequency in whole hertz. Parses "868100000", "868100000 Hz", "868.1 MHz", "125 kHz";
/// formats as whole hertz (the unit LoRaWAN regional tables and the network server use).
/// </summary>
public readonly record struct Hz(long Value) : IComparable<Hz>, ISpanFormattable, ISpanParsable<Hz>
{
    public static Hz FromMegahertz(double mhz) => new((long)Math.Round(mhz * 1_000_000, MidpointRounding.AwayFromZero));

    public double Megahertz => Value / 1_000_000.0;

    public static Hz operator +(Hz a, Hz b) => new(a.Value + b.Value);

    public static Hz operator -(Hz a, Hz b) => new(a.Value - b.Value);

    public static bool operator <(Hz a, Hz b) => a.Value < b.Value;

    public static bool operator >(Hz a, Hz b) => a.Value > b.Value;

    public static bool operator <=(Hz a, Hz b) => a.Value <= b.Value;

    public static bool operator >=(Hz a, Hz b) => a.Value >= b.Value;

    public int CompareTo(Hz other) => Value.CompareTo(other.Value);

    public static Hz Parse(ReadOnlySpan<char> s, IFormatProvider? provider = null) =>
        TryParse(s, out var v, out var problem) ? v : throw new PrimitiveFormatException("frequency", problem!, s.ToString());

    public static Hz Parse(string s, IFormatProvider? provider = null) => Parse(s.AsSpan(), provider);

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Hz result) => TryParse(s, out result, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Hz result) => TryParse(s.AsSpan(), out result, out _);

    public static bool TryParse(ReadOnlySpan<char> s, out Hz result, out string? problem)
    {
        s = s.Trim();
        double scale = 1;
        if (s.EndsWith("MHz", StringComparison.OrdinalIgnoreCase))
        {
            scale = 1e6;
            s = s[..^3];
        }
        else if (s.EndsWith("kHz", StringComparison.OrdinalIgnoreCase))
        {
            scale = 1e3;
            s = s[..^3];
        }
        else if (s.EndsWith("Hz", StringComparison.OrdinalIgnoreCase))
        {
            s = s[..^2];
        }

        if (!double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
        {
            result = default;
            problem = "expected a number with an optional Hz, kHz or MHz unit";
            return false;
        }

        var hz = Math.Round(v * scale, MidpointRounding.AwayFromZero);
        if (hz < 0 || hz > 10e9 || Math.Abs(hz - (v * scale)) > 1e-3)
        {
            result = default;
            problem = hz < 0 || hz > 10e9 ? "frequency must be between 0 and 10 GHz" : "frequency must be a whole number of hertz";
            return false;
        }

        result = new Hz((long)hz);
        problem = null;
        return true;
    }

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null) =>
        Value.TryFormat(destination, out charsWritten, default, CultureInfo.InvariantCulture);

    public string ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(CultureInfo.InvariantCulture);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
