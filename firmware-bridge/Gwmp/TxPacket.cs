using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>
/// A packet to transmit: the <c>txpk</c> object of PULL_RESP (PROTOCOL.TXT §6, sx1302_hal PROTOCOL.md §6).
/// Exactly one of <see cref="Immediate"/>, <see cref="Tmst"/> and <see cref="GpsTimeMs"/> says when.
/// Required on decode: one timing field, freq, rfch, modu, datr, size, data (and codr for LoRa).
/// </summary>
public record struct TxPacket
{
    /// <summary><c>imme</c>: send as soon as possible, ignoring timestamps.</summary>
    public bool Immediate { get; set; }

    /// <summary><c>tmst</c>: send when the concentrator counter reaches this value (µs, wraps).</summary>
    public uint? Tmst { get; set; }

    /// <summary><c>tmms</c>: send at this GPS time (ms since 1980-01-06).</summary>
    public ulong? GpsTimeMs { get; set; }

    public Hz Frequency { get; set; }

    /// <summary><c>rfch</c>: RF chain to transmit on.</summary>
    public uint RfChain { get; set; }

    /// <summary><c>powe</c>: output power in dBm.</summary>
    public int? PowerDbm { get; set; }

    public GwmpModulation Modulation { get; set; }

    public DataRate? LoraDataRate { get; set; }

    public uint? FskBitRate { get; set; }

    public GwmpCodingRate? CodingRate { get; set; }

    /// <summary><c>fdev</c>: FSK frequency deviation in Hz.</summary>
    public uint? FskDeviationHz { get; set; }

    /// <summary><c>ipol</c>: invert LoRa polarity; true for LoRaWAN downlinks.</summary>
    public bool? InvertPolarity { get; set; }

    /// <summary><c>prea</c>: preamble length in symbols.</summary>
    public uint? Preamble { get; set; }

    /// <summary><c>ncrc</c>: do not append a CRC (LoRaWAN downlinks carry none).</summary>
    public bool? NoCrc { get; set; }

    /// <summary><c>nhdr</c>: implicit header (no LoRa PHY header).</summary>
    public bool? NoHeader { get; set; }

    public int Size { get; set; }

    public byte[] Data { get; set; }

    /// <summary>A LoRaWAN downlink at a concentrator timestamp: inverted polarity, no CRC, as LoRaWAN requires.</summary>
    public static TxPacket LoraAt(uint tmst, Hz frequency, DataRate dataRate, int powerDbm, byte[] data, GwmpCodingRate codingRate = GwmpCodingRate.Cr4_5) => new()
    {
        Tmst = tmst,
        Frequency = frequency,
        RfChain = 0,
        PowerDbm = powerDbm,
        Modulation = GwmpModulation.Lora,
        LoraDataRate = dataRate,
        CodingRate = codingRate,
        InvertPolarity = true,
        NoCrc = true,
        Size = data.Length,
        Data = data,
    };
}
