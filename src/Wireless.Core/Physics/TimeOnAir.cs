using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Physics;

/// <summary>The pieces of a LoRa time-on-air computation, for display and for tests.</summary>
/// <param name="SymbolTime">T_sym = 2^SF / BW.</param>
/// <param name="PreambleSymbols">N_preamble + 4.25.</param>
/// <param name="PayloadSymbols">Header + payload symbols (the "8 + max(…)" term).</param>
/// <param name="LowDataRateOptimized">Whether DE = 1 was used.</param>
public readonly record struct AirtimeBreakdown(TimeSpan SymbolTime, double PreambleSymbols, int PayloadSymbols, bool LowDataRateOptimized)
{
    public TimeSpan Preamble => TimeSpan.FromTicks((long)Math.Round(SymbolTime.Ticks * PreambleSymbols));

    public TimeSpan Payload => TimeSpan.FromTicks(SymbolTime.Ticks * PayloadSymbols);

    public TimeSpan Total => Preamble + Payload;

    public double TotalMilliseconds => Total.TotalMilliseconds;
}

/// <summary>
/// LoRa time on air, Semtech AN1200.13 "LoRa Modem Designer's Guide" §4 and SX1276 datasheet §4.1.1.6:
/// <code>
/// T_sym      = 2^SF / BW
/// T_preamble = (N_preamble + 4.25) · T_sym
/// N_payload  = 8 + max(ceil((8·PL − 4·SF + 28 + 16·CRC − 20·IH) / (4·(SF − 2·DE))) · (CR + 4), 0)
/// </code>
/// IH = 1 for implicit header, DE = 1 with low-data-rate optimisation. Valid for SF7–SF12 (the LoRaWAN range);
/// SF5/SF6 use a different preamble/header layout on SX126x and are rejected rather than mis-computed.
/// </summary>
public static class TimeOnAir
{
    /// <summary>Largest LoRa PHY payload the SX127x/SX126x FIFO carries.</summary>
    public const int MaxPhyPayloadBytes = 255;

    /// <summary>Symbol time above which LDRO is mandatory (SX1276 datasheet §4.1.1.6: "when the symbol length exceeds 16 ms").</summary>
    public static readonly TimeSpan LowDataRateThreshold = TimeSpan.FromMilliseconds(16);

    public static TimeSpan Compute(DataRate dataRate, int phyPayloadBytes, LoRaPacketShape? shape = null) =>
        Breakdown(dataRate, phyPayloadBytes, shape).Total;

    public static AirtimeBreakdown Breakdown(DataRate dataRate, int phyPayloadBytes, LoRaPacketShape? shape = null)
    {
        shape ??= LoRaPacketShape.LoRaWanUplink;
        var sf = dataRate.SpreadingFactor;
        if (sf is < 7 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(dataRate), $"time on air: spreading factor {sf} is outside 7..12 (the AN1200.13 range LoRaWAN uses)");
        }

        if (phyPayloadBytes is < 0 or > MaxPhyPayloadBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(phyPayloadBytes), $"time on air: payload length {phyPayloadBytes} is not 0..{MaxPhyPayloadBytes} bytes");
        }

        if (shape.PreambleSymbols is < 6 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(shape), $"time on air: preamble of {shape.PreambleSymbols} symbols is not 6..65535");
        }

        if (!Enum.IsDefined(shape.CodingRate))
        {
            throw new ArgumentOutOfRangeException(nameof(shape), $"time on air: coding rate {(int)shape.CodingRate} is not 1..4 (4/5..4/8)");
        }

        // 2^SF / BW in 100 ns ticks is exact for 125/250/500 kHz: 2^SF · 10^7 / BW_Hz, e.g. SF7/125 kHz = 10240 ticks.
        var symbolTicks = (1L << sf) * TimeSpan.TicksPerSecond / dataRate.BandwidthHz;
        var symbolTime = TimeSpan.FromTicks(symbolTicks);
        var de = shape.LowDataRateOptimization switch
        {
            LowDataRateOptimization.On => true,
            LowDataRateOptimization.Off => false,
            _ => symbolTime > LowDataRateThreshold,
        };

        var numerator = (8 * phyPayloadBytes) - (4 * sf) + 28 + (shape.CrcEnabled ? 16 : 0) - (shape.ExplicitHeader ? 0 : 20);
        var denominator = 4 * (sf - (de ? 2 : 0));
        var blocks = (int)Math.Ceiling(numerator / (double)denominator);
        var payloadSymbols = 8 + Math.Max(blocks * ((int)shape.CodingRate + 4), 0);
        return new AirtimeBreakdown(symbolTime, shape.PreambleSymbols + 4.25, payloadSymbols, de);
    }
}
