using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace DePin.Wireless.Core.Primitives;

/// <summary>
/// A LoRa modulation: spreading factor (5–12; SX126x supports SF5/SF6, LoRaWAN uses 7–12) and bandwidth in kHz
/// (125, 250 or 500; LoRaWAN Regional Parameters RP002-1.0.4 §2). Text form "SF7BW125", as in Semtech GWMP `datr`.
/// </summary>
public readonly record struct DataRate : ISpanFormattable, ISpanParsable<DataRate>
{
    public DataRate(int spreadingFactor, int bandwidthKhz)
    {
        if (spreadingFactor is < 5 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(spreadingFactor), $"data rate: spreading factor {spreadingFactor} is not 5..12");
        }

        if (bandwidthKhz is not (125 or 250 or 500))
        {
            throw new ArgumentOutOfRangeException(nameof(bandwidthKhz), $"data rate: bandwidth {bandwidthKhz} kHz is not 125, 250 or 500");
        }

        SpreadingFactor = spreadingFactor;
        BandwidthKhz = bandwidthKhz;
    }

    public int SpreadingFactor { get; }

    public int BandwidthKhz { get; }

    public int BandwidthHz => BandwidthKhz * 1000;

    public static DataRate Parse(ReadOnlySpan<char> s, IFormatProvider? provider = null) =>
        TryParse(s, out var v, out var problem) ? v : throw new PrimitiveFormatException("data rate", problem!, s.ToString());

    public static DataRate Parse(string s, IFormatProvider? provider = null) => Parse(s.AsSpan(), provider);

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out DataRate result) => TryParse(s, out result, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out DataRate result) => TryParse(s.AsSpan(), out result, out _);

    public static bool TryParse(ReadOnlySpan<char> s, out DataRate result, out string? problem)
    {
        result = default;
        s = s.Trim();
        if (!s.StartsWith("SF", StringComparison.OrdinalIgnoreCase))
        {
            problem = "expected the form SF<n>BW<kHz>, e.g. SF7BW125";
            return false;
        }

        var bw = s.IndexOf("BW", StringComparison.OrdinalIgnoreCase);
        if (bw < 0)
        {
            problem = "missing the BW<kHz> part, e.g. SF7BW125";
            return false;
        }

        if (!int.TryParse(s[2..bw], NumberStyles.None, CultureInfo.InvariantCulture, out var sf) || sf is < 5 or > 12)
        {
            problem = $"spreading factor '{s[2..bw].ToString()}' is not 5..12";
            return false;
        }

        if (!int.TryParse(s[(bw + 2)..], NumberStyles.None, CultureInfo.InvariantCulture, out var khz) || khz is not (125 or 250 or 500))
        {
            problem = $"bandwidth '{s[(bw + 2)..].ToString()}' is not 125, 250 or 500 kHz";
            return false;
        }

        result = new DataRate(sf, khz);
        problem = null;
        return true;
    }

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null) =>
        destination.TryWrite(CultureInfo.InvariantCulture, $"SF{SpreadingFactor}BW{BandwidthKhz}", out charsWritten);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"SF{SpreadingFactor}BW{BandwidthKhz}");
}
