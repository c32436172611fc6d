using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.NetworkServer.Pipeline;
using DePin.Wireless.NetworkServer.Storage;
using DePin.Wireless.Proto;
using DePin.Wireless.TestSupport;
using Google.Protobuf;

namespace DePin.Wireless.NetworkServer.Tests.Pipeline;

/// <summary>Each stage alone, without I/O.</summary>
public class PipelineStageTests
{
    private static readonly AesKey NwkSKey = AesKey.Parse("44024241ed4ce9a68c6a8bc055233fd3");
    private static readonly AesKey AppSKey = AesKey.Parse("ec925802ae430ca77fd3dd73cb2cc588");

    private static UplinkCopy Copy(byte seed, double snr, double rssi = -100, string datarate = "SF9BW125", uint tmst = 1000, ulong freq = 868_300_000)
    {
        using var key = KeyPair.Generate(KeyType.Ed25519, new SeededRandomSource([seed]));
        return new UplinkCopy(key.PublicKey, new PacketReport
        {
            HotspotKey = ByteString.CopyFrom(key.PublicKey.Bytes),
            Payload = ByteString.CopyFrom([0x40]),
            SnrCdb = (int)(snr * 100),
            SignalDdbm = (int)(rssi * 10),
            Datarate = datarate,
            Tmst = tmst,
            FrequencyHz = freq,
        });
    }

    [Fact]
    public void Route_table_matches_devaddr_and_joineui_ranges()
    {
        var a = new Organization(1, "p", new InclusiveRange(0x48000000, 0x480000ff), new InclusiveRange(0x10, 0x1f), 1);
        var b = new Organization(2, "p", new InclusiveRange(0x48000100, 0x480001ff), new InclusiveRange(0x20, 0x2f), 1);
        var table = new RouteTable([a, b]);
        Assert.Equal(b, table.Lookup(new RoutingKey(MType.UnconfirmedDataUp, new DevAddr(0x48000100), null)));
        Assert.Equal(a, table.Lookup(new RoutingKey(MType.JoinRequest, null, new Eui64(0x1f))));
        Assert.Null(table.Lookup(new RoutingKey(MType.UnconfirmedDataUp, new DevAddr(0x48000200), null)));
        Assert.Null(table.Lookup(new RoutingKey(MType.JoinRequest, null, new Eui64(0x30))));
    }

    [Fact]
    public void Routing_key_refuses_downlinks_and_garbage_naming_the_problem()
    {
        Assert.Null(RoutingKey.From([0x60, 1, 2, 3, 4, 0, 0, 0, 1, 2, 3, 4], out var downlink));
        Assert.Contains("not routed", downlink);
        Assert.Null(RoutingKey.From([0x40, 1], out var shortFrame));
        Assert.NotNull(shortFrame);
    }

    [Fact]
    public async Task Dedup_window_collects_copies_until_the_timer_fires_and_hands_them_over_once()
    {
        var time = new ManualTimeProvider();
        var processed = new List<FrameSet>();
        var window = new DedupWindow(new DedupOptions(), time, set =>
        {
            processed.Add(set);
            return Task.FromResult(FrameOutcome.Processed(null));
        });
        var key = PacketHash.Of([1, 2, 3]);
        var first = window.Register(key);
        var second = window.Register(key);
        Assert.Equal((0, 1), (first.CopyIndex, second.CopyIndex));
        window.Add(first, Copy(1, 1));
        window.Add(second, Copy(2, 2));
        time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.Empty(processed);
        Assert.False(first.Outcome.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await first.Outcome.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, Assert.Single(processed).Copies.Count);
        Assert.Same(await first.Outcome, await second.Outcome);

        var late = window.Register(key);
        Assert.True(late.IsLate);
        Assert.Throws<InvalidOperationException>(() => window.Add(late, Copy(3, 3)));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, window.OpenCount);
        Assert.False(window.Register(key).IsLate);
    }

    [Fact]
    public async Task Dedup_window_waits_for_copies_still_being_charged_when_it_closes()
    {
        var time = new ManualTimeProvider();
        FrameSet? processed = null;
        var window = new DedupWindow(new DedupOptions(), time, set =>
        {
            processed = set;
            return Task.FromResult(FrameOutcome.Processed(null));
        });
        var key = PacketHash.Of([4]);
        var slow = window.Register(key);
        var refused = window.Register(key);
        time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.True(window.Register(key).IsLate);
        Assert.Null(processed);

        window.Withdraw(refused);
        Assert.Null(processed);
        window.Add(slow, Copy(1, 1));
        await slow.Outcome.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Single(processed!.Copies);
    }

    [Fact]
    public async Task Dedup_window_without_a_bought_copy_processes_nothing()
    {
        var time = new ManualTimeProvider();
        var calls = 0;
        var window = new DedupWindow(new DedupOptions { Window = TimeSpan.FromMilliseconds(50) }, time, _ =>
        {
            calls++;
            return Task.FromResult(FrameOutcome.Processed(null));
        });
        var ticket = window.Register(PacketHash.Of([9]));
        window.Withdraw(ticket);
        time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal("no_copy_bought", (await ticket.Outcome).Rejection);
        Assert.Equal(0, calls);
    }

    [Fact]
    public void Session_resolver_picks_the_session_whose_key_verifies_the_mic_and_rebuilds_32_bit_counters()
    {
        var addr = new DevAddr(0x48000001);
        var right = new DeviceSession(new Eui64(1), addr, NwkSKey, AppSKey) { FCntUp = 0x1FFFE };
        var wrong = new DeviceSession(new Eui64(2), addr, AppSKey, NwkSKey) { FCntUp = 0x1FFFE };
        using var nwk = new LoRaCipher(NwkSKey);
        using var app = new LoRaCipher(AppSKey);
        var frame = FrameBuilder.BuildDataFrame(new DataFrameFields(MType.UnconfirmedDataUp, addr, 0x20001) { FPort = 1, Payload = new byte[] { 7 } }, nwk, app);

        var match = SessionResolver.Resolve(frame, [wrong, right], FrameCounterResetPolicy.Strict);
        Assert.True(match.Passed, match.Detail);
        Assert.Equal((new Eui64(1), 0x20001u, FrameCounterVerdict.Accepted), (match.Value!.Session.DevEui, match.Value.Counter.FCnt32, match.Value.Counter.Verdict));
        Assert.Equal([7], PayloadDecryptor.Decrypt(frame, right, 0x20001).Payload);

        Assert.Equal("mic_invalid", SessionResolver.Resolve(frame, [wrong], FrameCounterResetPolicy.Strict).Reason);
        Assert.Equal("unknown_devaddr", SessionResolver.Resolve(frame, [], FrameCounterResetPolicy.Strict).Reason);
        Assert.Equal("fcnt_rejected", SessionResolver.Resolve(frame, [right with { FCntUp = 0x20002 }], FrameCounterResetPolicy.Strict).Reason);
    }

    [Fact]
    public void Cipher_pool_reuses_ciphers_per_key_and_never_hands_one_out_twice()
    {
        var pool = new LoRaCipherPool(perKey: 1);
        LoRaCipher kept;
        using (var lease = pool.Rent(NwkSKey))
        {
            using var concurrent = pool.Rent(NwkSKey);
            Assert.NotSame(lease.Cipher, concurrent.Cipher);
            kept = concurrent.Cipher; // returned first: the pool keeps it; the second return exceeds perKey and is disposed
        }

        using var again = pool.Rent(NwkSKey);
        using var other = pool.Rent(AppSKey);
        Assert.Same(kept, again.Cipher);
        Assert.Equal(AppSKey, other.Cipher.Key);
    }

    [Fact]
    public void Cipher_pool_under_concurrent_leases_never_shares_a_cipher_and_keeps_at_most_per_key()
    {
        var pool = new LoRaCipherPool(perKey: 2);
        var inUse = new System.Collections.Concurrent.ConcurrentDictionary<LoRaCipher, byte>(ReferenceEqualityComparer.Instance);
        var doubleHandOuts = 0;
        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            using var lease = pool.Rent(i % 2 == 0 ? NwkSKey : AppSKey);
            if (!inUse.TryAdd(lease.Cipher, 0))
            {
                Interlocked.Increment(ref doubleHandOuts);
            }

            Assert.Equal(i % 2 == 0 ? NwkSKey : AppSKey, lease.Cipher.Key);
            inUse.TryRemove(lease.Cipher, out _);
        });

        Assert.Equal(0, doubleHandOuts);

        // Three leases at once, all returned: the pool keeps two of them (perKey), and the next three leases get
        // exactly those two back plus a new one.
        var first = Enumerable.Range(0, 3).Select(_ => pool.Rent(NwkSKey)).ToList();
        var returned = first.Select(l => l.Cipher).ToList();
        first.ForEach(l => l.Dispose());
        var second = Enumerable.Range(0, 3).Select(_ => pool.Rent(NwkSKey)).ToList();
        Assert.Equal(2, second.Count(l => returned.Contains(l.Cipher)));
        Assert.Equal(3, second.Select(l => l.Cipher).Distinct().Count());
        second.ForEach(l => l.Dispose());
    }

    [Fact]
    public void Gateway_choice_uses_link_margin_and_rssi_breaks_ties()
    {
        var weak = Copy(1, snr: 2, rssi: -80);
        var strong = Copy(2, snr: 6, rssi: -120);
        var tieLoud = Copy(3, snr: 6, rssi: -70);
        Assert.Same(strong, DownlinkPlanner.ChooseGateway([weak, strong]));
        Assert.Same(tieLoud, DownlinkPlanner.ChooseGateway([weak, strong, tieLoud]));
    }

    [Fact]
    public void Rx_windows_follow_the_region_rx1_rules_delay_and_rx2_defaults()
    {
        var eu = RegionPlans.Get("EU868");
        var plan = DownlinkPlanner.Plan([Copy(1, 5, datarate: "SF7BW125", tmst: 10_000_000)], eu, new RxParameters(2, 1, 3), [1, 2, 3], "id");
        Assert.Equal((12_000_000u, 868_300_000ul, "SF8BW125"), (plan.Command.Rx1.Tmst, plan.Command.Rx1.FrequencyHz, plan.Command.Rx1.Datarate));
        Assert.Equal((13_000_000u, 869_525_000ul, "SF9BW125"), (plan.Command.Rx2.Tmst, plan.Command.Rx2.FrequencyHz, plan.Command.Rx2.Datarate));

        // US915: RX1 on downlink channel (uplink channel % 8), DR from the RX1 table; RX2 923.3 MHz DR8 (SF12BW500).
        var us = RegionPlans.Get("US915");
        var usPlan = DownlinkPlanner.Plan([Copy(1, 5, datarate: "SF10BW125", tmst: 0, freq: 903_900_000)], us, new RxParameters(1, 0, us.Rx2DataRate), [1], "id");
        Assert.Equal((1_000_000u, 923_300_000ul, "SF10BW500"), (usPlan.Command.Rx1.Tmst, usPlan.Command.Rx1.FrequencyHz, usPlan.Command.Rx1.Datarate));
        Assert.Equal((2_000_000u, 923_300_000ul, "SF12BW500"), (usPlan.Command.Rx2.Tmst, usPlan.Command.Rx2.FrequencyHz, usPlan.Command.Rx2.Datarate));
    }

    [Fact]
    public void Each_window_gets_the_eirp_cap_of_its_band_and_rx2_can_be_preferred_for_slow_rx1_data_rates()
    {
        var eu = RegionPlans.Get("EU868");

        // EU868: RX1 channels in band M/L (25 mW ERP = 16.15 dBm EIRP), RX2 869.525 MHz in band P (500 mW ERP = 29.15 dBm EIRP).
        var both = DownlinkPlanner.Plan([Copy(1, 5, datarate: "SF12BW125", tmst: 0)], eu, new RxParameters(1, 0, 0), [1], "id");
        Assert.Equal((16, 29), (both.Command.Rx1.TxPowerDbm, both.Command.Rx2.TxPowerDbm));

        // rx2_prefer_on_rx1_dr_lt = 3: an SF12 (DR0) uplink is answered in RX2 only; SF9 (DR3) still gets RX1 first.
        var options = new DownlinkPlannerOptions { Rx2PreferOnRx1DataRateBelow = 3 };
        var slow = DownlinkPlanner.Plan([Copy(1, 5, datarate: "SF12BW125", tmst: 0)], eu, new RxParameters(1, 0, 0), [1], "id", options);
        Assert.Null(slow.Command.Rx1);
        Assert.Equal((2_000_000u, 869_525_000ul), (slow.Command.Rx2.Tmst, slow.Command.Rx2.FrequencyHz));
        var fast = DownlinkPlanner.Plan([Copy(1, 5, datarate: "SF9BW125", tmst: 0)], eu, new RxParameters(1, 0, 0), [1], "id", options);
        Assert.Equal("SF9BW125", fast.Command.Rx1.Datarate);

        // A region without duty-cycle bands uses its maximum EIRP (US915: 30 dBm) in both windows.
        var us = RegionPlans.Get("US915");
        var usPlan = DownlinkPlanner.Plan([Copy(1, 5, datarate: "SF10BW125", tmst: 0, freq: 903_900_000)], us, new RxParameters(1, 0, us.Rx2DataRate), [1], "id");
        Assert.Equal((30, 30), (usPlan.Command.Rx1.TxPowerDbm, usPlan.Command.Rx2.TxPowerDbm));

        Assert.Throws<ArgumentOutOfRangeException>(() => new DownlinkPlannerOptions { Rx2PreferOnRx1DataRateBelow = 16 }.Validate());
    }

    private static DeviceSession AdrSession() => new(new Eui64(1), new DevAddr(1), NwkSKey, AppSKey);

    [Fact]
    public void Adr_raises_the_data_rate_on_a_strong_link_and_builds_on_the_acknowledged_settings()
    {
        var responder = new MacCommandResponder();
        var eu = RegionPlans.Get("EU868");
        var uplink = new DecryptedUplink(1, [], [], false, Adr: true, false, null);
        var radio = new UplinkRadio(0, 10, 1, DateTimeOffset.UnixEpoch);
        var session = AdrSession();

        // margin = 10 − (−20 for SF12) − 10 = 20 dB → 6 steps: DR0 → DR5, then one power step; the enabled channels stay on.
        var first = responder.Respond(session, 0, uplink, radio, eu);
        var adr = Assert.IsType<LinkAdrReq>(Assert.Single(first.Answers));
        Assert.Equal((5, 1, 1, (ushort)((1 << eu.EnabledUplinkChannels.Count) - 1), 0), (adr.DataRate, adr.TxPower, adr.NbTrans, adr.ChannelMask, adr.ChannelMaskControl));
        Assert.Equal(new AdrDecision(5, 1, 1), first.AdrState!.Pending);
        Assert.Equal([new AdrUplink(0, 10, 0)], first.AdrState.History);
        session = session with { AdrHistory = first.AdrState.History, PendingAdr = first.AdrState.Pending };

        // Not acknowledged yet: asked again. Acknowledged: the next decision starts from TX power 1 at DR5.
        var second = responder.Respond(session, 1, uplink, radio, eu);
        Assert.Single(second.Answers);
        Assert.Equal(2, second.AdrState!.History.Count);
        session = session with { AdrHistory = second.AdrState.History, PendingAdr = second.AdrState.Pending };
        var acked = uplink with { MacCommands = [new LinkAdrAns(true, true, true)] };
        var third = responder.Respond(session, 2, acked, radio with { DataRate = 5 }, eu);
        var next = Assert.IsType<LinkAdrReq>(Assert.Single(third.Answers));
        Assert.Equal((5, 3), (next.DataRate, next.TxPower)); // 10 − (−7.5) − 10 = 7.5 dB → 2 power steps
        Assert.Equal(1, third.AdrState!.TxPowerIndex);
        Assert.Equal([new AdrUplink(2, 10, 1)], third.AdrState.History); // the acknowledged change restarted the history
        var off = responder.Respond(session, 3, uplink with { Adr = false }, radio, eu);
        Assert.Empty(off.Answers);
        Assert.Null(off.AdrState);
    }

    [Fact]
    public void Adr_history_keeps_the_last_twenty_uplinks()
    {
        var responder = new MacCommandResponder();
        var eu = RegionPlans.Get("EU868");
        var uplink = new DecryptedUplink(1, [], [], false, Adr: true, false, null);
        var history = Enumerable.Range(0, 20).Select(i => new AdrUplink((uint)i, -5, 0)).ToArray();
        var state = responder.Respond(AdrSession() with { AdrHistory = history }, 20, uplink, new UplinkRadio(5, -5, 1, DateTimeOffset.UnixEpoch), eu).AdrState!;
        Assert.Equal(20, state.History.Count);
        Assert.Equal((1u, 20u), (state.History[0].FCnt, state.History[^1].FCnt));
    }

    [Fact]
    public void Device_status_is_requested_every_n_uplinks_and_the_answer_is_returned()
    {
        var responder = new MacCommandResponder(new MacResponderOptions { DevStatusRequestEveryUplinks = 10 });
        var eu = RegionPlans.Get("EU868");
        var radio = new UplinkRadio(0, 0, 1, DateTimeOffset.UnixEpoch);
        var plain = new DecryptedUplink(1, [], [], false, false, false, null);
        Assert.Empty(responder.Respond(AdrSession(), 8, plain, radio, eu).Answers);
        Assert.IsType<DevStatusReq>(Assert.Single(responder.Respond(AdrSession(), 9, plain, radio, eu).Answers));
        var answered = responder.Respond(AdrSession(), 10, plain with { MacCommands = [new DevStatusAns(127, -3)] }, radio, eu);
        Assert.Equal(new DevStatusAns(127, -3), answered.Status);
        Assert.Empty(new MacCommandResponder(new MacResponderOptions { DevStatusRequestEveryUplinks = 0 }).Respond(AdrSession(), 9, plain, radio, eu).Answers);
    }

    [Theory]
    [InlineData("EU868", 0, 0, 0, 51)] // RX1 DR0 and RX2 DR0: N = 51 (RP002-1.0.4 EU868 table)
    [InlineData("EU868", 5, 0, 0, 51)] // RX1 DR5 allows 222 but the RX2 fallback at DR0 only 51
    [InlineData("EU868", 5, 0, 3, 115)] // RX2 at DR3: 115
    [InlineData("EU868", 0, 0, 3, 51)] // RX1 is the smaller: DR0 51 against RX2 DR3 115
    [InlineData("EU868", 5, 2, 5, 115)] // RX1 = DR5 − offset 2 = DR3
    [InlineData("US915", 0, 0, 8, 53)] // uplink DR0 → RX1 DR10 (N 242); RX2 DR8 (N 53)
    [InlineData("US915", 3, 0, 8, 53)] // uplink DR3 → RX1 DR13 (N 242); RX2 DR8 (N 53)
    [InlineData("AS923-1", 5, 0, 2, 11)] // downlink dwell time 400 ms: DR2 N = 11
    public void Downlink_payload_limit_is_the_smaller_n_of_both_windows(string region, int uplinkDr, int rx1DrOffset, int rx2Dr, int expected)
    {
        var plan = RegionPlans.Get(region);
        var session = new DeviceSession(new Eui64(1), new DevAddr(1), NwkSKey, AppSKey) { LastUplinkDataRate = uplinkDr, Rx1DrOffset = rx1DrOffset, Rx2DataRate = rx2Dr };
        Assert.Equal(expected, DownlinkPayloadLimit.ForSession(plan, session).Limit);
        Assert.Equal(expected, DownlinkPayloadLimit.ForWindows(plan, plan.Rx1DataRate(uplinkDr, rx1DrOffset), rx2Dr));
        Assert.Equal(plan.MaxPayload(rx2Dr, downlink: true).N, DownlinkPayloadLimit.ForSession(plan, session with { LastUplinkDataRate = null }).Limit);
    }

    [Fact]
    public void Device_time_answer_is_gps_time_of_reception()
    {
        var responder = new MacCommandResponder();
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, 500, TimeSpan.Zero);
        var answer = Assert.IsType<DeviceTimeAns>(Assert.Single(responder.Respond(AdrSession(), 0,
            new DecryptedUplink(1, [], [new DeviceTimeReq()], false, false, false, null), new UplinkRadio(0, 0, 1, at), RegionPlans.Get("EU868")).Answers));
        Assert.Equal((uint)((at - new DateTimeOffset(1980, 1, 6, 0, 0, 0, TimeSpan.Zero)).TotalSeconds + 18 - 0.5), answer.GpsSeconds);
        Assert.Equal(128, answer.FractionalSecond);
    }
}
