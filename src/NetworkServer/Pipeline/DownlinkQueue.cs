using DePin.Wireless.Core.Regions;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.Storage;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>
/// The largest FRMPayload + FOpts a downlink may carry (N of RP002-1.0.4's maximum-payload tables, honouring the
/// region's downlink dwell time). The hotspot falls back from RX1 to RX2, so a downlink must fit both windows.
/// </summary>
public static class DownlinkPayloadLimit
{
    public static int ForWindows(RegionPlan plan, int rx1DataRate, int rx2DataRate) =>
        Math.Min(plan.MaxPayload(rx1DataRate, downlink: true).N, plan.MaxPayload(rx2DataRate, downlink: true).N);

    /// <summary>
    /// The limit for the device's next downlink: RX1 follows the DR of its last uplink (with RX1DROffset), RX2 is the
    /// session's RX2 DR. Before any uplink (or any session) only RX2 is known; the scheduler checks again.
    /// </summary>
    public static (int Limit, string Windows) ForSession(RegionPlan plan, DeviceSession? session)
    {
        var rx2 = session?.Rx2DataRate ?? plan.Rx2DataRate;
        if (session?.LastUplinkDataRate is not { } uplinkDr)
        {
            return (plan.MaxPayload(rx2, downlink: true).N, $"RX2 DR{rx2}");
        }

        var rx1 = plan.Rx1DataRate(uplinkDr, session.Rx1DrOffset);
        return (ForWindows(plan, rx1, rx2), $"RX1 DR{rx1} / RX2 DR{rx2}");
    }
}

/// <summary>
/// Puts application downlinks (MQTT <c>command/down</c> and the admin API) into a device's queue. A payload larger
/// than the data rates the device will be answered on allow is refused with an error naming the limit, and a
/// <c>log</c> event (ERROR, DOWNLINK_PAYLOAD_SIZE) is published as ChirpStack does; it is never truncated.
/// </summary>
public sealed class DownlinkQueue(INetworkStore store, IEventPublisher? events, RegionPlanCache regions, TimeProvider time)
{
    /// <summary>Queues the downlink; <paramref name="application"/>, when given, must own the device.</summary>
    public async Task<QueuedDownlink> EnqueueAsync(QueuedDownlink downlink, AppId? application, CancellationToken cancellationToken)
    {
        var device = await store.GetDeviceAsync(downlink.DevEui, cancellationToken);
        if (device is null || (application is { } app && device.ApplicationId != app))
        {
            throw new NetworkStoreException("devEui", application is { } a ? $"device {downlink.DevEui} of application {a} does not exist" : $"device {downlink.DevEui} does not exist");
        }

        var plan = regions.Get(device.Region);
        var session = await store.GetSessionAsync(device.DevEui, cancellationToken);
        var (limit, windows) = DownlinkPayloadLimit.ForSession(plan, session);
        if (downlink.Data.Length > limit)
        {
            var problem = $"{downlink.Data.Length} bytes exceed the {limit}-byte maximum of {plan.Name} {windows}; not queued";
            if (events is not null)
            {
                await events.PublishAsync(PayloadSizeEvent(device, downlink, limit, problem, time.GetUtcNow()), cancellationToken);
            }

            throw new NetworkStoreException("data", problem);
        }

        await store.EnqueueDownlinkAsync(downlink, cancellationToken);
        return downlink;
    }

    internal static LogEvent PayloadSizeEvent(Device device, QueuedDownlink downlink, int limit, string description, DateTimeOffset now) => new()
    {
        Time = now,
        DeviceInfo = JoinProcessor.DeviceInfoOf(device),
        Level = LogEventLevel.Error,
        Code = LogEventCode.DownlinkPayloadSize,
        Description = description,
        Context = new Dictionary<string, string>
        {
            ["queue_item_id"] = downlink.Id.ToString(),
            ["payload_size"] = downlink.Data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["max_payload_size"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
    };
}
