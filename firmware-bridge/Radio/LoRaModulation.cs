using System.Globalization;

namespace DePin.Wireless.FirmwareBridge.Radio;

/// <summary>
/// A LoRa data rate: spreading factor (5-12) and bandwidth in Hz. Text form is the GWMP "datr"
/// spelling, e.g. "SF7BW125" (Semtech packet forwarder PROTOCOL.md, rxpk/txpk).
/// </summary>
public readonly record struct LoRaModulation
{
    /// <summary>The bandwidths LoRa transceivers support, at their nominal datasheet values (SX1262 13.4.5, SX1276 RegModemConfig1).</summary>
    public static readonly IReadOnlyList<int> SupportedBandwidthsHz =
        [7_800, 10_400, 15_600, 20_800, 31_250, 41_700, 62_500, 125_000, 250_000, 500_000];

    public LoRaModulation(int spreadingFactor, int bandwidthHz)
    {
        if (spreadingFactor is < 5 or > 12)
            throw new ArgumentOutOfRangeException(nameof(spreadingFactor), spreadingFactor, "LoRa spreading factor must be 5..12");
        if (!SupportedBandwidthsHz.Contains(bandwidthHz))
            throw new ArgumentOutOfRangeException(nameof(bandwidthHz), bandwidthHz, $"LoRa bandwidth must be one of {string.Join(", ", SupportedBandwidthsHz)} Hz");
        SpreadingFactor = spreadingFactor;
        BandwidthHz = bandwidthHz;
    }

    public int SpreadingFactor { get; }

    public int BandwidthHz { get; }

    /// <summary>Duration of one LoRa symbol, 2^SF / BW.</summary>
    public TimeSpan SymbolTime => TimeSpan.FromSeconds((double)(1 << SpreadingFactor) / BandwidthHz);

    /// <summary>
    /// Low data-rate optimisation is mandated when a symbol lasts 16.38 ms or more
    /// (SX1276 datasheet 4.1.1.6; SX1262 datasheet 6.1.1.4): SF11/SF12 at 125 kHz, SF12 at 250 kHz.
    /// </summary>
    public bool RequiresLowDataRateOptimize => SymbolTime.TotalMilliseconds >= 16.0;

    public static LoRaModulation Parse(ReadOnlySpan<char> text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException($"LoRa data rate \"{text}\": {error}");

    public static bool TryParse(ReadOnlySpan<char> text, out LoRaModulation value) => TryParse(text, out value, out _);

    private static bool TryParse(ReadOnlySpan<char> text, out LoRaModulation value, out string error)
    {
        value = default;
        var bwAt = text.IndexOf("BW", StringComparison.Ordinal);
        if (!text.StartsWith("SF", StringComparison.Ordinal) || bwAt < 0)
        {
            error = "expected SF<n>BW<kHz>, e.g. SF7BW125";
            return false;
        }
        if (!int.TryParse(text[2..bwAt], NumberStyles.None, CultureInfo.InvariantCulture, out var sf) || sf is < 5 or > 12)
        {
            error = "spreading factor must be 5..12";
            return false;
        }
        if (!decimal.TryParse(text[(bwAt + 2)..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var khz))
        {
            error = "bandwidth must be a number of kHz";
            return false;
        }
        var hz = SupportedBandwidthsHz.FirstOrDefault(b => Math.Abs(b - khz * 1000m) < 20m);
        if (hz == 0)
        {
            error = "bandwidth is not a LoRa bandwidth";
            return false;
        }
        value = new LoRaModulation(sf, hz);
        error = "";
        return true;
    }

    public bool TryFormat(Span<char> destination, out int charsWritten) =>
        destination.TryWrite(CultureInfo.InvariantCulture, $"SF{SpreadingFactor}BW{BandwidthKhzText()}", out charsWritten);

    public override string ToString() => $"SF{SpreadingFactor}BW{BandwidthKhzText()}";

    private string BandwidthKhzText() =>
        BandwidthHz % 1000 == 0
            ? (BandwidthHz / 1000).ToString(CultureInfo.InvariantCulture)
            : (BandwidthHz / 1000.0).ToString("0.##", CultureInfo.InvariantCulture);
}

/// <summary>LoRa forward-error-correction coding rate; the value is the chips' CR code (1 = 4/5 … 4 = 4/8).</summary>
public enum LoRaCodingRate
{
    Cr4_5 = 1,
    Cr4_6 = 2,
    Cr4_7 = 3,
    Cr4_8 = 4,
}
