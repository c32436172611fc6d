using DePin.Wireless.NetworkServer.Mqtt;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.NetworkServer.Integration;

/// <summary>A validated downlink command with the application that sent it (taken from the topic).</summary>
public sealed record ReceivedDownlinkCommand(AppId ApplicationId, DownlinkCommand Command);

/// <summary>A command that failed validation; published nowhere, reported here and in the log.</summary>
public sealed record RejectedDownlinkCommand(string Topic, string Field, string Problem);

/// <summary>
/// Subscribes to every application's <c>command/down</c> topic (the subscription is restored by the client after
/// reconnects) and turns valid messages into <see cref="ReceivedDownlinkCommand"/>s.
/// </summary>
public sealed class DownlinkCommandListener(IMqttClient client, MqttMessageDispatcher dispatcher, ILogger<DownlinkCommandListener> logger)
{
    public event EventHandler<RejectedDownlinkCommand>? Rejected;

    /// <summary>Registers the handler and subscribes; run the dispatcher to start delivery.</summary>
    public async Task StartAsync(Func<ReceivedDownlinkCommand, CancellationToken, Task> onCommand, CancellationToken cancellationToken)
    {
        dispatcher.Register(ApplicationTopics.AllCommandDownFilter, (message, ct) => HandleAsync(message, onCommand, ct));
        await client.SubscribeAsync(ApplicationTopics.AllCommandDownFilter, MqttQos.AtLeastOnce, cancellationToken);
    }

    private async Task HandleAsync(MqttApplicationMessage message, Func<ReceivedDownlinkCommand, CancellationToken, Task> onCommand, CancellationToken cancellationToken)
    {
        if (!ApplicationTopics.TryParseCommandDown(message.Topic, out var applicationId, out var devEui))
        {
            Reject(message.Topic, "(topic)", "expected application/{applicationId}/device/{16 hex digit devEui}/command/down");
            return;
        }

        DownlinkCommand command;
        try
        {
            command = DownlinkCommandParser.Parse(message.Payload.Span, devEui);
        }
        catch (DownlinkCommandException ex)
        {
            Reject(message.Topic, ex.Field, ex.Problem);
            return;
        }

        await onCommand(new ReceivedDownlinkCommand(applicationId, command), cancellationToken);
    }

    private void Reject(string topic, string field, string problem)
    {
        logger.LogWarning("Rejected downlink command on {Topic}: field '{Field}' {Problem}", topic, field, problem);
        Rejected?.Invoke(this, new RejectedDownlinkCommand(topic, field, problem));
    }
}
