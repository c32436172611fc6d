namespace DePin.Wireless.Core.Physics;

/// <summary>How low-data-rate optimisation (LDRO, "DE" in AN1200.13) is chosen.</summary>
public enum LowDataRateOptimization
{
    /// <summary>On when the symbol time exceeds 16 ms (SF11/SF12 at 125 kHz), as the SX1276 datasheet §4.1.1.6 mandates.</summary>
    Auto,
    On,
    Off,
}

/// <summary>
/// The framing parameters of a LoRa packet that, with the data rate and payload length, fix its time on air.
/// </summary>
public sealed record LoRaPacketShape
{
    /// <summary>Programmed preamble length in symbols (LoRaWAN: 8, RP002-1.0.4 §2 "preamble").</summary>
    public int PreambleSymbols { get; init; } = 8;

    /// <summary>Explicit header (LoRaWAN uses explicit header for every frame).</summary>
    public bool ExplicitHeader { get; init; } = true;

    /// <summary>Payload CRC present (LoRaWAN: uplinks yes, downlinks no — LoRaWAN 1.0.x §4 "PHY payload").</summary>
    public bool CrcEnabled { get; init; } = true;

    public LoRaCodingRate CodingRate { get; init; } = LoRaCodingRate.FourFifths;

    public LowDataRateOptimization LowDataRateOptimization { get; init; } = LowDataRateOptimization.Auto;

    /// <summary>
    /// Chirps sent with inverted I/Q (down-chirps as the base symbol). LoRaWAN downlinks are inverted and uplinks —
    /// and Helium PoC beacons — are not (GWMP <c>txpk.ipol</c> true for downlinks; SX1276 RegInvertIQ): a gateway
    /// therefore does not demodulate another gateway's downlink, nor an end device another device's uplink. It does
    /// not change the time on air.
    /// </summary>
    public bool InvertedIq { get; init; }

    /// <summary>LoRaWAN uplink: preamble 8, explicit header, CRC on, 4/5.</summary>
    public static LoRaPacketShape LoRaWanUplink { get; } = new();

    /// <summary>LoRaWAN downlink: as uplink but without payload CRC, and with inverted I/Q.</summary>
    public static LoRaPacketShape LoRaWanDownlink { get; } = new() { CrcEnabled = false, InvertedIq = true };
}
