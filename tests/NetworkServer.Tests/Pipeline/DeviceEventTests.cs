using System.Text.Json;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.NetworkServer.Pipeline;
using DePin.Wireless.NetworkServer.Storage;

namespace DePin.Wireless.NetworkServer.Tests.Pipeline;

/// <summary>ack, txack, status and log events, and the downlink size limits, through the in-process pipeline.</summary>
public class DeviceEventTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly Eui64 DevEui = Eui64.Parse("0004a30b001c0530");
    private static readonly DevAddr Addr = new(0x48000042);
    private static readonly AesKey NwkSKey = AesKey.Parse("44024241ed4ce9a68c6a8bc055233fd3");
    private static readonly AesKey AppSKey = AesKey.Parse("ec925802ae430ca77fd3dd73cb2cc588");

    internal static async Task<(SimulatedNetwork Net, SimulatedDevice Device)> AbpAsync(IEventPublisher? events = null, MacResponderOptions? mac = null)
    {
        var net = new SimulatedNetwork(events, mac: mac);
        await net.AddAbpDeviceAsync(DevEui, Addr, NwkSKey, AppSKey);
        return (net, SimulatedDevice.Abp(DevEui, Addr, NwkSKey, AppSKey));
    }

    private static async Task<T> NextAsync<T>(InProcessSubscription subscription)
        where T : IntegrationEvent
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return Assert.IsType<T>((await subscription.Reader.ReadAsync(wait.Token)).Event);
    }

    private static void AssertNoEvent(InProcessSubscription subscription) => Assert.False(subscription.Reader.TryRead(out _));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Confirmed_downlink_is_settled_by_the_ack_bit_of_the_next_uplink(bool deviceAcks)
    {
        var (net, device) = await AbpAsync();
        using var _ = net;
        using var acks = net.Published.Subscribe("application/7/device/+/event/ack");
        var queued = new QueuedDownlink(Guid.NewGuid(), DevEui, 5, [1, 2, 3], Confirmed: true);
        await net.Store.EnqueueDownlinkAsync(queued, Ct);

        var answer = await net.DeliverAsync(net.Report(0, device.Uplink(1, [9]), snr: 5));
        var downlink = device.ReadDownlink(answer[0].Downlink.Payload.ToByteArray(), 0);
        Assert.Equal(MType.ConfirmedDataDown, (MType)(answer[0].Downlink.Payload[0] >> 5));
        Assert.Equal([1, 2, 3], downlink.Payload);
        Assert.Equal(new PendingAck(queued.Id, 0, net.Time.GetUtcNow()), (await net.Store.GetSessionAsync(DevEui, Ct))!.PendingAck);
        AssertNoEvent(acks);

        await net.DeliverAsync(net.Report(0, device.Uplink(1, [10], ack: deviceAcks), snr: 5));
        var ack = await NextAsync<AckEvent>(acks);
        Assert.Equal((deviceAcks, 0u, queued.Id, DevEui), (ack.Acknowledged, ack.FCntDown, ack.QueueItemId, ack.DeviceInfo.DevEui));
        Assert.Null((await net.Store.GetSessionAsync(DevEui, Ct))!.PendingAck);

        // Settled once: a further uplink with the ACK bit says nothing more.
        await net.DeliverAsync(net.Report(0, device.Uplink(1, [11], ack: true), snr: 5));
        AssertNoEvent(acks);
    }

    [Fact]
    public async Task Unanswered_confirmed_downlink_times_out_with_acknowledged_false()
    {
        var (net, device) = await AbpAsync();
        using var _ = net;
        using var acks = net.Published.Subscribe("application/7/device/+/event/ack");
        await net.Store.EnqueueDownlinkAsync(new QueuedDownlink(Guid.NewGuid(), DevEui, 5, [1], Confirmed: true), Ct);
        await net.DeliverAsync(net.Report(0, device.Uplink(1, [9]), snr: 5));
        var timeouts = new AckTimeouts(net.Store, net.Events, net.Time, TimeSpan.FromMinutes(10));

        Assert.Equal(0, await timeouts.SweepAsync(Ct));
        net.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(1, await timeouts.SweepAsync(Ct));
        Assert.False((await NextAsync<AckEvent>(acks)).Acknowledged);
        Assert.Equal(0, await timeouts.SweepAsync(Ct));
    }

    [Fact]
    public async Task Tx_ack_of_the_chosen_hotspot_publishes_txack_with_the_window_used()
    {
        var (net, device) = await AbpAsync();
        using var _ = net;
        using var txAcks = net.Published.Subscribe("application/7/device/+/event/txack");
        var queued = new QueuedDownlink(Guid.NewGuid(), DevEui, 5, [1], Confirmed: false);
        await net.Store.EnqueueDownlinkAsync(queued, Ct);
        var frame = device.Uplink(1, [9]);
        var answers = await net.DeliverAsync(net.Report(0, frame, snr: 1), net.Report(1, frame, snr: 8));
        var command = answers[1].Downlink;

        // Another hotspot cannot acknowledge it, and a bad error name is refused naming the field.
        Assert.Equal("unknown_downlink", (await net.TxAcks.HandleAsync(net.TxAck(0, command.DownlinkId, "NONE"), Ct)).Reason);
        var bad = await net.TxAcks.HandleAsync(net.TxAck(1, command.DownlinkId, "LATE"), Ct);
        Assert.Equal("bad_report", bad.Reason);
        Assert.StartsWith("rx1_error:", bad.Detail, StringComparison.Ordinal);

        // RX1 too late, RX2 sent: the txack carries RX2's parameters.
        var result = await net.TxAcks.HandleAsync(net.TxAck(1, command.DownlinkId, "TOO_LATE", "NONE"), Ct);
        Assert.True(result.Passed, result.Detail);
        var txAck = await NextAsync<TxAckEvent>(txAcks);
        Assert.Equal((queued.Id, 0u, net.Hotspot(1).ToAddress()), (txAck.QueueItemId, txAck.FCntDown, txAck.GatewayId));
        Assert.Equal(Convert.ToUInt32(command.DownlinkId[..8], 16), txAck.DownlinkId);
        Assert.Equal((869_525_000u, 12u, 125_000u, command.Rx2.TxPowerDbm), (txAck.TxInfo.Frequency, txAck.TxInfo.Modulation.Lora.SpreadingFactor, txAck.TxInfo.Modulation.Lora.Bandwidth, txAck.TxInfo.Power!.Value));

        // Reported once only.
        Assert.Equal("unknown_downlink", (await net.TxAcks.HandleAsync(net.TxAck(1, command.DownlinkId, "NONE"), Ct)).Reason);
    }

    [Fact]
    public async Task Tx_ack_errors_in_every_window_publish_a_downlink_gateway_log_event()
    {
        var (net, device) = await AbpAsync();
        using var _ = net;
        using var logs = net.Published.Subscribe("application/7/device/+/event/log");
        var answers = await net.DeliverAsync(net.Report(0, device.Uplink(1, [9], confirmed: true), snr: 1));
        var command = answers[0].Downlink;

        Assert.True((await net.TxAcks.HandleAsync(net.TxAck(0, command.DownlinkId, "TOO_EARLY", "COLLISION_PACKET"), Ct)).Passed);
        var published = await logs.Reader.ReadAsync();
        var log = Assert.IsType<LogEvent>(published.Event);
        Assert.Equal((LogEventLevel.Error, LogEventCode.DownlinkGateway), (log.Level, log.Code));
        Assert.Equal(("TOO_EARLY", "COLLISION_PACKET", command.DownlinkId), (log.Context["rx1_error"], log.Context["rx2_error"], log.Context["downlink_id"]));
        Assert.False(log.Context.ContainsKey("queue_item_id")); // an ACK-only downlink has no queue item
        using var json = JsonDocument.Parse(published.Json);
        Assert.Equal(("ERROR", "DOWNLINK_GATEWAY"), (json.RootElement.GetProperty("level").GetString(), json.RootElement.GetProperty("code").GetString()));
        Assert.Contains("TOO_EARLY", json.RootElement.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dev_status_answer_publishes_a_status_event_with_battery_and_margin()
    {
        var (net, device) = await AbpAsync(mac: new MacResponderOptions { DevStatusRequestEveryUplinks = 2 });
        using var _ = net;
        using var statuses = net.Published.Subscribe("application/7/device/+/event/status");
        await net.DeliverAsync(net.Report(0, device.Uplink(1, [1]), snr: 5));
        var second = await net.DeliverAsync(net.Report(0, device.Uplink(1, [2]), snr: 5));
        var request = device.ReadDownlink(second[0].Downlink.Payload.ToByteArray(), 0);
        Assert.IsType<DevStatusReq>(Assert.Single(MacCommandCodec.Parse(request.FOpts, Direction.Downlink)));

        await net.DeliverAsync(net.Report(0, device.Uplink(1, [3], fOpts: MacCommandCodec.Write([new DevStatusAns(127, -4)])), snr: 5));
        var status = await NextAsync<StatusEvent>(statuses);
        Assert.Equal((-4, false, false, 50f), (status.Margin, status.ExternalPowerSource, status.BatteryLevelUnavailable, status.BatteryLevel));

        await net.DeliverAsync(net.Report(0, device.Uplink(1, [4], fOpts: MacCommandCodec.Write([new DevStatusAns(0, 20)])), snr: 5));
        var external = await NextAsync<StatusEvent>(statuses);
        Assert.Equal((true, 20), (external.ExternalPowerSource, external.Margin));
        await net.DeliverAsync(net.Report(0, device.Uplink(1, [5], fOpts: MacCommandCodec.Write([new DevStatusAns(255, 0)])), snr: 5));
        Assert.True((await NextAsync<StatusEvent>(statuses)).BatteryLevelUnavailable);
    }

    [Fact]
    public async Task Adr_history_lives_in_the_store_so_a_new_pipeline_decides_as_the_old_one_would()
    {
        var store = new InMemoryNetworkStore();
        var first = new SimulatedNetwork(store: store);
        await first.AddAbpDeviceAsync(DevEui, Addr, NwkSKey, AppSKey);
        var device = SimulatedDevice.Abp(DevEui, Addr, NwkSKey, AppSKey);
        for (var i = 0; i < 3; i++)
        {
            await first.DeliverAsync(first.Report(0, device.Uplink(1, [1], adr: true), snr: -5, datarate: "SF12BW125"));
        }

        var session = (await store.GetSessionAsync(DevEui, Ct))!;
        Assert.Equal([0u, 1u, 2u], session.AdrHistory.Select(h => h.FCnt));
        Assert.Equal(0, session.LastUplinkDataRate);
        first.Dispose();

        // "Restart": a new pipeline over the same store continues the same history.
        using var second = new SimulatedNetwork(store: store, provision: false);
        await second.DeliverAsync(second.Report(0, device.Uplink(1, [1], adr: true), snr: -5, datarate: "SF12BW125"));
        Assert.Equal([0u, 1u, 2u, 3u], (await store.GetSessionAsync(DevEui, Ct))!.AdrHistory.Select(h => h.FCnt));
    }

    [Fact]
    public async Task Queued_payload_that_no_longer_fits_the_data_rate_is_dropped_with_a_log_event_never_truncated()
    {
        var (net, device) = await AbpAsync();
        using var _ = net;
        using var logs = net.Published.Subscribe("application/7/device/+/event/log");
        var big = new QueuedDownlink(Guid.NewGuid(), DevEui, 5, new byte[52], false);
        var fits = new QueuedDownlink(Guid.NewGuid(), DevEui, 6, new byte[51], false);
        await net.Store.EnqueueDownlinkAsync(big, Ct); // bypasses the enqueue check, as if queued when the DR was higher
        await net.Store.EnqueueDownlinkAsync(fits, Ct);

        // SF12 uplink: RX1 DR0 and RX2 DR0 allow N = 51.
        var answer = await net.DeliverAsync(net.Report(0, device.Uplink(1, [1], fOpts: MacCommandCodec.Write([new LinkCheckReq()])), snr: 5, datarate: "SF12BW125"));
        var sent = device.ReadDownlink(answer[0].Downlink.Payload.ToByteArray(), 0);
        Assert.Equal(((byte?)6, 51), (sent.FPort, sent.Payload.Length));
        Assert.Empty(sent.FOpts); // 51 bytes + a 3-byte LinkCheckAns would exceed N: the MAC answer is left out
        var log = await NextAsync<LogEvent>(logs);
        Assert.Equal((LogEventCode.DownlinkPayloadSize, big.Id.ToString(), "52", "51"), (log.Code, log.Context["queue_item_id"], log.Context["payload_size"], log.Context["max_payload_size"]));
    }

    [Theory]
    [InlineData("EU868", "SF7BW125", 0, 51)] // RX1 DR5 (222) but RX2 DR0 (51): the RX2 fallback decides
    [InlineData("EU868", "SF12BW125", 3, 51)] // RX1 DR0 (51) is smaller than RX2 DR3 (115)
    [InlineData("US915", "SF10BW125", 8, 53)] // uplink DR0 → RX1 DR10 (N 242), RX2 DR8 (53)
    [InlineData("AS923-1", "SF7BW125", 2, 11)] // 400 ms downlink dwell: RX2 DR2 allows 11 bytes
    [InlineData("AU915", "SF7BW125", 8, 53)] // uplink DR5 → RX1 DR13 (242), RX2 DR8 (53)
    public async Task Enqueue_refuses_a_payload_larger_than_the_next_windows_allow_and_publishes_a_log_event(string region, string uplinkDr, int rx2Dr, int expectedLimit)
    {
        using var net = new SimulatedNetwork();
        var plan = Core.Regions.RegionPlans.Get(region);
        await net.Store.AddDeviceAsync(new Device(DevEui, SimulatedNetwork.App, SimulatedNetwork.JoinEui, SimulatedNetwork.AppKey, region) { IsAbp = true }, Ct);
        var uplinkIndex = plan.GetDataRateIndex(DataRate.Parse(uplinkDr));
        await net.Store.SaveSessionAsync(new DeviceSession(DevEui, Addr, NwkSKey, AppSKey) { Rx2DataRate = rx2Dr, LastUplinkDataRate = uplinkIndex }, Ct);
        var limit = DownlinkPayloadLimit.ForWindows(plan, plan.Rx1DataRate(uplinkIndex, 0), rx2Dr);
        Assert.Equal(expectedLimit, limit);
        using var logs = net.Published.Subscribe("application/7/device/+/event/log");
        var queue = new DownlinkQueue(net.Store, net.Events, new RegionPlanCache(), net.Time);

        await queue.EnqueueAsync(new QueuedDownlink(Guid.NewGuid(), DevEui, 1, new byte[limit], false), SimulatedNetwork.App, Ct);
        var refused = await Assert.ThrowsAsync<NetworkStoreException>(() => queue.EnqueueAsync(new QueuedDownlink(Guid.NewGuid(), DevEui, 1, new byte[limit + 1], false), SimulatedNetwork.App, Ct));
        Assert.Equal("data", refused.Field);
        Assert.Contains($"{limit + 1} bytes exceed the {limit}-byte maximum of {plan.Name}", refused.Problem, StringComparison.Ordinal);
        Assert.Equal(LogEventCode.DownlinkPayloadSize, (await NextAsync<LogEvent>(logs)).Code);
        Assert.Equal(limit, (await net.Store.DequeueDownlinkAsync(DevEui, Ct))!.Data.Length);
        Assert.Null(await net.Store.DequeueDownlinkAsync(DevEui, Ct));

        // Another application cannot queue for this device.
        Assert.Equal("devEui", (await Assert.ThrowsAsync<NetworkStoreException>(() => queue.EnqueueAsync(new QueuedDownlink(Guid.NewGuid(), DevEui, 1, [1], false), AppId.Parse("8"), Ct))).Field);
    }


    [Fact]
    public async Task Mqtt_downlink_command_too_large_or_for_another_application_is_not_queued()
    {
        var (net, _) = await AbpAsync();
        using var __ = net;
        using var logs = net.Published.Subscribe("application/7/device/+/event/log");
        var queue = new DownlinkQueue(net.Store, net.Events, new RegionPlanCache(), net.Time);
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        // No uplink yet: only RX2 (DR0, N 51) is known.
        await DePin.Wireless.NetworkServer.Server.NetworkServerHost.EnqueueFromMqttAsync(queue, new ReceivedDownlinkCommand(SimulatedNetwork.App, new DownlinkCommand(DevEui, false, 3, new byte[52])), logger, Ct);
        Assert.Equal("52", (await NextAsync<LogEvent>(logs)).Context["payload_size"]);
        await DePin.Wireless.NetworkServer.Server.NetworkServerHost.EnqueueFromMqttAsync(queue, new ReceivedDownlinkCommand(AppId.Parse("8"), new DownlinkCommand(DevEui, false, 3, [1])), logger, Ct);
        Assert.Null(await net.Store.DequeueDownlinkAsync(DevEui, Ct));

        await DePin.Wireless.NetworkServer.Server.NetworkServerHost.EnqueueFromMqttAsync(queue, new ReceivedDownlinkCommand(SimulatedNetwork.App, new DownlinkCommand(DevEui, true, 3, new byte[51])), logger, Ct);
        Assert.Equal(51, (await net.Store.DequeueDownlinkAsync(DevEui, Ct))!.Data.Length);
    }
}
