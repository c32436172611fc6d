using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace DePin.Wireless.Core.Primitives;

/// <summary>A power level in dBm (received signal strength, transmit power, EIRP). Text form: "-120.5" with an optional " dBm" suffix.</summary>
public readonly record struct Dbm(double Value) : IComparable<Dbm>, ISpanFormattable, ISpanParsable<Dbm>
{
    public static Dbm operator +(Dbm power, double gainDb) => new(power.Value + gainDb);

    public static Dbm operator -(Dbm power, double lossDb) => new(power.Value - lossDb);

    /// <summary>The ratio in dB between two power levels.</summary>
    public static double operator -(Dbm a, Dbm b) => a.Value - b.Value;

    public static bool operator <(Dbm a, Dbm b) => a.Value < b.Value;

    public static bool operator >(Dbm a, Dbm b) => a.Value > b.Value;

    public static bool operator <=(Dbm a, Dbm b) => a.Value <= b.Value;

    public static bool operator >=(Dbm a, Dbm b) => a.Value >= b.Value;

    /// <summary>Power in milliwatts.</summary>
    public double Milliwatts => Math.Pow(10, Value / 10);

    public static Dbm FromMilliwatts(double mw) => mw > 0 ? new Dbm(10 * Math.Log10(mw)) : throw new ArgumentOutOfRangeException(nameof(mw), "power must be positive");

    public int CompareTo(Dbm other) => Value.CompareTo(other.Value);

    public static Dbm Parse(ReadOnlySpan<char> s, IFormatProvider? provider = null) =>
        TryParse(s, out var v, out var problem) ? v : throw new PrimitiveFormatException("dBm", problem!, s.ToString());

    public static Dbm Parse(string s, IFormatProvider? provider = null) => Parse(s.AsSpan(), provider);

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Dbm result) => TryParse(s, out result, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Dbm result) => TryParse(s.AsSpan(), out result, out _);

    public static bool TryParse(ReadOnlySpan<char> s, out Dbm result, out string? problem)
    {
        s = s.Trim();
        if (s.EndsWith("dBm", StringComparison.OrdinalIgnoreCase))
        {
            s = s[..^3].TrimEnd();
        }

        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
        {
            result = default;
            problem = "expected a finite number of dBm";
            return false;
        }

        result = new Dbm(v);
        problem = null;
        return true;
    }

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null) =>
        Value.TryFormat(destination, out charsWritten, format.IsEmpty ? "0.##" : format, CultureInfo.InvariantCulture);

    public string ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(format ?? "0.##", CultureInfo.InvariantCulture);

    public override string ToString() => ToString(null, null) + " dBm";
}
