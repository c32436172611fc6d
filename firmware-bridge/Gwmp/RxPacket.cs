using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>
/// One received radio packet: an element of the <c>rxpk</c> array of PUSH_DATA (PROTOCOL.TXT §4 and
/// sx1302_hal PROTOCOL.md §4). A mutable wire record so a decoder can fill it in place without allocating;
/// optional fields are null when absent (or JSON null, as some forwarders send). Required on decode:
/// tmst, freq, modu, datr, size, data.
/// </summary>
public record struct RxPacket
{
    /// <summary><c>time</c>: UTC time of reception (needs GPS), ISO 8601 "compact" format.</summary>
    public DateTimeOffset? Time { get; set; }

    /// <summary><c>tmms</c>: GPS time of reception in milliseconds since 1980-01-06.</summary>
    public ulong? GpsTimeMs { get; set; }

    /// <summary><c>tmst</c>: concentrator counter in µs at the end of reception; wraps every 2^32 µs (≈71.6 min).</summary>
    public uint Tmst { get; set; }

    /// <summary><c>ftime</c> (v1.6): fine timestamp, nanoseconds since the last PPS.</summary>
    public uint? FineTimeNs { get; set; }

    /// <summary><c>freq</c>: centre frequency (MHz on the wire).</summary>
    public Hz Frequency { get; set; }

    /// <summary><c>chan</c>: concentrator IF channel.</summary>
    public uint? Channel { get; set; }

    /// <summary><c>rfch</c>: concentrator RF chain.</summary>
    public uint? RfChain { get; set; }

    /// <summary><c>mid</c> (v1.6): concentrator modem id.</summary>
    public uint? ModemId { get; set; }

    /// <summary><c>brd</c> (v1.6): concentrator board used for reception.</summary>
    public uint? Board { get; set; }

    /// <summary><c>stat</c>: CRC status, 1 = OK, -1 = failed, 0 = no CRC.</summary>
    public int? CrcStatus { get; set; }

    public GwmpModulation Modulation { get; set; }

    /// <summary><c>datr</c> of a LoRa packet, e.g. SF7BW125.</summary>
    public DataRate? LoraDataRate { get; set; }

    /// <summary><c>datr</c> of an FSK packet: bit rate in bit/s.</summary>
    public uint? FskBitRate { get; set; }

    /// <summary><c>codr</c>: LoRa ECC coding rate.</summary>
    public GwmpCodingRate? CodingRate { get; set; }

    /// <summary><c>rssi</c> (v1.4) / <c>rssic</c> (v1.6, channel RSSI) in dBm.</summary>
    public double? Rssi { get; set; }

    /// <summary><c>rssic</c> (v1.6): channel RSSI in dBm.</summary>
    public double? RssiChannel { get; set; }

    /// <summary><c>rssis</c> (v1.6): signal RSSI in dBm.</summary>
    public double? RssiSignal { get; set; }

    /// <summary><c>lsnr</c>: LoRa SNR in dB.</summary>
    public double? Snr { get; set; }

    /// <summary><c>foff</c> (v1.6): LoRa frequency offset in Hz.</summary>
    public int? FrequencyOffsetHz { get; set; }

    /// <summary><c>aesk</c> (v1.6): AES key index used for fine timestamp decryption.</summary>
    public uint? AesKey { get; set; }

    /// <summary><c>size</c>: payload length in bytes; equals <see cref="Data"/> length.</summary>
    public int Size { get; set; }

    /// <summary><c>data</c>: the PHY payload (base64 on the wire).</summary>
    public byte[] Data { get; set; }

    /// <summary>A LoRa packet with the fields every forwarder sends; <see cref="Size"/> is taken from <paramref name="data"/>.</summary>
    public static RxPacket Lora(uint tmst, Hz frequency, DataRate dataRate, GwmpCodingRate codingRate, double rssi, double snr, byte[] data) => new()
    {
        Tmst = tmst,
        Frequency = frequency,
        Modulation = GwmpModulation.Lora,
        LoraDataRate = dataRate,
        CodingRate = codingRate,
        Rssi = rssi,
        Snr = snr,
        CrcStatus = 1,
        Size = data.Length,
        Data = data,
    };
}
