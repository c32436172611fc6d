using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.HotspotHost.Forwarding;

/// <summary>
/// Pure: the <see cref="TxAckReport"/> telling the network server what became of a downlink it handed us
/// (proto/service.proto, <c>POST /v1/tx-acks</c>), so it can publish ChirpStack's <c>txack</c> event or a gateway
/// error for the application.
/// </summary>
public static class TxAckReports
{
    public const string Path = "v1/tx-acks";

    public static TxAckReport For(DownlinkOutcome outcome, ByteString hotspotKey) => new()
    {
        HotspotKey = hotspotKey,
        DownlinkId = outcome.DownlinkId,
        Rx1Error = ErrorName(outcome.Rx1),
        Rx2Error = outcome.Rx2 is { } rx2 ? ErrorName(rx2) : string.Empty,
    };

    /// <summary>
    /// The GWMP TX_ACK <c>error</c> value of a radio answer (Semtech packet forwarder PROTOCOL.TXT §5.2, "NONE" when
    /// accepted). A radio timeout or driver failure has no GWMP name; it is reported as ChirpStack's
    /// <c>INTERNAL_ERROR</c> (chirpstack api/proto/gw/gw.proto, TxAckStatus).
    /// </summary>
    public static string ErrorName(TxResult result) => result.Status switch
    {
        TxStatus.Ok => "NONE",
        TxStatus.TooLate => "TOO_LATE",
        TxStatus.TooEarly => "TOO_EARLY",
        TxStatus.CollisionPacket => "COLLISION_PACKET",
        TxStatus.CollisionBeacon => "COLLISION_BEACON",
        TxStatus.FrequencyError => "TX_FREQ",
        TxStatus.PowerError => "TX_POWER",
        TxStatus.GpsUnlocked => "GPS_UNLOCKED",
        TxStatus.Timeout or TxStatus.RadioError => "INTERNAL_ERROR",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.Status, "unknown transmit status"),
    };
}
