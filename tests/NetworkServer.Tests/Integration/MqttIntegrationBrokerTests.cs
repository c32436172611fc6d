using System.Threading.Channels;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.NetworkServer.Mqtt;
using DePin.Wireless.NetworkServer.Pipeline;
using DePin.Wireless.NetworkServer.Storage;
using DePin.Wireless.NetworkServer.Tests.Pipeline;
using DePin.Wireless.NetworkServer.Tests.Mqtt;
using DePin.Wireless.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using static DePin.Wireless.NetworkServer.Tests.Mqtt.MqttBrokerHarness;

namespace DePin.Wireless.NetworkServer.Tests.Integration;

/// <summary>Network server and application talking ChirpStack topics through a real mosquitto with the generated ACL.</summary>
public class MqttIntegrationBrokerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly MosquittoUser Ns = new("network-server", "ns-pw", []);
    private static readonly MosquittoUser App7 = new("app-7", "pw-7", []);

    private static Task<MqttBrokerHarness> StartAsync() =>
        MqttBrokerHarness.StartAsync(new MosquittoAclGenerator(new MosquittoAclOptions()).Generate([AppId.Parse("7")]), [Ns, App7]);

    [Fact]
    public async Task Uplink_event_published_by_the_network_server_reaches_the_application_as_chirpstack_json()
    {
        await using var broker = await StartAsync();
        var ns = await broker.ConnectAsync(Ns);
        var app = await broker.ConnectAsync(App7);
        await app.SubscribeAsync("application/7/device/+/event/+", MqttQos.AtLeastOnce, Timeout());

        await new MqttEventPublisher(ns, new MqttEventPublisherOptions()).PublishAsync(IntegrationEventTests.Uplink, Timeout());

        var message = await NextAsync(app.Messages, Wait);
        Assert.NotNull(message);
        Assert.Equal("application/7/device/0102030405060708/event/up", message.Topic);
        var received = IntegrationJson.Deserialize<UplinkEvent>(message.Payload.Span);
        Assert.Equal(IntegrationEventTests.Uplink.Data, received.Data);
        Assert.Equal(IntegrationEventTests.Uplink.DeduplicationId, received.DeduplicationId);
    }

    [Fact]
    public async Task Application_downlink_commands_reach_the_listener_and_bad_ones_are_rejected_with_the_field()
    {
        await using var broker = await StartAsync();
        var ns = await broker.ConnectAsync(Ns);
        var dispatcher = new MqttMessageDispatcher(ns.Messages, NullLogger<MqttMessageDispatcher>.Instance);
        var listener = new DownlinkCommandListener(ns, dispatcher, NullLogger<DownlinkCommandListener>.Instance);
        var commands = Channel.CreateUnbounded<ReceivedDownlinkCommand>();
        var rejected = Channel.CreateUnbounded<RejectedDownlinkCommand>();
        listener.Rejected += (_, r) => rejected.Writer.TryWrite(r);
        await listener.StartAsync((c, _) => commands.Writer.WriteAsync(c).AsTask(), Timeout());
        using var stop = new CancellationTokenSource();
        var run = dispatcher.RunAsync(stop.Token);

        var app = await broker.ConnectAsync(App7);
        var topic = ApplicationTopics.CommandDown(AppId.Parse("7"), IntegrationEventTests.Device);
        await app.PublishAsync(topic, """{"devEui":"0102030405060708","fPort":300,"data":"AQ=="}"""u8.ToArray(), MqttQos.AtLeastOnce, false, Timeout());
        await app.PublishAsync(topic, """{"devEui":"0102030405060708","confirmed":true,"fPort":15,"data":"AQI="}"""u8.ToArray(), MqttQos.AtLeastOnce, false, Timeout());

        using var wait = new CancellationTokenSource(Wait);
        var bad = await rejected.Reader.ReadAsync(wait.Token);
        Assert.Equal(("fPort", topic), (bad.Field, bad.Topic));
        var good = await commands.Reader.ReadAsync(wait.Token);
        Assert.Equal(AppId.Parse("7"), good.ApplicationId);
        Assert.Equal((IntegrationEventTests.Device, true, (byte)15), (good.Command.DevEui, good.Command.Confirmed, good.Command.FPort));
        Assert.Equal(new byte[] { 1, 2 }, good.Command.Data);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task Ack_and_status_events_of_the_pipeline_reach_the_application_through_mosquitto()
    {
        await using var broker = await StartAsync();
        var ns = await broker.ConnectAsync(Ns);
        var app = await broker.ConnectAsync(App7);
        await app.SubscribeAsync("application/7/device/+/event/+", MqttQos.AtLeastOnce, Timeout());
        var (net, device) = await DeviceEventTests.AbpAsync(new MqttEventPublisher(ns, new MqttEventPublisherOptions()), new MacResponderOptions { DevStatusRequestEveryUplinks = 0 });
        using var _ = net;
        var queued = new QueuedDownlink(Guid.NewGuid(), device.DevEui, 3, [7], Confirmed: true);
        await net.Store.EnqueueDownlinkAsync(queued, Timeout());

        await net.DeliverAsync(net.Report(0, device.Uplink(1, [1]), snr: 5));
        Assert.Equal("application/7/device/0004a30b001c0530/event/up", (await NextAsync(app.Messages, Wait))!.Topic);
        var statusFOpts = MacCommandCodec.Write([new DevStatusAns(254, 9)]);
        await net.DeliverAsync(net.Report(0, device.Uplink(1, [2], fOpts: statusFOpts, ack: true), snr: 5));

        var received = new Dictionary<string, ReadOnlyMemory<byte>>();
        while (received.Count < 3 && await NextAsync(app.Messages, Wait) is { } message)
        {
            received[message.Topic[(message.Topic.LastIndexOf('/') + 1)..]] = message.Payload;
        }

        Assert.Equal(["ack", "status", "up"], received.Keys.Order());
        using var ack = System.Text.Json.JsonDocument.Parse(received["ack"]);
        Assert.True(ack.RootElement.GetProperty("acknowledged").GetBoolean());
        Assert.Equal(queued.Id.ToString(), ack.RootElement.GetProperty("queueItemId").GetString());
        Assert.Equal(0u, ack.RootElement.GetProperty("fCntDown").GetUInt32());
        Assert.Equal("0004a30b001c0530", ack.RootElement.GetProperty("deviceInfo").GetProperty("devEui").GetString());
        using var status = System.Text.Json.JsonDocument.Parse(received["status"]);
        Assert.Equal((9, 100f, false), (status.RootElement.GetProperty("margin").GetInt32(), status.RootElement.GetProperty("batteryLevel").GetSingle(), status.RootElement.GetProperty("externalPowerSource").GetBoolean()));
    }
}
