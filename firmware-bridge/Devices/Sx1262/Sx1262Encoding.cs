using DePin.Wireless.FirmwareBridge.Radio;

namespace DePin.Wireless.FirmwareBridge.Devices.Sx1262;

/// <summary>Pure encoders/decoders for SX1262 command parameters (no I/O).</summary>
public static class Sx1262Encoding
{
    public const long MinFrequencyHz = 150_000_000, MaxFrequencyHz = 960_000_000;
    public const int MinPowerDbm = -9, MaxPowerDbm = 22;
    private const double XtalHz = 32_000_000;
    private const double RtcStepMicroseconds = 15.625; // 64 kHz RTC (datasheet 13.1.4)

    /// <summary>SetRfFrequency argument: RfFreq = f · 2^25 / 32 MHz (datasheet 13.4.1).</summary>
    public static uint FrequencySteps(long frequencyHz)
    {
        if (frequencyHz is < MinFrequencyHz or > MaxFrequencyHz)
            throw new ArgumentOutOfRangeException(nameof(frequencyHz), frequencyHz, $"SX1262 frequency must be {MinFrequencyHz}..{MaxFrequencyHz} Hz");
        return (uint)Math.Round(frequencyHz * (double)(1 << 25) / XtalHz, MidpointRounding.AwayFromZero);
    }

    /// <summary>CalibrateImage band limits in 4 MHz steps (datasheet table 9-2), with a ±4 MHz window outside the listed bands.</summary>
    public static (byte Low, byte High) ImageCalibrationBand(long frequencyHz) => frequencyHz switch
    {
        >= 902_000_000 and <= 928_000_000 => (0xE1, 0xE9),
        >= 863_000_000 and <= 870_000_000 => (0xD7, 0xDB),
        >= 779_000_000 and <= 787_000_000 => (0xC1, 0xC5),
        >= 470_000_000 and <= 510_000_000 => (0x75, 0x81),
        >= 430_000_000 and <= 440_000_000 => (0x6B, 0x6F),
        _ => ((byte)((frequencyHz - 4_000_000) / 4_000_000), (byte)((frequencyHz + 7_999_999) / 4_000_000)),
    };

    /// <summary>LoRa bandwidth code for SetModulationParams (datasheet table 13-48).</summary>
    public static byte BandwidthCode(int bandwidthHz) => bandwidthHz switch
    {
        7_800 => 0x00,
        15_600 => 0x01,
        31_250 => 0x02,
        62_500 => 0x03,
        125_000 => 0x04,
        250_000 => 0x05,
        500_000 => 0x06,
        10_400 => 0x08,
        20_800 => 0x09,
        41_700 => 0x0A,
        _ => throw new ArgumentOutOfRangeException(nameof(bandwidthHz), bandwidthHz, "not an SX1262 LoRa bandwidth"),
    };

    /// <summary>SetModulationParams for LoRa: SF, BW code, CR code, LowDataRateOptimize.</summary>
    public static byte[] ModulationParams(LoRaModulation modulation, LoRaCodingRate codingRate) =>
    [
        (byte)modulation.SpreadingFactor,
        BandwidthCode(modulation.BandwidthHz),
        CodingRateCode(codingRate),
        (byte)(modulation.RequiresLowDataRateOptimize ? 1 : 0),
    ];

    /// <summary>SetPacketParams for LoRa: preamble (u16 BE), header type (0 explicit), payload length, CRC on, IQ inverted.</summary>
    public static byte[] PacketParams(int preambleLength, int payloadLength, bool crcOn, bool invertIq)
    {
        if (preambleLength is < 1 or > ushort.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(preambleLength), preambleLength, "preamble length must be 1..65535 symbols");
        if (payloadLength is < 0 or > 255)
            throw new ArgumentOutOfRangeException(nameof(payloadLength), payloadLength, "LoRa payload length must be 0..255 bytes");
        return [(byte)(preambleLength >> 8), (byte)preambleLength, 0x00, (byte)payloadLength, (byte)(crcOn ? 1 : 0), (byte)(invertIq ? 1 : 0)];
    }

    /// <summary>SetTxParams: power in dBm as int8 (-9..+22 with the high-power PA) and a 200 µs ramp (0x04).</summary>
    public static byte[] TxParams(int powerDbm)
    {
        if (powerDbm is < MinPowerDbm or > MaxPowerDbm)
            throw new ArgumentOutOfRangeException(nameof(powerDbm), powerDbm, $"SX1262 TX power must be {MinPowerDbm}..{MaxPowerDbm} dBm");
        return [(byte)(sbyte)powerDbm, 0x04];
    }

    /// <summary>SetPaConfig for the SX1262 high-power PA at up to +22 dBm (datasheet table 13-21): duty 0x04, hpMax 0x07, SX1262, paLut 1.</summary>
    public static byte[] PaConfigHighPower() => [0x04, 0x07, 0x00, 0x01];

    /// <summary>SetTx/SetRx timeout in 15.625 µs steps, 24-bit big-endian. Zero means none.</summary>
    public static byte[] Timeout(TimeSpan timeout)
    {
        var steps = (long)Math.Ceiling(timeout.TotalMicroseconds / RtcStepMicroseconds);
        if (steps is < 0 or >= 0xFFFFFF)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "SX1262 timeout must be below 262 s");
        return [(byte)(steps >> 16), (byte)(steps >> 8), (byte)steps];
    }

    /// <summary>SetRx argument for continuous receive (0xFFFFFF: stay in RX after each packet).</summary>
    public static byte[] ContinuousReceive() => [0xFF, 0xFF, 0xFF];

    public static byte[] SyncWord(bool publicNetwork) => publicNetwork ? [0x34, 0x44] : [0x14, 0x24];

    public static byte CodingRateCode(LoRaCodingRate codingRate) => codingRate is >= LoRaCodingRate.Cr4_5 and <= LoRaCodingRate.Cr4_8
        ? (byte)codingRate
        : throw new ArgumentOutOfRangeException(nameof(codingRate), codingRate, "coding rate must be 4/5..4/8");

    public static byte[] U16(ushort value) => [(byte)(value >> 8), (byte)value];

    /// <summary>IQ polarity register value after applying the inverted-IQ workaround (datasheet 15.4.2).</summary>
    public static byte IqPolarityRegister(byte current, bool invertIq) => invertIq ? (byte)(current & ~0x04) : (byte)(current | 0x04);
}

/// <summary>LoRa packet status from GetPacketStatus (datasheet 13.5.3).</summary>
public readonly record struct Sx1262PacketStatus(double RssiDbm, double SnrDb, double SignalRssiDbm)
{
    /// <summary>RssiPkt = -raw/2 dBm, SnrPkt = int8(raw)/4 dB, SignalRssiPkt = -raw/2 dBm.</summary>
    public static Sx1262PacketStatus Decode(byte rssiPkt, byte snrPkt, byte signalRssiPkt) =>
        new(-rssiPkt / 2.0, (sbyte)snrPkt / 4.0, -signalRssiPkt / 2.0);
}
