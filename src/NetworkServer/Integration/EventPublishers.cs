using System.Threading.Channels;
using DePin.Wireless.NetworkServer.Mqtt;

namespace DePin.Wireless.NetworkServer.Integration;

/// <summary>Delivers integration events to applications.</summary>
public interface IEventPublisher
{
    Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken);
}

/// <summary>An event as delivered: ChirpStack topic, the event and its JSON (serialised on first use, once).</summary>
public sealed record PublishedEvent(string Topic, IntegrationEvent Event)
{
    private byte[]? _json;

    /// <summary>The ChirpStack JSON an MQTT subscriber would receive.</summary>
    public ReadOnlyMemory<byte> Json => _json ??= IntegrationJson.Serialize(Event);
}

public sealed class MqttEventPublisherOptions
{
    /// <summary>QoS 1 by default: the broker acknowledges each event and the client re-sends across reconnects.</summary>
    public MqttQos Qos { get; set; } = MqttQos.AtLeastOnce;
}

/// <summary>Publishes events as ChirpStack-compatible JSON on <c>application/{id}/device/{devEui}/event/{type}</c>.</summary>
public sealed class MqttEventPublisher(IMqttClient client, MqttEventPublisherOptions options) : IEventPublisher
{
    public Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken)
    {
        var topic = ApplicationTopics.Event(integrationEvent.DeviceInfo.ApplicationId, integrationEvent.DeviceInfo.DevEui, integrationEvent.EventType);
        return client.PublishAsync(topic, IntegrationJson.Serialize(integrationEvent), options.Qos, retain: false, cancellationToken);
    }
}

/// <summary>Forwards to a publisher created later (the MQTT one starts after the parts that publish through it are built).</summary>
public sealed class DeferredEventPublisher(Func<IEventPublisher?> target) : IEventPublisher
{
    public Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken) =>
        (target() ?? throw new InvalidOperationException("event publisher: not started yet")).PublishAsync(integrationEvent, cancellationToken);
}

/// <summary>
/// In-process fan-out for the devnet and tests: every subscription whose topic filter matches gets the event,
/// with the same topic and JSON an MQTT subscriber would see. No broker needed.
/// </summary>
public sealed class InProcessEventPublisher : IEventPublisher
{
    private readonly Lock _gate = new();
    private readonly List<InProcessSubscription> _subscriptions = [];

    public Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var info = integrationEvent.DeviceInfo;
        var published = new PublishedEvent(ApplicationTopics.Event(info.ApplicationId, info.DevEui, integrationEvent.EventType), integrationEvent);
        lock (_gate)
        {
            // Channel writes do not block (unbounded), so delivering under the lock is cheap and keeps order per subscriber.
            foreach (var subscription in _subscriptions)
            {
                if (MqttTopic.Matches(subscription.Filter, published.Topic))
                {
                    subscription.Deliver(published);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Receives every later event whose topic matches <paramref name="filter"/> (MQTT wildcard syntax).</summary>
    public InProcessSubscription Subscribe(string filter)
    {
        MqttTopic.ValidateFilter(filter);
        var subscription = new InProcessSubscription(filter, this);
        lock (_gate)
        {
            _subscriptions.Add(subscription);
        }

        return subscription;
    }

    internal void Remove(InProcessSubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions.Remove(subscription);
        }
    }
}

/// <summary>One in-process subscriber; dispose to stop receiving.</summary>
public sealed class InProcessSubscription : IDisposable
{
    private readonly Channel<PublishedEvent> _channel = Channel.CreateUnbounded<PublishedEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly InProcessEventPublisher _owner;

    internal InProcessSubscription(string filter, InProcessEventPublisher owner)
    {
        Filter = filter;
        _owner = owner;
    }

    public string Filter { get; }

    public ChannelReader<PublishedEvent> Reader => _channel.Reader;

    public void Dispose()
    {
        _owner.Remove(this);
        _channel.Writer.TryComplete();
    }

    internal void Deliver(PublishedEvent published) => _channel.Writer.TryWrite(published);
}
