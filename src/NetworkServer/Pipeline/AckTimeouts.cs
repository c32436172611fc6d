using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.Storage;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>
/// Confirmed downlinks the device never answered: after <see cref="Timeout"/> without an uplink, the pending
/// acknowledgement is dropped and an <c>ack</c> event with <c>acknowledged: false</c> is published (ChirpStack sends
/// the same event when a confirmed downlink times out). An uplink inside the timeout settles it instead.
/// </summary>
public sealed class AckTimeouts(INetworkStore store, IEventPublisher events, TimeProvider time, TimeSpan timeout)
{
    public TimeSpan Timeout { get; } = timeout > TimeSpan.Zero ? timeout : throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "ack timeout must be positive");

    /// <summary>Publishes a negative ack for every pending acknowledgement older than the timeout; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = await store.TakeExpiredPendingAcksAsync(now - Timeout, cancellationToken);
        foreach (var item in expired)
        {
            if (await store.GetDeviceAsync(item.DevEui, cancellationToken) is { } device)
            {
                await events.PublishAsync(AckEventOf(device, item.Pending, acknowledged: false, Guid.Empty, now), cancellationToken);
            }
        }

        return expired.Count;
    }

    /// <summary>Sweeps every <paramref name="interval"/> until cancelled; a failed sweep is logged and retried at the next tick.</summary>
    public async Task RunAsync(TimeSpan interval, ILogger logger, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await SweepAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "confirmed-downlink timeout sweep failed; retrying at the next tick");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    internal static AckEvent AckEventOf(Device device, PendingAck pending, bool acknowledged, Guid deduplicationId, DateTimeOffset now) => new()
    {
        Time = now,
        DeviceInfo = JoinProcessor.DeviceInfoOf(device),
        DeduplicationId = deduplicationId,
        QueueItemId = pending.QueueItemId,
        Acknowledged = acknowledged,
        FCntDown = pending.FCntDown,
    };
}
