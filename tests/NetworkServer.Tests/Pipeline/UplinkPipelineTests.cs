using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.NetworkServer.Pipeline;
using DePin.Wireless.NetworkServer.Storage;

namespace DePin.Wireless.NetworkServer.Tests.Pipeline;

/// <summary>The whole pipeline in process: signed reports from several hotspots in, answers and events out.</summary>
public class UplinkPipelineTests
{
    private static readonly Eui64 DevEui = Eui64.Parse("0004a30b001c0530");
    private static readonly AesKey NwkSKey = AesKey.Parse("44024241ed4ce9a68c6a8bc055233fd3");
    private static readonly AesKey AppSKey = AesKey.Parse("ec925802ae430ca77fd3dd73cb2cc588");

    private static async Task<(SimulatedNetwork Net, SimulatedDevice Device)> AbpAsync(int maxCopies = 3)
    {
        var net = new SimulatedNetwork(maxCopies: maxCopies);
        var addr = new DevAddr(0x48000042);
        await net.AddAbpDeviceAsync(DevEui, addr, NwkSKey, AppSKey);
        return (net, SimulatedDevice.Abp(DevEui, addr, NwkSKey, AppSKey));
    }

    private static async Task<PublishedEvent?> NextEventAsync(InProcessSubscription subscription)
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        try
        {
            return await subscription.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [Fact]
    public async Task Otaa_join_from_three_hotspots_answers_with_a_join_accept_through_the_best_one_and_publishes_a_join_event()
    {
        using var net = new SimulatedNetwork();
        await net.AddOtaaDeviceAsync(DevEui);
        using var joins = net.Published.Subscribe("application/7/device/+/event/join");
        var device = new SimulatedDevice(DevEui);
        var request = device.JoinRequest(devNonce: 0x1234);

        var answers = await net.DeliverAsync(net.Report(0, request, snr: 2), net.Report(1, request, snr: 9.5, tmst: 5_000_000), net.Report(2, request, snr: -3));

        Assert.All(answers, a => Assert.True(a.Accepted, a.Reason));
        Assert.Null(answers[0].Downlink);
        Assert.Null(answers[2].Downlink);
        var downlink = answers[1].Downlink;
        Assert.NotNull(downlink);
        var accept = device.AcceptJoin(downlink.Payload.ToByteArray(), 0x1234);
        Assert.InRange(accept.DevAddr.Value, 0x48000000u, 0x48ffffffu);
        Assert.Equal(1, accept.RxDelay);
        Assert.Equal(16, accept.CfList.Length);
        Assert.Equal(5_000_000u + 5_000_000u, downlink.Rx1.Tmst);
        Assert.Equal((868_100_000ul, "SF9BW125"), (downlink.Rx1.FrequencyHz, downlink.Rx1.Datarate));
        Assert.Equal((5_000_000u + 6_000_000u, 869_525_000ul, "SF12BW125"), (downlink.Rx2.Tmst, downlink.Rx2.FrequencyHz, downlink.Rx2.Datarate));
        Assert.True(downlink.Rx1.InvertPolarity);
        var joinEvent = await NextEventAsync(joins);
        Assert.Equal(accept.DevAddr.ToString(), Assert.IsType<JoinEvent>(joinEvent!.Event).DevAddr);

        // The joined device's first uplink decrypts under the derived keys.
        using var ups = net.Published.Subscribe("application/7/device/+/event/up");
        await net.DeliverAsync(net.Report(0, device.Uplink(1, [0xCA, 0xFE]), snr: 5));
        Assert.Equal([0xCA, 0xFE], Assert.IsType<UplinkEvent>((await NextEventAsync(ups))!.Event).Data);
    }

    [Fact]
    public async Task Replayed_devnonce_is_rejected_and_a_late_copy_inside_the_retention_is_not_processed_again()
    {
        using var net = new SimulatedNetwork();
        await net.AddOtaaDeviceAsync(DevEui);
        var request = new SimulatedDevice(DevEui).JoinRequest(devNonce: 7);
        Assert.NotNull((await net.DeliverAsync(net.Report(0, request, snr: 1)))[0].Downlink);

        var late = await net.DeliverAsync(net.Report(1, request, snr: 1));
        Assert.Equal((false, "late_copy"), (late[0].Accepted, late[0].Reason));

        net.Time.Advance(TimeSpan.FromSeconds(11));
        var replay = await net.DeliverAsync(net.Report(1, request, snr: 1));
        Assert.Equal("devnonce_replayed", replay[0].Reason);
        Assert.Null(replay[0].Downlink);
    }

    [Fact]
    public async Task Join_with_a_wrong_app_key_is_rejected_and_does_not_burn_the_devnonce()
    {
        using var net = new SimulatedNetwork();
        await net.AddOtaaDeviceAsync(DevEui);
        using var wrongKey = new LoRaCipher(AesKey.Parse("000102030405060708090a0b0c0d0e0f"));
        var forged = FrameBuilder.BuildJoinRequest(SimulatedNetwork.JoinEui, DevEui, 9, wrongKey);
        Assert.Equal("mic_invalid", (await net.DeliverAsync(net.Report(0, forged, snr: 1)))[0].Reason);
        Assert.NotNull((await net.DeliverAsync(net.Report(0, new SimulatedDevice(DevEui).JoinRequest(9), snr: 1)))[0].Downlink);
    }

    [Fact]
    public async Task Uplink_heard_by_three_hotspots_is_delivered_once_with_every_copys_rx_info()
    {
        var (net, device) = await AbpAsync();
        using var _ = net;
        using var ups = net.Published.Subscribe("application/7/device/+/event/up");
        var frame = device.Uplink(10, [1, 2, 3, 4]);

        var answers = await net.DeliverAsync(net.Report(0, frame, snr: 1, rssi: -110), net.Report(1, frame, snr: 7, rssi: -90), net.Report(2, frame, snr: -2, rssi: -120));

        Assert.All(answers, a => Assert.Equal((true, "", false), (a.Accepted, a.Reason, a.Downlink is not null)));
        var up = Assert.IsType<UplinkEvent>((await NextEventAsync(ups))!.Event);
        Assert.Equal([1, 2, 3, 4], up.Data);
        Assert.Equal((10u, 0u, "48000042", 3u), (up.FPort, up.FCnt, up.DevAddr, up.Dr));
        Assert.Equal([net.Hotspot(0).ToAddress(), net.Hotspot(1).ToAddress(), net.Hotspot(2).ToAddress()], up.RxInfo.Select(r => r.GatewayId));
        Assert.Equal([-110, -90, -120], up.RxInfo.Select(r => r.Rssi));
        Assert.Equal((868_100_000u, 9u, 125_000u), (up.TxInfo.Frequency, up.TxInfo.Modulation.Lora.SpreadingFactor, up.TxInfo.Modulation.Lora.Bandwidth));
        Assert.Null(await NextEventAsync(ups));
        Assert.Equal(3, net.Charges.Count);
    }

    [Fact]
    public async Task Confirmed_uplink_is_acked_through_the_hotspot_with_the_best_margin_in_rx1_and_rx2()
    {
        var (net, device) = await AbpAsync();
        using var _ = net;
        var frame = device.Uplink(2, [9], confirmed: true);

        var answers = await net.DeliverAsync(net.Report(0, frame, snr: -5, tmst: 100), net.Report(1, frame, snr: 3, tmst: 200), net.Report(2, frame, snr: 8, tmst: uint.MaxValue - 10));

        Assert.Null(answers[0].Downlink);
        Assert.Null(answers[1].Downlink);
        var downlink = answers[2].Downlink;
        var (ack, fCnt, fPort, _, _) = device.ReadDownlink(downlink.Payload.ToByteArray(), 0);
        Assert.Equal((true, 0u, (byte?)null), (ack, fCnt, fPort));
        Assert.Equal(unchecked(uint.MaxValue - 10 + 1_000_000u), downlink.Rx1.Tmst);
        Assert.Equal(unchecked(uint.MaxValue - 10 + 2_000_000u), downlink.Rx2.Tmst);
        Assert.Equal((868_100_000ul, "SF9BW125", 869_525_000ul, "SF12BW125"), (downlink.Rx1.FrequencyHz, downlink.Rx1.Datarate, downlink.Rx2.FrequencyHz, downlink.Rx2.Datarate));

        // The next confirmed uplink gets the next downlink counter.
        var next = await net.DeliverAsync(net.Report(1, device.Uplink(2, [10], confirmed: true), snr: 3));
        Assert.Equal(1u, device.ReadDownlink(next[0].Downlink.Payload.ToByteArray(), 1).FCnt);
    }

    [Fact]
    public async Task Replayed_frame_is_rejected_and_not_delivered_twice()
    {
        var (net, device) = await AbpAsync();
        using var _ = net;
        using var ups = net.Published.Subscribe("application/7/device/+/event/up");
        var frame = device.Uplink(1, [1]);
        await net.DeliverAsync(net.Report(0, frame, snr: 1));
        Assert.NotNull(await NextEventAsync(ups));

        net.Time.Advance(TimeSpan.FromSeconds(30));
        var replay = await net.DeliverAsync(net.Report(1, frame, snr: 1));
        Assert.Equal("retransmission", replay[0].Reason);

        var older = SimulatedDevice.Abp(DevEui, device.DevAddr, NwkSKey, AppSKey);
        await net.DeliverAsync(net.Report(0, device.Uplink(1, [2]), snr: 1));
        Assert.NotNull(await NextEventAsync(ups));
        Assert.Equal("fcnt_rejected", (await net.DeliverAsync(net.Report(0, older.Uplink(1, [3]), snr: 1)))[0].Reason);
        Assert.Null(await NextEventAsync(ups));
    }

    [Fact]
    public async Task Copies_beyond_max_copies_are_not_bought_and_not_charged()
    {
        var (net, device) = await AbpAsync(maxCopies: 2);
        using var _ = net;
        using var ups = net.Published.Subscribe("application/7/device/+/event/up");
        var frame = device.Uplink(1, [1]);

        var answers = await net.DeliverAsync(net.Report(0, frame, snr: 1), net.Report(1, frame, snr: 1), net.Report(2, frame, snr: 1));

        Assert.Equal([true, true, false], answers.Select(a => a.Accepted));
        Assert.Equal("not_bought_max_copies", answers[2].Reason);
        Assert.Equal(2, net.Charges.Count);
        Assert.Equal(2, Assert.IsType<UplinkEvent>((await NextEventAsync(ups))!.Event).RxInfo.Count);
    }

    [Fact]
    public async Task Copies_the_charger_refuses_are_dropped_with_its_reason()
    {
        var (net, device) = await AbpAsync();
        using var _ = net;
        using var ups = net.Published.Subscribe("application/7/device/+/event/up");
        net.RefuseCharges = NotBoughtReason.NoBalance;
        var answers = await net.DeliverAsync(net.Report(0, device.Uplink(1, [1]), snr: 1));
        Assert.Equal((false, "not_bought_no_balance"), (answers[0].Accepted, answers[0].Reason));
        Assert.Null(await NextEventAsync(ups));
    }

    [Fact]
    public async Task Queued_downlink_goes_out_with_the_next_uplink_and_mac_answers_ride_in_fopts()
    {
        var (net, device) = await AbpAsync();
        using var _ = net;
        await net.Store.EnqueueDownlinkAsync(new QueuedDownlink(Guid.NewGuid(), DevEui, 42, [0xAB, 0xCD], false), CancellationToken.None);
        var linkCheckReq = MacCommandCodec.Write([new LinkCheckReq()]);

        var frame = device.Uplink(1, [1], fOpts: linkCheckReq);
        var answers = await net.DeliverAsync(net.Report(0, frame, snr: 4.5), net.Report(1, frame, snr: 0));

        Assert.Null(answers[1].Downlink);
        var downlink = answers[0].Downlink;
        var (ack, _, fPort, payload, fOpts) = device.ReadDownlink(downlink.Payload.ToByteArray(), 0);
        Assert.Equal((false, (byte?)42), (ack, fPort));
        Assert.Equal([0xAB, 0xCD], payload);
        var linkCheck = Assert.IsType<LinkCheckAns>(Assert.Single(MacCommandCodec.Parse(fOpts, Direction.Downlink)));
        Assert.Equal(((byte)17, (byte)2), (linkCheck.Margin, linkCheck.GatewayCount)); // 4.5 dB − (−12.5 dB for SF9) = 17 dB
    }

    [Fact]
    public async Task Reports_without_a_route_or_with_a_bad_signature_are_refused()
    {
        using var net = new SimulatedNetwork();
        var stranger = SimulatedDevice.Abp(DevEui, new DevAddr(0x26000001), NwkSKey, AppSKey);
        Assert.Equal("no_route", (await net.DeliverAsync(net.Report(0, stranger.Uplink(1, [1]), snr: 1)))[0].Reason);

        var envelope = net.Report(0, SimulatedDevice.Abp(DevEui, new DevAddr(0x48000001), NwkSKey, AppSKey).Uplink(1, [1]), snr: 1);
        envelope[^1] ^= 0x01;
        Assert.Equal("bad_envelope", (await net.DeliverAsync(envelope))[0].Reason);
        Assert.Empty(net.Charges);
    }
}
