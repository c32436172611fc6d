namespace DePin.Wireless.NetworkServer.Mqtt;

/// <summary>Bytes on the wire that violate MQTT 3.1.1 (bad remaining length, truncated field, reserved flags...).</summary>
public sealed class MqttProtocolException(string message) : Exception(message);

/// <summary>The broker refused the CONNECT; <see cref="ReturnCode"/> says why.</summary>
public sealed class MqttConnectException(MqttConnectReturnCode returnCode)
    : Exception(Describe(returnCode))
{
    public MqttConnectReturnCode ReturnCode { get; } = returnCode;

    /// <summary>Human-readable meaning of each CONNACK code (MQTT 3.1.1 section 3.2.2.3).</summary>
    public static string Describe(MqttConnectReturnCode code) => code switch
    {
        MqttConnectReturnCode.Accepted => "connection accepted",
        MqttConnectReturnCode.UnacceptableProtocolVersion => "broker refused the connection: unacceptable protocol version (broker does not speak MQTT 3.1.1)",
        MqttConnectReturnCode.IdentifierRejected => "broker refused the connection: client identifier rejected",
        MqttConnectReturnCode.ServerUnavailable => "broker refused the connection: server unavailable",
        MqttConnectReturnCode.BadUserNameOrPassword => "broker refused the connection: bad user name or password",
        MqttConnectReturnCode.NotAuthorized => "broker refused the connection: client not authorised to connect",
        _ => $"broker refused the connection: unknown CONNACK return code {(byte)code}",
    };
}

/// <summary>The broker answered a SUBSCRIBE with failure (0x80) for <see cref="Filter"/>, typically an ACL denial.</summary>
public sealed class MqttSubscribeRejectedException(string filter)
    : Exception($"broker rejected the subscription to '{filter}' (SUBACK return code 0x80: not authorised or invalid filter)")
{
    public string Filter { get; } = filter;
}

/// <summary>An operation needed a live broker connection and the client has none (never connected or disposed).</summary>
public sealed class MqttNotConnectedException(string message) : Exception(message);
