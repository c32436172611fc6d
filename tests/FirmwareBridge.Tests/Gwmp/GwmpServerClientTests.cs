using System.Net;
using System.Net.Sockets;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.FirmwareBridge.Gwmp;
using DePin.Wireless.TestSupport;
using static DePin.Wireless.FirmwareBridge.Tests.Gwmp.GwmpTestData;

namespace DePin.Wireless.FirmwareBridge.Tests.Gwmp;

/// <summary>Our server and our client against each other on 127.0.0.1.</summary>
public sealed class GwmpServerClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly List<IDisposable> _owned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops).WaitAsync(Patience);
        _owned.ForEach(o => o.Dispose());
        _stop.Dispose();
    }

    [Fact]
    public async Task Uplink_is_acknowledged_and_delivered_with_gateway_and_metadata()
    {
        var server = StartServer();
        var client = StartClient(server, keepalives: false);
        var rx = FullRxPacket();

        var outcome = await client.PushAsync([rx]);

        Assert.True(outcome.Acknowledged);
        Assert.Equal(1, outcome.Attempts);
        var uplink = await server.Uplinks.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(Gateway, uplink.Gateway);
        Assert.Equal(client.LocalEndPoint, uplink.Source);
        Assert.Equal(rx.Tmst, uplink.Packet.Tmst);
        Assert.Equal(rx.Data, uplink.Packet.Data);
        Assert.Equal(rx.RssiSignal, uplink.Packet.RssiSignal);
        Assert.Equal(1, server.Counters.PushData);
        Assert.Equal(1, server.Counters.Uplinks);
        Assert.Equal(1, client.Counters.PushAcked);
        Assert.Equal(100, client.Counters.AckRatioPercent);
    }

    [Fact]
    public async Task Status_report_is_kept_per_gateway()
    {
        var server = StartServer();
        var client = StartClient(server, keepalives: false);
        Assert.True((await client.PushAsync([], FullStatus())).Acknowledged);

        Assert.True(server.TryGetLatestStatus(Gateway, out var report));
        Assert.Equal(FullStatus(), report!.Status);
        Assert.Equal(1, server.Counters.StatusReports);
        Assert.Equal(0, server.Counters.Uplinks);
        Assert.Equal(Gateway, Assert.Single(server.GatewayActivities()).Gateway);
    }

    [Fact]
    public async Task Pull_data_is_acknowledged_and_registers_the_gateway_endpoint()
    {
        var server = StartServer();
        var client = StartClient(server, keepalives: false);

        Assert.True(await client.PullAsync());

        Assert.True(server.Registry.TryGet(Gateway, out var link));
        Assert.Equal(client.LocalEndPoint, link.Endpoint);
        Assert.Equal(1, client.Counters.PullAcked);
    }

    [Fact]
    public async Task Downlink_reaches_the_client_and_its_tx_ack_completes_the_send()
    {
        var server = StartServer();
        var client = StartClient(server);
        await WaitForGatewayAsync(server);
        var txpk = TxPacket.LoraAt(5_000_000, new Hz(869_525_000), new DataRate(12, 125), 27, [0x20, 1, 2, 3]);

        var ack = await server.SendDownlinkAsync(Gateway, txpk).WaitAsync(Patience);

        Assert.True(ack.IsSuccess);
        var received = await client.Downlinks.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(txpk.Tmst, received.Packet.Tmst);
        Assert.Equal(txpk.Data, received.Packet.Data);
        Assert.True(received.Packet.InvertPolarity);
        Assert.Equal(1, server.Counters.TxAcks);
        Assert.Equal(1, client.Counters.TxAcksSent);
    }

    [Fact]
    public async Task Class_A_downlink_falls_back_to_RX2_when_the_concentrator_is_too_late_for_RX1()
    {
        var server = StartServer();
        var requests = new List<TxPacket>();
        var client = StartClient(server, onDownlink: (txpk, _) =>
        {
            lock (requests)
            {
                requests.Add(txpk);
            }

            // A concentrator whose JIT queue already passed RX1 (sx1302_hal jitqueue.c: TOO_LATE).
            return ValueTask.FromResult(new TxAck(requests.Count == 1 ? TxAckError.TooLate : TxAckError.None));
        });
        await WaitForGatewayAsync(server);
        const uint uplinkTmst = uint.MaxValue - 400_000; // RX1 and RX2 timestamps wrap around 2^32
        var request = new ClassADownlink(Gateway, uplinkTmst, [0x60, 9, 9], new Hz(868_100_000), new DataRate(7, 125), new Hz(869_525_000), new DataRate(12, 125), 14);

        var result = await server.SendClassADownlinkAsync(request).WaitAsync(Patience);

        Assert.Equal(DownlinkWindow.Rx2, result.SentIn);
        Assert.Equal(TxAckError.TooLate, result.Rx1Ack.Error);
        Assert.True(result.Rx2Ack!.Value.IsSuccess);
        Assert.Equal(2, requests.Count);
        Assert.Equal(unchecked(uplinkTmst + 1_000_000u), requests[0].Tmst);
        Assert.Equal(599_999u, requests[0].Tmst);
        Assert.Equal(new Hz(868_100_000), requests[0].Frequency);
        Assert.Equal(unchecked(uplinkTmst + 2_000_000u), requests[1].Tmst);
        Assert.Equal(new Hz(869_525_000), requests[1].Frequency);
        Assert.Equal(new DataRate(12, 125), requests[1].LoraDataRate);
    }

    [Fact]
    public async Task Class_A_downlink_sent_in_RX1_does_not_touch_RX2_and_other_errors_are_not_retried()
    {
        var server = StartServer();
        var answers = new Queue<TxAckError>([TxAckError.None, TxAckError.CollisionPacket]);
        var client = StartClient(server, onDownlink: (_, _) => ValueTask.FromResult(new TxAck(answers.Dequeue())));
        await WaitForGatewayAsync(server);
        var request = new ClassADownlink(Gateway, 10, [1], new Hz(868_300_000), new DataRate(9, 125), new Hz(869_525_000), new DataRate(12, 125), 14) { Rx1Delay = TimeSpan.FromSeconds(5) };
        Assert.Equal(5_000_010u, request.TmstFor(DownlinkWindow.Rx1));
        Assert.Equal(6_000_010u, request.TmstFor(DownlinkWindow.Rx2));

        var first = await server.SendClassADownlinkAsync(request).WaitAsync(Patience);
        var second = await server.SendClassADownlinkAsync(request).WaitAsync(Patience);

        Assert.Equal(DownlinkWindow.Rx1, first.SentIn);
        Assert.Null(first.Rx2Ack);
        Assert.False(second.Sent);
        Assert.Equal(TxAckError.CollisionPacket, second.Rx1Ack.Error);
        Assert.Null(second.Rx2Ack);
        Assert.Equal(2, server.Counters.DownlinksSent);
    }

    [Fact]
    public async Task Gateway_endpoint_expires_without_keepalive_and_follows_the_latest_pull_data()
    {
        var clock = new ManualTimeProvider();
        var server = StartServer(clock);
        var first = StartClient(server, keepalives: false);
        Assert.True(await first.PullAsync());
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(server.Registry.TryGet(Gateway, out var link));
        Assert.Equal(first.LocalEndPoint, link.Endpoint);

        // The same gateway behind a new NAT mapping: the newest PULL_DATA source wins.
        var second = StartClient(server, keepalives: false);
        Assert.True(await second.PullAsync());
        Assert.True(server.Registry.TryGet(Gateway, out link));
        Assert.Equal(second.LocalEndPoint, link.Endpoint);

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(server.Registry.TryGet(Gateway, out _));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(server.Registry.TryGet(Gateway, out _));
        var error = await Assert.ThrowsAsync<GatewayNotConnectedException>(() => server.SendDownlinkAsync(Gateway, TxPacket.LoraAt(1, new Hz(869_525_000), new DataRate(12, 125), 14, [1])));
        Assert.Contains(Gateway.ToString(), error.Message);
        Assert.Equal(1, server.Registry.Prune());
        Assert.Empty(server.Registry.Active());
    }

    [Fact]
    public async Task Downlink_without_tx_ack_times_out()
    {
        var server = StartServer(options: new GwmpServerOptions { BindAddress = "127.0.0.1", Port = 0, DownlinkAckTimeout = TimeSpan.FromMilliseconds(200) });
        using var silentGateway = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silentGateway.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var pull = new byte[12];
        GwmpEncoder.WritePullData(pull, new GwmpToken(1), Gateway);
        await silentGateway.SendToAsync(pull, server.LocalEndPoint);
        await WaitForGatewayAsync(server);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => server.SendDownlinkAsync(Gateway, TxPacket.LoraAt(1, new Hz(869_525_000), new DataRate(12, 125), 14, [1])));

        Assert.Contains("no TX_ACK", error.Message);
        Assert.Equal(1, server.Counters.DownlinkTimeouts);
    }

    [Fact]
    public async Task Malformed_datagrams_are_reported_counted_and_not_acknowledged_and_the_loop_survives()
    {
        var server = StartServer();
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var source = (IPEndPoint)sender.LocalEndPoint!;

        await sender.SendToAsync(new byte[] { 2, 1 }, server.LocalEndPoint);
        await sender.SendToAsync(new byte[] { 9, 1, 2, 0, 1, 2, 3, 4, 5, 6, 7, 8 }, server.LocalEndPoint);
        await sender.SendToAsync(PushData("{\"rxpk\":[{\"tmst\":"), server.LocalEndPoint);
        await sender.SendToAsync(PushData(Rx(MinimalRxFields.Replace("\"size\":3", "\"size\":9"))), server.LocalEndPoint);

        var reported = new List<MalformedDatagram>();
        for (var i = 0; i < 4; i++)
        {
            reported.Add(await server.Errors.ReadAsync().AsTask().WaitAsync(Patience));
        }

        Assert.All(reported, r => Assert.Equal(source, r.Source));
        Assert.Equal([GwmpErrorKind.TooShort, GwmpErrorKind.UnknownVersion, GwmpErrorKind.BadJson, GwmpErrorKind.SizeMismatch], reported.Select(r => r.Error.Kind));
        Assert.Equal(1, server.Counters.Malformed(GwmpErrorKind.SizeMismatch));
        Assert.Equal(4, server.Counters.MalformedTotal);
        Assert.Equal(0, server.Counters.Uplinks);

        // Nothing was acknowledged; a valid datagram afterwards is, which proves the loop is alive.
        await sender.SendToAsync(PushData(Rx(MinimalRxFields), token: 0x0a0b), server.LocalEndPoint);
        var reply = new byte[64];
        using var wait = new CancellationTokenSource(Patience);
        var n = await sender.ReceiveAsync(reply, SocketFlags.None, wait.Token);
        Assert.Equal(new byte[] { 2, 0x0b, 0x0a, 1 }, reply[..n]);
        Assert.Equal(1, server.Counters.Uplinks);
    }

    [Fact]
    public async Task Client_reports_stat_every_interval_with_counts_since_the_previous_report()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 21, 9, 30, 0, TimeSpan.Zero));
        var server = StartServer();
        var options = new GwmpClientOptions
        {
            Gateway = Gateway,
            ServerPort = server.LocalEndPoint.Port,
            KeepaliveInterval = TimeSpan.Zero,
            AckTimeout = TimeSpan.FromSeconds(2),
            StatusInterval = TimeSpan.FromSeconds(30),
            Latitude = 52.37,
            Longitude = 4.89,
            Altitude = 3,
        };
        var client = Own(new GwmpClient(options, time: clock, random: new Random(3)));
        _loops.Add(client.RunAsync(_stop.Token));
        var good = FullRxPacket();
        Assert.True((await client.PushAsync([good, good with { CrcStatus = -1 }])).Acknowledged);

        clock.Advance(TimeSpan.FromSeconds(30));
        await WaitUntilAsync(() => server.Counters.StatusReports == 1);

        Assert.True(server.TryGetLatestStatus(Gateway, out var report));
        var stat = report!.Status;
        Assert.Equal(2u, stat.RxReceived);
        Assert.Equal(1u, stat.RxOk);
        Assert.Equal(2u, stat.RxForwarded);
        Assert.Equal(100, stat.AckRatioPercent);
        Assert.Equal(0u, stat.TxEmitted);
        Assert.Equal(52.37, stat.Latitude);
        Assert.Equal(3, stat.Altitude);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 9, 30, 30, TimeSpan.Zero), stat.Time);

        // The next report counts only what happened since this one.
        var next = client.NextStatus();
        Assert.Equal(0u, next.RxReceived);
        Assert.Equal(1, client.Counters.StatusSent);
    }

    [Fact]
    public async Task Client_survives_a_downlink_handler_that_throws()
    {
        // The ack timeout also bounds the second, good downlink: 1 s leaves room for a loaded machine (test projects
        // run in parallel on two cores) while the first, faulting call still times out quickly.
        var server = StartServer(options: new GwmpServerOptions { BindAddress = "127.0.0.1", Port = 0, DownlinkAckTimeout = TimeSpan.FromSeconds(1) });
        var calls = 0;
        var client = StartClient(server, onDownlink: (_, _) => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidOperationException("simulated concentrator fault")
            : ValueTask.FromResult(TxAck.Ok));
        await WaitForGatewayAsync(server);
        var txpk = TxPacket.LoraAt(1, new Hz(869_525_000), new DataRate(12, 125), 14, [1]);

        await Assert.ThrowsAsync<TimeoutException>(() => server.SendDownlinkAsync(Gateway, txpk));
        var ack = await server.SendDownlinkAsync(Gateway, txpk).WaitAsync(Patience);

        Assert.True(ack.IsSuccess);
        Assert.Equal(2, calls);
        Assert.True((await client.PushAsync([FullRxPacket()])).Acknowledged);
    }

    [Fact]
    public async Task Client_counts_retries_and_timeouts_when_nobody_acknowledges()
    {
        using var blackHole = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        blackHole.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var options = new GwmpClientOptions { Gateway = Gateway, ServerPort = ((IPEndPoint)blackHole.LocalEndPoint!).Port, AckTimeout = TimeSpan.FromMilliseconds(50), PushRetries = 2 };
        var client = Own(new GwmpClient(options, random: new Random(7)));
        _loops.Add(client.RunAsync(_stop.Token));

        var outcome = await client.PushAsync([FullRxPacket()]);

        Assert.False(outcome.Acknowledged);
        Assert.Equal(3, outcome.Attempts);
        Assert.Equal(3, client.Counters.PushSent);
        Assert.Equal(2, client.Counters.PushRetried);
        Assert.Equal(1, client.Counters.PushTimedOut);
        Assert.Equal(0, client.Counters.AckRatioPercent);
    }

    [Fact]
    public async Task Client_sends_keepalives_on_its_interval()
    {
        var clock = new ManualTimeProvider();
        var server = StartServer();
        var client = StartClient(server, clock: clock, keepalive: TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => client.Counters.PullAcked == 1);
        clock.Advance(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => client.Counters.PullAcked == 2);
        clock.Advance(TimeSpan.FromSeconds(9));
        await Task.Delay(100);
        Assert.Equal(2, client.Counters.PullSent);
        clock.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => client.Counters.PullAcked == 3);
        Assert.Equal(3, server.Counters.PullData);
    }

    private GwmpServer StartServer(TimeProvider? clock = null, GwmpServerOptions? options = null)
    {
        var server = Own(new GwmpServer(options ?? new GwmpServerOptions { BindAddress = "127.0.0.1", Port = FreePort.Udp() }, clock, new Random(1)));
        _loops.Add(server.RunAsync(_stop.Token));
        return server;
    }

    private GwmpClient StartClient(GwmpServer server, DownlinkHandler? onDownlink = null, bool keepalives = true, TimeProvider? clock = null, TimeSpan? keepalive = null)
    {
        var options = new GwmpClientOptions
        {
            Gateway = Gateway,
            ServerPort = server.LocalEndPoint.Port,
            AckTimeout = TimeSpan.FromSeconds(2),
            KeepaliveInterval = keepalives ? keepalive ?? TimeSpan.FromSeconds(5) : TimeSpan.Zero,
        };
        var client = Own(new GwmpClient(options, onDownlink, clock, new Random(2)));
        _loops.Add(client.RunAsync(_stop.Token));

        return client;
    }

    private static Task WaitForGatewayAsync(GwmpServer server) => WaitUntilAsync(() => server.Registry.TryGet(Gateway, out _));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(10);
        }
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}
