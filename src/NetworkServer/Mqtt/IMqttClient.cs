using System.Threading.Channels;

namespace DePin.Wireless.NetworkServer.Mqtt;

/// <summary>Where the client's connection to the broker stands.</summary>
public enum MqttConnectionState
{
    /// <summary>Never connected, or <see cref="IMqttClient.DisconnectAsync"/> was called.</summary>
    Disconnected,

    /// <summary>First connect in progress.</summary>
    Connecting,

    /// <summary>CONNACK accepted and every active subscription (re-)acknowledged.</summary>
    Connected,

    /// <summary>The connection was lost; the client is retrying with backoff.</summary>
    Reconnecting,

    /// <summary>Disposed; no further use.</summary>
    Closed,
}

/// <summary>An application message received from the broker.</summary>
public sealed record MqttApplicationMessage(string Topic, ReadOnlyMemory<byte> Payload, MqttQos Qos, bool Retain, bool Duplicate);

/// <summary>Result of the first successful connect.</summary>
public sealed record MqttConnectResult(bool SessionPresent);

/// <summary>
/// The narrow MQTT client the network server needs, so a library implementation can replace <see cref="MqttClient"/>.
/// Subscriptions are remembered and restored after every reconnect.
/// </summary>
public interface IMqttClient : IAsyncDisposable
{
    MqttConnectionState State { get; }

    /// <summary>Raised on every state transition (from the client's own tasks; handlers must be quick).</summary>
    event EventHandler<MqttConnectionState>? StateChanged;

    /// <summary>Every application message the broker delivers, in arrival order.</summary>
    ChannelReader<MqttApplicationMessage> Messages { get; }

    /// <summary>Connects once; throws <see cref="MqttConnectException"/> on refusal. Afterwards the client reconnects by itself.</summary>
    Task<MqttConnectResult> ConnectAsync(CancellationToken cancellationToken);

    /// <summary>QoS 0 returns once written; QoS 1 returns once the broker sent PUBACK (redelivered across reconnects).</summary>
    Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain, CancellationToken cancellationToken);

    /// <summary>Subscribes and returns the granted QoS; throws <see cref="MqttSubscribeRejectedException"/> on SUBACK 0x80.</summary>
    Task<MqttQos> SubscribeAsync(string filter, MqttQos qos, CancellationToken cancellationToken);

    Task UnsubscribeAsync(string filter, CancellationToken cancellationToken);

    /// <summary>Sends DISCONNECT and stops reconnecting.</summary>
    Task DisconnectAsync(CancellationToken cancellationToken);
}
