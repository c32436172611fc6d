using System.Text;
using DePin.Wireless.NetworkServer.Mqtt;
using static DePin.Wireless.NetworkServer.Tests.Mqtt.MqttBrokerHarness;

namespace DePin.Wireless.NetworkServer.Tests.Mqtt;

/// <summary>MqttClient against a real mosquitto 2.0 broker (Debian package) on a free loopback port.</summary>
public class MqttClientBrokerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(700);

    [Fact]
    public async Task Connects_with_valid_credentials()
    {
        await using var broker = await StartAsync();
        var client = await broker.ConnectAsync(NsUser);
        Assert.Equal(MqttConnectionState.Connected, client.State);
    }

    [Fact]
    public async Task Bad_password_is_a_clear_connect_error_and_leaves_the_client_disconnected()
    {
        await using var broker = await StartAsync();
        var options = broker.Options(NsUser);
        options.Password = "wrong";
        var client = broker.Create(options);
        var ex = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(Timeout()));
        // mosquitto 2.0.11 answers a wrong password on a 3.1.1 connection with CONNACK 5 (not authorised), not 4.
        Assert.Equal(MqttConnectReturnCode.NotAuthorized, ex.ReturnCode);
        Assert.Contains("not authorised", ex.Message);
        Assert.Equal(MqttConnectionState.Disconnected, client.State);
        await Assert.ThrowsAsync<MqttNotConnectedException>(() => client.PublishAsync("a", default, MqttQos.AtMostOnce, false, Timeout()));
    }

    [Fact]
    public async Task Unknown_user_is_refused()
    {
        await using var broker = await StartAsync();
        var options = broker.Options(NsUser);
        options.UserName = "nobody";
        var ex = await Assert.ThrowsAsync<MqttConnectException>(() => broker.Create(options).ConnectAsync(Timeout()));
        Assert.NotEqual(MqttConnectReturnCode.Accepted, ex.ReturnCode);
    }

    [Theory]
    [InlineData(MqttQos.AtMostOnce)]
    [InlineData(MqttQos.AtLeastOnce)]
    public async Task Publish_round_trips_through_the_broker(MqttQos qos)
    {
        await using var broker = await StartAsync();
        var subscriber = await broker.ConnectAsync(NsUser);
        var publisher = await broker.ConnectAsync(NsUser);
        Assert.Equal(qos, await subscriber.SubscribeAsync("test/+/data", qos, Timeout()));
        await publisher.PublishAsync("test/42/data", "hello"u8.ToArray(), qos, false, Timeout());
        var message = await NextAsync(subscriber.Messages, Wait);
        Assert.NotNull(message);
        Assert.Equal("test/42/data", message.Topic);
        Assert.Equal("hello", Encoding.UTF8.GetString(message.Payload.Span));
        Assert.Equal(qos, message.Qos);
        Assert.False(message.Retain);
    }

    [Fact]
    public async Task Many_qos1_messages_arrive_complete_and_in_order()
    {
        await using var broker = await StartAsync();
        var subscriber = await broker.ConnectAsync(NsUser);
        var publisher = await broker.ConnectAsync(NsUser);
        await subscriber.SubscribeAsync("bulk", MqttQos.AtLeastOnce, Timeout());
        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => publisher.PublishAsync("bulk", BitConverter.GetBytes(i), MqttQos.AtLeastOnce, false, Timeout(20))));
        var received = new List<int>();
        while (received.Count < 500 && await NextAsync(subscriber.Messages, Wait) is { } m)
        {
            received.Add(BitConverter.ToInt32(m.Payload.Span));
        }

        Assert.Equal(Enumerable.Range(0, 500), received.Order());
    }

    [Fact]
    public async Task Retained_message_reaches_a_later_subscriber_with_the_retain_flag()
    {
        await using var broker = await StartAsync();
        var publisher = await broker.ConnectAsync(NsUser);
        await publisher.PublishAsync("status/ns", "online"u8.ToArray(), MqttQos.AtLeastOnce, retain: true, Timeout());
        var late = await broker.ConnectAsync(NsUser);
        await late.SubscribeAsync("status/#", MqttQos.AtLeastOnce, Timeout());
        var message = await NextAsync(late.Messages, Wait);
        Assert.NotNull(message);
        Assert.True(message.Retain);
        Assert.Equal("online", Encoding.UTF8.GetString(message.Payload.Span));
    }

    [Fact]
    public async Task Unsubscribe_stops_delivery()
    {
        await using var broker = await StartAsync();
        var client = await broker.ConnectAsync(NsUser);
        await client.SubscribeAsync("u/t", MqttQos.AtLeastOnce, Timeout());
        await client.UnsubscribeAsync("u/t", Timeout());
        Assert.Empty(client.ActiveSubscriptions);
        await client.PublishAsync("u/t", "x"u8.ToArray(), MqttQos.AtLeastOnce, false, Timeout());
        Assert.Null(await NextAsync(client.Messages, Quiet));
    }

    [Fact]
    public async Task Keep_alive_pings_hold_an_idle_connection_open()
    {
        await using var broker = await StartAsync();
        var client = await broker.ConnectAsync(NsUser, o => o.KeepAlive = TimeSpan.FromSeconds(1));
        var transitions = 0;
        client.StateChanged += (_, _) => Interlocked.Increment(ref transitions);
        await client.SubscribeAsync("idle", MqttQos.AtMostOnce, Timeout());
        // mosquitto drops a client silent for 1.5 x keep-alive; 3.5 s idle proves the PINGREQs went out.
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        Assert.Equal(0, transitions);
        Assert.Equal(MqttConnectionState.Connected, client.State);
        var other = await broker.ConnectAsync(NsUser);
        await other.PublishAsync("idle", "still here"u8.ToArray(), MqttQos.AtMostOnce, false, Timeout());
        Assert.NotNull(await NextAsync(client.Messages, Wait));
    }

    [Fact]
    public async Task Missing_pingresp_is_detected_and_the_client_reconnects_when_the_broker_recovers()
    {
        await using var broker = await StartAsync();
        var client = await broker.ConnectAsync(NsUser, o =>
        {
            o.KeepAlive = TimeSpan.FromSeconds(1);
            o.PingTimeout = TimeSpan.FromSeconds(1);
        });
        await client.SubscribeAsync("after/hang", MqttQos.AtLeastOnce, Timeout());
        await broker.Server.PauseAsync();
        await WaitForStateAsync(client, MqttConnectionState.Reconnecting, TimeSpan.FromSeconds(5));
        await broker.Server.ResumeAsync();
        await WaitForStateAsync(client, MqttConnectionState.Connected, TimeSpan.FromSeconds(10));
        var other = await broker.ConnectAsync(NsUser);
        await other.PublishAsync("after/hang", "ok"u8.ToArray(), MqttQos.AtLeastOnce, false, Timeout());
        Assert.NotNull(await NextAsync(client.Messages, Wait));
    }

    [Fact]
    public async Task Persistent_session_receives_qos1_messages_published_while_offline()
    {
        await using var broker = await StartAsync();
        var options = broker.Options(NsUser, clientId: "ns-persistent");
        options.CleanSession = false;
        var first = broker.Create(options);
        await first.ConnectAsync(Timeout());
        await first.SubscribeAsync("offline/+", MqttQos.AtLeastOnce, Timeout());
        await first.DisconnectAsync(Timeout());

        var publisher = await broker.ConnectAsync(NsUser);
        for (var i = 0; i < 3; i++)
        {
            await publisher.PublishAsync($"offline/{i}", new[] { (byte)i }, MqttQos.AtLeastOnce, false, Timeout());
        }

        var second = broker.Create(options);
        var result = await second.ConnectAsync(Timeout());
        Assert.True(result.SessionPresent);
        var topics = new List<string>();
        while (topics.Count < 3 && await NextAsync(second.Messages, Wait) is { } m)
        {
            topics.Add(m.Topic);
        }

        Assert.Equal(["offline/0", "offline/1", "offline/2"], topics);
    }

    [Fact]
    public async Task After_a_broker_restart_the_client_reconnects_and_its_subscriptions_work_again()
    {
        await using var broker = await StartAsync();
        var subscriber = await broker.ConnectAsync(NsUser);
        var states = new List<MqttConnectionState>();
        subscriber.StateChanged += (_, s) => { lock (states) { states.Add(s); } };
        await subscriber.SubscribeAsync("application/+/device/+/command/down", MqttQos.AtLeastOnce, Timeout());
        await subscriber.SubscribeAsync("gateway/#", MqttQos.AtMostOnce, Timeout());

        // persistence is off: the restarted broker has forgotten every session, so only the client's re-subscribe helps.
        await broker.Server.RestartAsync();
        await WaitForStateAsync(subscriber, MqttConnectionState.Reconnecting, TimeSpan.FromSeconds(5));
        await WaitForStateAsync(subscriber, MqttConnectionState.Connected, TimeSpan.FromSeconds(10));

        var publisher = await broker.ConnectAsync(NsUser);
        await publisher.PublishAsync("application/1/device/0102030405060708/command/down", "{}"u8.ToArray(), MqttQos.AtLeastOnce, false, Timeout());
        await publisher.PublishAsync("gateway/aa/event/up", "{}"u8.ToArray(), MqttQos.AtLeastOnce, false, Timeout());
        var topics = new[] { await NextAsync(subscriber.Messages, Wait), await NextAsync(subscriber.Messages, Wait) }.Select(m => m?.Topic).ToArray();
        Assert.Equal(new string?[] { "application/1/device/0102030405060708/command/down", "gateway/aa/event/up" }, topics);
        lock (states)
        {
            Assert.Equal([MqttConnectionState.Reconnecting, MqttConnectionState.Connected], states);
        }

        // A second restart works just as well (idempotent re-subscribe).
        await broker.Server.RestartAsync();
        await WaitForStateAsync(subscriber, MqttConnectionState.Reconnecting, TimeSpan.FromSeconds(5));
        await WaitForStateAsync(subscriber, MqttConnectionState.Connected, TimeSpan.FromSeconds(10));
        await WaitForStateAsync(publisher, MqttConnectionState.Connected, TimeSpan.FromSeconds(10));
        await publisher.PublishAsync("gateway/bb/event/up", "{}"u8.ToArray(), MqttQos.AtLeastOnce, false, Timeout());
        Assert.Equal("gateway/bb/event/up", (await NextAsync(subscriber.Messages, Wait))?.Topic);
    }

    [Fact]
    public async Task Qos1_publish_during_an_outage_is_redelivered_after_the_broker_recovers()
    {
        await using var broker = await StartAsync();
        var subscriber = await broker.ConnectAsync(NsUser, o => o.KeepAlive = TimeSpan.FromSeconds(60));
        await subscriber.SubscribeAsync("outage", MqttQos.AtLeastOnce, Timeout());
        var publisher = await broker.ConnectAsync(NsUser, o =>
        {
            o.KeepAlive = TimeSpan.FromSeconds(1);
            o.PingTimeout = TimeSpan.FromMilliseconds(500);
        });

        await broker.Server.PauseAsync();
        await WaitForStateAsync(publisher, MqttConnectionState.Reconnecting, TimeSpan.FromSeconds(5));
        var publish = publisher.PublishAsync("outage", "kept"u8.ToArray(), MqttQos.AtLeastOnce, false, Timeout(20));
        await Task.Delay(300);
        Assert.False(publish.IsCompleted, "no PUBACK can arrive while the broker is frozen");
        await broker.Server.ResumeAsync();

        await publish;
        var message = await NextAsync(subscriber.Messages, Wait);
        Assert.NotNull(message);
        Assert.Equal("kept", Encoding.UTF8.GetString(message.Payload.Span));
    }

    [Fact]
    public async Task Abrupt_socket_loss_fires_the_will_and_the_client_recovers_with_its_subscriptions()
    {
        await using var broker = await StartAsync();
        var observer = await broker.ConnectAsync(NsUser);
        await observer.SubscribeAsync("ns/status", MqttQos.AtLeastOnce, Timeout());
        var options = broker.Options(NsUser);
        options.Will = new MqttWill("ns/status", "offline"u8.ToArray(), MqttQos.AtLeastOnce, Retain: false);
        var transport = new CuttableTransport(options);
        await using var client = new MqttClient(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<MqttClient>.Instance, TimeProvider.System, transport, new Random(3));
        await client.ConnectAsync(Timeout());
        await client.SubscribeAsync("cmd/#", MqttQos.AtLeastOnce, Timeout());

        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StateChanged += (_, s) => { if (s == MqttConnectionState.Connected) reconnected.TrySetResult(); };
        transport.Cut();
        var will = await NextAsync(observer.Messages, Wait);
        Assert.Equal("offline", will is null ? null : Encoding.UTF8.GetString(will.Payload.Span));

        await reconnected.Task.WaitAsync(Wait);
        await observer.PublishAsync("cmd/1", "go"u8.ToArray(), MqttQos.AtLeastOnce, false, Timeout());
        Assert.Equal("cmd/1", (await NextAsync(client.Messages, Wait))?.Topic);
    }

    [Fact]
    public async Task Clean_disconnect_does_not_fire_the_will()
    {
        await using var broker = await StartAsync();
        var observer = await broker.ConnectAsync(NsUser);
        await observer.SubscribeAsync("ns/status", MqttQos.AtLeastOnce, Timeout());
        var client = await broker.ConnectAsync(NsUser, o => o.Will = new MqttWill("ns/status", "offline"u8.ToArray(), MqttQos.AtLeastOnce, false));
        await client.DisconnectAsync(Timeout());
        Assert.Null(await NextAsync(observer.Messages, Quiet));
    }

    [Fact]
    public async Task Disconnect_stops_reconnecting_and_fails_new_operations_clearly()
    {
        await using var broker = await StartAsync();
        var client = await broker.ConnectAsync(NsUser);
        await client.DisconnectAsync(Timeout());
        Assert.Equal(MqttConnectionState.Disconnected, client.State);
        var ex = await Assert.ThrowsAsync<MqttNotConnectedException>(() => client.SubscribeAsync("x", MqttQos.AtMostOnce, Timeout()));
        Assert.Contains("ConnectAsync", ex.Message);
        await client.ConnectAsync(Timeout());
        Assert.Equal(MqttConnectionState.Connected, client.State);
    }

    [Fact]
    public async Task With_reconnect_disabled_a_lost_connection_ends_in_Disconnected()
    {
        await using var broker = await StartAsync();
        var client = await broker.ConnectAsync(NsUser, o => o.Reconnect.Enabled = false);
        await broker.Server.RestartAsync();
        await WaitForStateAsync(client, MqttConnectionState.Disconnected, TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<MqttNotConnectedException>(() => client.PublishAsync("x", default, MqttQos.AtLeastOnce, false, Timeout()));
    }

    [Fact]
    public async Task Dispose_while_reconnecting_stops_the_retry_loop_and_fails_waiting_publishes()
    {
        await using var broker = await StartAsync();
        var client = await broker.ConnectAsync(NsUser);
        await broker.Server.StopAsync();
        await WaitForStateAsync(client, MqttConnectionState.Reconnecting, TimeSpan.FromSeconds(5));
        var pending = client.PublishAsync("queued", "x"u8.ToArray(), MqttQos.AtLeastOnce, false, Timeout());
        await client.DisposeAsync();
        Assert.Equal(MqttConnectionState.Closed, client.State);
        await Assert.ThrowsAsync<MqttNotConnectedException>(() => pending);
    }

    [Fact]
    public async Task Invalid_topics_are_refused_before_anything_is_sent()
    {
        await using var broker = await StartAsync();
        var client = await broker.ConnectAsync(NsUser);
        await Assert.ThrowsAsync<ArgumentException>(() => client.PublishAsync("a/+/b", default, MqttQos.AtMostOnce, false, Timeout()));
        await Assert.ThrowsAsync<ArgumentException>(() => client.SubscribeAsync("a/#/b", MqttQos.AtMostOnce, Timeout()));
        Assert.Equal(MqttConnectionState.Connected, client.State);
    }
}
