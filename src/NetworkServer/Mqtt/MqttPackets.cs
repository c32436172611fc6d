namespace DePin.Wireless.NetworkServer.Mqtt;

/// <summary>MQTT 3.1.1 control packet types (OASIS MQTT 3.1.1, section 2.2.1, table 2.1).</summary>
public enum MqttPacketType : byte
{
    Connect = 1,
    ConnAck = 2,
    Publish = 3,
    PubAck = 4,
    PubRec = 5,
    PubRel = 6,
    PubComp = 7,
    Subscribe = 8,
    SubAck = 9,
    Unsubscribe = 10,
    UnsubAck = 11,
    PingReq = 12,
    PingResp = 13,
    Disconnect = 14,
}

/// <summary>Quality of service levels this client supports (QoS 2 is not used by the integration).</summary>
public enum MqttQos : byte
{
    AtMostOnce = 0,
    AtLeastOnce = 1,
}

/// <summary>CONNACK return codes (MQTT 3.1.1 section 3.2.2.3, table 3.1).</summary>
public enum MqttConnectReturnCode : byte
{
    Accepted = 0,
    UnacceptableProtocolVersion = 1,
    IdentifierRejected = 2,
    ServerUnavailable = 3,
    BadUserNameOrPassword = 4,
    NotAuthorized = 5,
}

/// <summary>Base of every decoded or to-be-encoded control packet.</summary>
public abstract record MqttPacket(MqttPacketType Type);

/// <summary>Last-will message the broker publishes when the client vanishes without DISCONNECT.</summary>
public sealed record MqttWill(string Topic, ReadOnlyMemory<byte> Payload, MqttQos Qos, bool Retain);

public sealed record ConnectPacket(
    string ClientId,
    string? UserName,
    string? Password,
    bool CleanSession,
    ushort KeepAliveSeconds,
    MqttWill? Will) : MqttPacket(MqttPacketType.Connect);

public sealed record ConnAckPacket(bool SessionPresent, MqttConnectReturnCode ReturnCode) : MqttPacket(MqttPacketType.ConnAck);

public sealed record PublishPacket(
    string Topic,
    ReadOnlyMemory<byte> Payload,
    MqttQos Qos,
    bool Retain,
    bool Duplicate,
    ushort PacketId) : MqttPacket(MqttPacketType.Publish);

public sealed record PubAckPacket(ushort PacketId) : MqttPacket(MqttPacketType.PubAck);

/// <summary>One topic filter of a SUBSCRIBE with its requested maximum QoS.</summary>
public sealed record MqttTopicSubscription(string Filter, MqttQos Qos);

public sealed record SubscribePacket(ushort PacketId, IReadOnlyList<MqttTopicSubscription> Subscriptions) : MqttPacket(MqttPacketType.Subscribe);

/// <summary>SUBACK; each return code is the granted QoS (0..2) or 0x80 for failure (section 3.9.3).</summary>
public sealed record SubAckPacket(ushort PacketId, IReadOnlyList<byte> ReturnCodes) : MqttPacket(MqttPacketType.SubAck)
{
    public const byte Failure = 0x80;
}

public sealed record UnsubscribePacket(ushort PacketId, IReadOnlyList<string> Filters) : MqttPacket(MqttPacketType.Unsubscribe);

public sealed record UnsubAckPacket(ushort PacketId) : MqttPacket(MqttPacketType.UnsubAck);

public sealed record PingReqPacket() : MqttPacket(MqttPacketType.PingReq);

public sealed record PingRespPacket() : MqttPacket(MqttPacketType.PingResp);

public sealed record DisconnectPacket() : MqttPacket(MqttPacketType.Disconnect);
