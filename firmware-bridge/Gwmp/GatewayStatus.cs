namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>
/// The <c>stat</c> object of PUSH_DATA (PROTOCOL.TXT §4; <c>temp</c> from sx1302_hal PROTOCOL.md): gateway
/// position and counters since the previous report. Every field is optional.
/// </summary>
public record struct GatewayStatus
{
    /// <summary><c>time</c>: UTC system time, "2014-01-12 08:59:28 GMT" on the wire.</summary>
    public DateTimeOffset? Time { get; set; }

    /// <summary><c>lati</c>: GPS latitude in degrees.</summary>
    public double? Latitude { get; set; }

    /// <summary><c>long</c>: GPS longitude in degrees.</summary>
    public double? Longitude { get; set; }

    /// <summary><c>alti</c>: GPS altitude in metres.</summary>
    public int? Altitude { get; set; }

    /// <summary><c>rxnb</c>: radio packets received.</summary>
    public uint? RxReceived { get; set; }

    /// <summary><c>rxok</c>: radio packets received with a valid CRC.</summary>
    public uint? RxOk { get; set; }

    /// <summary><c>rxfw</c>: radio packets forwarded.</summary>
    public uint? RxForwarded { get; set; }

    /// <summary><c>ackr</c>: percentage of upstream datagrams that were acknowledged.</summary>
    public double? AckRatioPercent { get; set; }

    /// <summary><c>dwnb</c>: downlink datagrams received.</summary>
    public uint? DownlinkReceived { get; set; }

    /// <summary><c>txnb</c>: packets emitted.</summary>
    public uint? TxEmitted { get; set; }

    /// <summary><c>temp</c> (v1.6): concentrator temperature in °C.</summary>
    public double? TemperatureC { get; set; }
}
