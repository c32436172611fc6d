using DePin.Wireless.FirmwareBridge.Radio;

namespace DePin.Wireless.FirmwareBridge.Devices.Sx1276;

/// <summary>Pure register encoders/decoders for the SX1276 in LoRa mode (datasheet rev 7 section 4.1 and 6.4).</summary>
public static class Sx1276Encoding
{
    public const long MinFrequencyHz = 137_000_000, MaxFrequencyHz = 1_020_000_000;

    /// <summary>Below this the LF port and its RSSI offset apply (LoRaMac-node RF_MID_BAND_THRESH).</summary>
    public const long MidBandThresholdHz = 525_000_000;

    private const double XtalHz = 32_000_000;

    /// <summary>RegFrf = f · 2^19 / 32 MHz (datasheet 4.1.4), 24 bits MSB first.</summary>
    public static byte[] Frf(long frequencyHz)
    {
        if (frequencyHz is < MinFrequencyHz or > MaxFrequencyHz)
            throw new ArgumentOutOfRangeException(nameof(frequencyHz), frequencyHz, $"SX1276 frequency must be {MinFrequencyHz}..{MaxFrequencyHz} Hz");
        var frf = (uint)Math.Round(frequencyHz * (double)(1 << 19) / XtalHz, MidpointRounding.AwayFromZero);
        return [(byte)(frf >> 16), (byte)(frf >> 8), (byte)frf];
    }

    public static long FrequencyHz(byte msb, byte mid, byte lsb) =>
        (long)Math.Round((msb << 16 | mid << 8 | lsb) * XtalHz / (1 << 19));

    /// <summary>RegModemConfig1 bits 7:4 bandwidth code (table in 4.1.1.4).</summary>
    public static byte BandwidthCode(int bandwidthHz) => bandwidthHz switch
    {
        7_800 => 0,
        10_400 => 1,
        15_600 => 2,
        20_800 => 3,
        31_250 => 4,
        41_700 => 5,
        62_500 => 6,
        125_000 => 7,
        250_000 => 8,
        500_000 => 9,
        _ => throw new ArgumentOutOfRangeException(nameof(bandwidthHz), bandwidthHz, "not an SX1276 LoRa bandwidth"),
    };

    /// <summary>RegModemConfig1: Bw (7:4), CodingRate (3:1), ImplicitHeaderModeOn (0) — always explicit here.</summary>
    public static byte ModemConfig1(LoRaModulation modulation, LoRaCodingRate codingRate) =>
        (byte)(BandwidthCode(modulation.BandwidthHz) << 4 | (int)codingRate << 1);

    /// <summary>RegModemConfig2: SpreadingFactor (7:4), RxPayloadCrcOn (2). SF6 needs implicit header mode, so 7..12 only.</summary>
    public static byte ModemConfig2(LoRaModulation modulation, bool crcOn)
    {
        if (modulation.SpreadingFactor < 7)
            throw new ArgumentOutOfRangeException(nameof(modulation), modulation, "the SX1276 driver supports SF7..SF12 (SF6 requires implicit header mode, SF5 does not exist)");
        return (byte)(modulation.SpreadingFactor << 4 | (crcOn ? 0x04 : 0));
    }

    /// <summary>RegModemConfig3: LowDataRateOptimize (3) when symbols last ≥ 16 ms, AgcAutoOn (2).</summary>
    public static byte ModemConfig3(LoRaModulation modulation) =>
        (byte)((modulation.RequiresLowDataRateOptimize ? 0x08 : 0) | 0x04);

    /// <summary>
    /// RegPaConfig / RegPaDac / RegOcp for a power level (datasheet 5.4.2, 5.4.3):
    /// PA_BOOST: Pout = 17 - (15 - OutputPower) dBm for 2..17 dBm; with PaDac 0x87 Pout = 20 - (15 - OutputPower) for 18..20 dBm
    /// and the over-current trip raised to 140 mA. RFO (MaxPower 7, Pmax 15 dBm): Pout = OutputPower, 0..14 dBm.
    /// Returns null when the level is out of range for the chosen pin.
    /// </summary>
    public static (byte PaConfig, byte PaDac, byte Ocp)? PowerSettings(int powerDbm, bool paBoost)
    {
        const byte ocp100mA = 0x2B, ocp140mA = 0x31, paDacDefault = 0x84, paDacHighPower = 0x87;
        if (!paBoost)
            return powerDbm is >= 0 and <= 14 ? ((byte)(0x70 | powerDbm), paDacDefault, ocp100mA) : null;
        return powerDbm switch
        {
            >= 2 and <= 17 => ((byte)(0x80 | 0x70 | (powerDbm - 2)), paDacDefault, ocp100mA),
            >= 18 and <= 20 => ((byte)(0x80 | 0x70 | (powerDbm - 5)), paDacHighPower, ocp140mA),
            _ => null,
        };
    }

    /// <summary>
    /// RegInvertIQ / RegInvertIQ2 values (LoRaMac-node sx1276.c SetRxConfig/SetTxConfig): bit 6 inverts RX,
    /// bit 0 clear inverts TX; RegInvertIQ2 is 0x19 with inversion and 0x1D without.
    /// </summary>
    public static (byte InvertIq, byte InvertIq2) IqSettings(byte current, bool invertRx, bool invertTx)
    {
        var value = (byte)(current & 0xBE | (invertRx ? 0x40 : 0x00) | (invertTx ? 0x00 : 0x01));
        return (value, invertRx || invertTx ? (byte)0x19 : (byte)0x1D);
    }

    /// <summary>SNR = PktSnrValue (two's complement) / 4 dB (datasheet 6.4, RegPktSnrValue).</summary>
    public static double PacketSnrDb(byte pktSnrValue) => (sbyte)pktSnrValue / 4.0;

    /// <summary>
    /// Packet RSSI (datasheet 5.5.5): offset -157 dBm on the HF port, -164 dBm on the LF port;
    /// SNR ≥ 0: offset + 16/15 · PacketRssi; SNR &lt; 0: offset + PacketRssi + SNR.
    /// </summary>
    public static double PacketRssiDbm(byte pktRssiValue, double snrDb, long frequencyHz)
    {
        var offset = frequencyHz > MidBandThresholdHz ? -157.0 : -164.0;
        return snrDb >= 0 ? offset + 16.0 / 15.0 * pktRssiValue : offset + pktRssiValue + snrDb;
    }
}
