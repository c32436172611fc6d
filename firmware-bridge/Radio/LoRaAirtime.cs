namespace DePin.Wireless.FirmwareBridge.Radio;

/// <summary>LoRa time on air (Semtech AN1200.13 / SX1276 datasheet 4.1.1.7), used for TX timeouts.</summary>
public static class LoRaAirtime
{
    public static TimeSpan Of(int payloadLength, LoRaModulation modulation, LoRaCodingRate codingRate, int preambleLength, bool crcEnabled, bool implicitHeader = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        ArgumentOutOfRangeException.ThrowIfNegative(preambleLength);
        var sf = modulation.SpreadingFactor;
        var symbol = modulation.SymbolTime.TotalSeconds;
        var lowDataRate = modulation.RequiresLowDataRateOptimize ? 1 : 0;
        var numerator = 8.0 * payloadLength - 4 * sf + 28 + 16 * (crcEnabled ? 1 : 0) - 20 * (implicitHeader ? 1 : 0);
        var blocks = Math.Max(Math.Ceiling(numerator / (4.0 * (sf - 2 * lowDataRate))), 0);
        var payloadSymbols = 8 + blocks * ((int)codingRate + 4);
        var preamble = (preambleLength + 4.25) * symbol;
        return TimeSpan.FromSeconds(preamble + payloadSymbols * symbol);
    }
}
