using DePin.Wireless.Core.Primitives;
using DePin.Wireless.FirmwareBridge.Gwmp;
using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.HotspotHost.Configuration;
using DePin.Wireless.HotspotHost.Forwarding;
using DePin.Wireless.HotspotHost.Tests.Support;
using DePin.Wireless.Proto;
using DePin.Wireless.TestSupport;
using Google.Protobuf;

namespace DePin.Wireless.HotspotHost.Tests;

public class ForwardingTests
{
    private static readonly LoRaModulation Sf7 = new(7, 125_000);

    private static RxFrame Uplink(byte fcnt, uint tmst, long? fine = null) =>
        new([0x40, 0x01, 0x02, 0x03, 0x04, 0x00, fcnt, 0x00, 0x01, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE], 868_300_000, Sf7, LoRaCodingRate.Cr4_5, -87.25, 7.5, tmst, RxCrcStatus.Ok, fine);

    [Fact]
    public async Task Uplinks_reach_the_network_server_signed_by_the_hotspot_and_intact()
    {
        var radio = new SimulatedRadio();
        await using var hotspot = await RuntimeFixture.StartAsync(radio);
        radio.Hear(Uplink(1, 1_000_000));
        radio.Hear(Uplink(2, 2_000_000, fine: 123_456_789));
        radio.Hear(Uplink(3, 3_000_000) with { Crc = RxCrcStatus.Bad });

        await RuntimeFixture.WaitUntilAsync(() => hotspot.Peers.PacketReports.Count == 2, "two packet reports");
        var reports = hotspot.Peers.PacketReports.OrderBy(r => r.Report.Tmst).ToList();
        Assert.All(reports, r => Assert.Equal(hotspot.Key.PublicKey, r.Signer));
        var first = reports[0].Report;
        Assert.Equal(Uplink(1, 0).Payload, first.Payload.ToByteArray());
        Assert.Equal(1_000_000u, first.Tmst);
        Assert.Equal(868_300_000ul, first.FrequencyHz);
        Assert.Equal("SF7BW125", first.Datarate);
        Assert.Equal(-873, first.SignalDdbm);
        Assert.Equal(750, first.SnrCdb);
        Assert.Equal("EU868", first.Region);
        Assert.Equal(ByteString.CopyFrom(hotspot.Key.PublicKey.Bytes), first.HotspotKey);
        Assert.Equal((ulong)hotspot.Time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000, first.ReceivedNs);
        Assert.False(first.HasFineTimestamp);
        Assert.True(reports[1].Report.HasFineTimestamp);
        Assert.Equal(123_456_789ul, reports[1].Report.FineTimestampNs);
        Assert.Empty(hotspot.Peers.Refusals);
        await RuntimeFixture.WaitUntilAsync(() => hotspot.Runtime.Forwarder.Queue.Counters.Delivered == 2, "deliveries counted");
    }

    [Fact]
    public async Task Service_outage_loses_nothing_and_fresh_packets_are_not_delayed_behind_retries()
    {
        var radio = new SimulatedRadio();
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var hotspot = await RuntimeFixture.StartAsync(radio, time);
        hotspot.Peers.OutageRequests = 3;
        for (byte i = 1; i <= 3; i++)
        {
            radio.Hear(Uplink(i, i * 1000u));
        }

        await RuntimeFixture.WaitUntilAsync(() => hotspot.Runtime.Forwarder.Queue.Counters.Retried == 3, "three failed attempts");
        Assert.Empty(hotspot.Peers.PacketReports);
        Assert.Equal(3, hotspot.Runtime.Forwarder.Queue.Counters.Depth);
        Assert.False(hotspot.Runtime.NetworkServer.Health.Snapshot().Connected);

        // The service is back. A fresh packet goes out at once, while the three wait for their back-off (clock frozen).
        radio.Hear(Uplink(4, 4000));
        await RuntimeFixture.WaitUntilAsync(() => hotspot.Peers.PacketReports.Count == 1, "the fresh packet");
        Assert.Equal(4000u, Assert.Single(hotspot.Peers.PacketReports).Report.Tmst);

        time.Advance(TimeSpan.FromSeconds(1));
        await RuntimeFixture.WaitUntilAsync(() => hotspot.Peers.PacketReports.Count == 4, "the retried packets");
        Assert.Equal([1000u, 2000u, 3000u, 4000u], hotspot.Peers.PacketReports.Select(r => r.Report.Tmst).Order());
        var counters = hotspot.Runtime.Forwarder.Queue.Counters;
        Assert.Equal(0, counters.Depth);
        Assert.Equal(0, counters.DroppedExpired + counters.DroppedOverflow + counters.Rejected);
        Assert.Equal(3, hotspot.Peers.OutageAnswers);
        Assert.Empty(hotspot.Peers.Refusals); // retries resend the same envelope once: no replay refusals
        Assert.True(hotspot.Runtime.NetworkServer.Health.Snapshot().Connected);
    }

    [Fact]
    public async Task Reports_older_than_the_max_age_are_dropped_and_counted_instead_of_sent_late()
    {
        var radio = new SimulatedRadio();
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var hotspot = await RuntimeFixture.StartAsync(radio, time, o => o.Forwarding.MaxAge = TimeSpan.FromSeconds(5));
        hotspot.Peers.OutageRequests = 1_000;
        radio.Hear(Uplink(1, 1000));
        await RuntimeFixture.WaitUntilAsync(() => hotspot.Runtime.Forwarder.Queue.Counters.Retried >= 1, "first failure");
        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(2));
            await Task.Delay(50);
        }

        await RuntimeFixture.WaitUntilAsync(() => hotspot.Runtime.Forwarder.Queue.Counters.DroppedExpired == 1, "expiry");
        Assert.Equal(0, hotspot.Runtime.Forwarder.Queue.Counters.Depth);
        Assert.Empty(hotspot.Peers.PacketReports);
    }

    [Fact]
    public async Task Downlink_goes_out_in_RX1_at_the_commanded_tmst()
    {
        var radio = new SimulatedRadio();
        await using var hotspot = await RuntimeFixture.StartAsync(radio);
        hotspot.Peers.Downlink = report => Command(report.Tmst);
        radio.Hear(Uplink(1, 5_000_000));

        var tx = Assert.Single(await radio.WaitForTransmissionsAsync(1, RuntimeFixture.Patience));
        Assert.Equal(6_000_000u, tx.Request.CounterTimeUs);
        Assert.Equal(868_300_000, tx.Request.FrequencyHz);
        Assert.Equal(new LoRaModulation(7, 125_000), tx.Request.Modulation);
        Assert.Equal(14, tx.Request.PowerDbm);
        Assert.True(tx.Request.InvertIq);
        Assert.False(tx.Request.CrcEnabled);
        Assert.Equal(new byte[] { 0x60, 1, 2, 3 }, tx.Request.Payload);
        await RuntimeFixture.WaitUntilAsync(() => hotspot.Runtime.State.LastDownlink is not null, "downlink outcome");
        Assert.Equal("rx1", hotspot.Runtime.State.LastDownlink!.SentIn);
    }

    [Fact]
    public async Task Downlink_falls_back_to_RX2_when_RX1_is_too_late_and_not_on_other_errors()
    {
        var radio = new SimulatedRadio { Answer = r => r.CounterTimeUs == 6_000_000u ? new TxResult(TxStatus.TooLate) : TxResult.Ok };
        await using var hotspot = await RuntimeFixture.StartAsync(radio);
        hotspot.Peers.Downlink = report => Command(report.Tmst);
        radio.Hear(Uplink(1, 5_000_000));

        var txs = await radio.WaitForTransmissionsAsync(2, RuntimeFixture.Patience);
        Assert.Equal(TxStatus.TooLate, txs[0].Result.Status);
        Assert.Equal(7_000_000u, txs[1].Request.CounterTimeUs);
        Assert.Equal(869_525_000, txs[1].Request.FrequencyHz);
        Assert.Equal(new LoRaModulation(12, 125_000), txs[1].Request.Modulation);
        await RuntimeFixture.WaitUntilAsync(() => hotspot.Runtime.State.LastDownlink is not null, "downlink outcome");
        Assert.Equal("rx2", hotspot.Runtime.State.LastDownlink!.SentIn);

        radio.Answer = _ => new TxResult(TxStatus.FrequencyError);
        radio.Hear(Uplink(2, 5_000_000));
        await RuntimeFixture.WaitUntilAsync(() => radio.Transmissions.Count == 3 && hotspot.Runtime.State.DownlinksFailed.Value == 1, "refused downlink");
        await Task.Delay(100);
        Assert.Equal(3, radio.Transmissions.Count);

        // Each downlink's fate goes back to the network server as a signed TX_ACK report (GWMP error names).
        await RuntimeFixture.WaitUntilAsync(() => hotspot.Peers.TxAckReports.Count == 2, "two TX_ACK reports");
        var reports = hotspot.Peers.TxAckReports.ToArray();
        Assert.All(reports, r => Assert.Equal(hotspot.Runtime.Signer.Signer, r.Signer));
        Assert.All(reports, r => Assert.Equal(r.Signer.Bytes, r.Report.HotspotKey.ToByteArray()));
        Assert.All(reports, r => Assert.Equal("dl-1", r.Report.DownlinkId));
        // The reports go through a retrying delivery queue, so their arrival order is not part of the contract.
        Assert.Equal(
            new[] { ("TOO_LATE", "NONE"), ("TX_FREQ", "") }.Order(),
            reports.Select(r => (r.Report.Rx1Error, r.Report.Rx2Error)).Order());
    }

    [Theory]
    [InlineData(TxStatus.Ok, "NONE")]
    [InlineData(TxStatus.TooLate, "TOO_LATE")]
    [InlineData(TxStatus.TooEarly, "TOO_EARLY")]
    [InlineData(TxStatus.CollisionPacket, "COLLISION_PACKET")]
    [InlineData(TxStatus.CollisionBeacon, "COLLISION_BEACON")]
    [InlineData(TxStatus.FrequencyError, "TX_FREQ")]
    [InlineData(TxStatus.PowerError, "TX_POWER")]
    [InlineData(TxStatus.GpsUnlocked, "GPS_UNLOCKED")]
    [InlineData(TxStatus.Timeout, "INTERNAL_ERROR")]
    [InlineData(TxStatus.RadioError, "INTERNAL_ERROR")]
    public void Every_radio_answer_has_a_TX_ACK_error_name(TxStatus status, string name) =>
        Assert.Equal(name, TxAckReports.ErrorName(new TxResult(status)));

    [Fact]
    public async Task Gwmp_path_concentrator_uplinks_reach_the_network_server_and_downlinks_return_as_PULL_RESP()
    {
        var gwmp = new GwmpRadio(new GwmpRadioOptions { Server = new GwmpServerOptions { Port = 0 } });
        await using var hotspot = await RuntimeFixture.StartAsync(gwmp, TimeProvider.System);
        hotspot.Peers.Downlink = report => Command(report.Tmst);
        using var cancel = new CancellationTokenSource(RuntimeFixture.Patience);
        using var concentrator = new GwmpClient(
            new GwmpClientOptions { Gateway = Eui64.Parse("b827ebfffe000001"), ServerPort = gwmp.Server.LocalEndPoint.Port, KeepaliveInterval = TimeSpan.FromMilliseconds(200), AckTimeout = TimeSpan.FromSeconds(2) },
            onDownlink: (txpk, _) => ValueTask.FromResult(txpk.Tmst == 6_000_000u ? new TxAck(TxAckError.TooEarly) : TxAck.Ok));
        var loop = concentrator.RunAsync(cancel.Token);
        await RuntimeFixture.WaitUntilAsync(() => gwmp.HasGateway, "PULL_DATA keep-alive");

        var phy = Uplink(9, 0).Payload;
        var rxpk = RxPacket.Lora(5_000_000, new Hz(868_300_000), new DataRate(7, 125), GwmpCodingRate.Cr4_5, -101, -3.25, phy) with { FineTimeNs = 42 };
        Assert.True((await concentrator.PushAsync([rxpk], cancellationToken: cancel.Token)).Acknowledged);
        Assert.True((await concentrator.PushAsync([rxpk with { CrcStatus = -1, Tmst = 1 }], cancellationToken: cancel.Token)).Acknowledged);

        await RuntimeFixture.WaitUntilAsync(() => concentrator.Counters.DownlinksReceived == 2, "RX1 and RX2 PULL_RESP");
        var report = Assert.Single(hotspot.Peers.PacketReports).Report;
        Assert.Equal(phy, report.Payload.ToByteArray());
        Assert.Equal(-1010, report.SignalDdbm);
        Assert.Equal(-325, report.SnrCdb);
        Assert.Equal(42ul, report.FineTimestampNs);
        var downlinks = new List<ReceivedDownlink>();
        while (concentrator.Downlinks.TryRead(out var d))
        {
            downlinks.Add(d);
        }

        Assert.Equal([6_000_000u, 7_000_000u], downlinks.Select(d => d.Packet.Tmst!.Value));
        Assert.Equal(new Hz(869_525_000), downlinks[1].Packet.Frequency);
        Assert.True(downlinks[1].Packet.InvertPolarity);
        await RuntimeFixture.WaitUntilAsync(() => hotspot.Runtime.State.LastDownlink is not null, "downlink outcome");
        Assert.Equal("rx2", hotspot.Runtime.State.LastDownlink!.SentIn);
        await cancel.CancelAsync();
        await loop;
    }

    private static DownlinkCommand Command(uint uplinkTmst) => new()
    {
        Payload = ByteString.CopyFrom(0x60, 1, 2, 3),
        DownlinkId = "dl-1",
        Rx1 = new TxWindow { Tmst = uplinkTmst + 1_000_000, FrequencyHz = 868_300_000, Datarate = "SF7BW125", TxPowerDbm = 14, InvertPolarity = true },
        Rx2 = new TxWindow { Tmst = uplinkTmst + 2_000_000, FrequencyHz = 869_525_000, Datarate = "SF12BW125", TxPowerDbm = 14, InvertPolarity = true },
    };
}
