using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.NetworkServer.Mqtt;

/// <summary>
/// Reads a client's single message stream and hands each message to every handler whose topic filter matches
/// (<see cref="MqttTopic.Matches"/>), so several components can share one broker connection.
/// A failing handler is logged and does not stop delivery to others.
/// </summary>
public sealed class MqttMessageDispatcher(ChannelReader<MqttApplicationMessage> messages, ILogger<MqttMessageDispatcher> logger)
{
    private readonly Lock _gate = new();
    private readonly List<(string Filter, Func<MqttApplicationMessage, CancellationToken, Task> Handler)> _routes = [];

    public void Register(string filter, Func<MqttApplicationMessage, CancellationToken, Task> handler)
    {
        MqttTopic.ValidateFilter(filter);
        lock (_gate)
        {
            _routes.Add((filter, handler));
        }
    }

    /// <summary>Runs until the message stream completes (client disposed) or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var message in messages.ReadAllAsync(cancellationToken))
        {
            List<Func<MqttApplicationMessage, CancellationToken, Task>> handlers;
            lock (_gate)
            {
                handlers = [.. _routes.Where(r => MqttTopic.Matches(r.Filter, message.Topic)).Select(r => r.Handler)];
            }

            if (handlers.Count == 0)
            {
                logger.LogDebug("MQTT message on {Topic} matched no handler", message.Topic);
            }

            foreach (var handler in handlers)
            {
                try
                {
                    await handler(message, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "MQTT handler for {Topic} failed", message.Topic);
                }
            }
        }
    }
}
