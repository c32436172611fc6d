namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>
/// Packet identifiers of the Semtech UDP protocol (GWMP), byte 3 of every datagram
/// (Lora-net/packet_forwarder PROTOCOL.TXT §3–§6; sx1302_hal packet_forwarder/PROTOCOL.md).
/// </summary>
public enum GwmpPacketType : byte
{
    PushData = 0x00,
    PushAck = 0x01,
    PullData = 0x02,
    PullResp = 0x03,
    PullAck = 0x04,
    TxAck = 0x05,
}

/// <summary>Header sizes and protocol versions of GWMP.</summary>
public static class GwmpProtocol
{
    /// <summary>The version this implementation speaks (PROTOCOL.TXT v1.3+ and PROTOCOL.md v1.6 both use 2).</summary>
    public const byte Version2 = 2;

    /// <summary>
    /// Version 1 (the first public revisions of PROTOCOL.TXT) has the same header layout and JSON objects,
    /// so accepting it cannot misread a datagram; replies echo the version of the request.
    /// </summary>
    public const byte Version1 = 1;

    /// <summary>version, 2 token bytes, packet type.</summary>
    public const int HeaderLength = 4;

    /// <summary>Header followed by the 8-byte gateway EUI (PUSH_DATA, PULL_DATA, TX_ACK).</summary>
    public const int HeaderWithEuiLength = HeaderLength + 8;

    public static bool IsSupportedVersion(byte version) => version is Version1 or Version2;

    public static bool CarriesGatewayEui(GwmpPacketType type) => type is GwmpPacketType.PushData or GwmpPacketType.PullData or GwmpPacketType.TxAck;

    public static string Name(GwmpPacketType type) => type switch
    {
        GwmpPacketType.PushData => "PUSH_DATA",
        GwmpPacketType.PushAck => "PUSH_ACK",
        GwmpPacketType.PullData => "PULL_DATA",
        GwmpPacketType.PullResp => "PULL_RESP",
        GwmpPacketType.PullAck => "PULL_ACK",
        GwmpPacketType.TxAck => "TX_ACK",
        _ => $"0x{(byte)type:x2}",
    };
}
