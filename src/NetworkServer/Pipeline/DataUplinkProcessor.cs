using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.NetworkServer.Storage;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>
/// Data uplinks after dedup: session + MIC + 32-bit FCnt (stage 5) → atomic FCnt advance → decrypt (6) → MAC/ADR (7)
/// → uplink, ack and status events (8) → downlink decision and window planning (9).
/// </summary>
public sealed class DataUplinkProcessor(INetworkStore store, IEventPublisher events, MacCommandResponder mac, RegionPlanCache regions, NetworkServerIdentity identity, TimeProvider time,
    LoRaCipherPool? cipherPool = null, RecentDownlinks? sentDownlinks = null, DownlinkPlannerOptions? downlinks = null)
{
    /// <summary>Largest FOpts field (LoRaWAN 1.0.4 §4.3.1.6); longer MAC answers go in an FPort 0 payload.</summary>
    private const int MaxFOptsBytes = 15;

    private readonly LoRaCipherPool _ciphers = cipherPool ?? new LoRaCipherPool();
    private readonly HotspotAddresses _addresses = new();

    // Device records are immutable; a store that hands out the same instance (the in-memory one) pays for DeviceInfo once.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Device, DeviceInfo> _deviceInfos = new();

    public async Task<FrameOutcome> ProcessAsync(FrameSet frames, CancellationToken cancellationToken)
    {
        var phy = frames.PhyPayload;
        var devAddr = DataFrame.Parse(phy.Span).DevAddr;
        var candidates = await store.GetSessionsByDevAddrAsync(devAddr, cancellationToken);
        var resolved = SessionResolver.Resolve(phy.Span, candidates, identity.FrameCounterPolicy, _ciphers);
        if (!resolved.Passed)
        {
            return FrameOutcome.NotProcessed(resolved.Reason!, resolved.Detail);
        }

        var (session, counter) = resolved.Value!;
        var device = await RequireDeviceAsync(session, cancellationToken);
        var plan = regions.Get(device.Region);
        var best = DownlinkPlanner.ChooseGateway(frames.Copies);
        var dataRate = DataRate.Parse(best.Report.Datarate);
        var radio = new UplinkRadio(plan.GetDataRateIndex(dataRate), BestSnr(frames.Copies), frames.Copies.Count, best.ReceivedAt);
        if (counter.Verdict == FrameCounterVerdict.Retransmission)
        {
            // LoRaWAN 1.0.4 §4.3.1.2: a retransmitted confirmed frame is ACKed again but not delivered twice.
            return DataFrame.Parse(phy.Span).IsConfirmed
                ? FrameOutcome.Processed(await BuildDownlinkAsync(frames, device, session, plan, radio.DataRate, ack: true, [], cancellationToken))
                : FrameOutcome.NotProcessed("retransmission", $"fCnt: {counter.FCnt32} was already received");
        }

        var advanced = counter.Verdict == FrameCounterVerdict.ResetAccepted
            ? await ResetCounterAsync(session, radio.DataRate, cancellationToken)
            : await store.TryAdvanceFCntUpAsync(session.DevEui, counter.FCnt32, radio.DataRate, cancellationToken);
        if (!advanced)
        {
            return FrameOutcome.NotProcessed("fcnt_replayed", $"fCnt: {counter.FCnt32} is not above the stored counter (a parallel or replayed copy)");
        }

        var uplink = PayloadDecryptor.Decrypt(phy.Span, session, counter.FCnt32, _ciphers);
        var response = mac.Respond(session, counter.FCnt32, uplink, radio, plan);
        if (response.AdrState is { } adr)
        {
            await store.SaveAdrStateAsync(session.DevEui, adr, cancellationToken);
        }

        var deduplicationId = JoinProcessor.DeduplicationId(frames.Key);
        if (uplink.FPort is > 0)
        {
            await events.PublishAsync(UplinkEventOf(frames, device, session, counter.FCnt32, uplink, radio, dataRate), cancellationToken);
        }

        await PublishAckAsync(device, session, uplink.Ack, deduplicationId, cancellationToken);
        if (response.Status is { } status)
        {
            await events.PublishAsync(StatusEventOf(device, status, deduplicationId), cancellationToken);
        }

        var downlink = await BuildDownlinkAsync(frames, device, session, plan, radio.DataRate, uplink.Confirmed, response.Answers, cancellationToken);
        return FrameOutcome.Processed(downlink);
    }

    private static double BestSnr(IReadOnlyList<UplinkCopy> copies)
    {
        var best = double.NegativeInfinity;
        foreach (var copy in copies)
        {
            best = Math.Max(best, copy.Snr);
        }

        return best;
    }

    /// <summary>The uplink after a confirmed downlink settles it: its ACK bit says whether the device received it.</summary>
    private async Task PublishAckAsync(Device device, DeviceSession session, bool ackBit, Guid deduplicationId, CancellationToken cancellationToken)
    {
        // The session read with the frame tells whether anything is pending, so most uplinks cost no extra store call.
        if (session.PendingAck is null || await store.TakePendingAckAsync(session.DevEui, cancellationToken) is not { } pending)
        {
            return;
        }

        await events.PublishAsync(AckTimeouts.AckEventOf(device, pending, ackBit, deduplicationId, time.GetUtcNow()), cancellationToken);
    }

    /// <summary>DevStatusAns (LoRaWAN 1.0.4 §5.6): battery 0 = external power, 255 = unknown, 1..254 = level (as a percentage here).</summary>
    private StatusEvent StatusEventOf(Device device, DevStatusAns status, Guid deduplicationId) => new()
    {
        Time = time.GetUtcNow(),
        DeviceInfo = JoinProcessor.DeviceInfoOf(device),
        DeduplicationId = deduplicationId,
        Margin = status.Margin,
        ExternalPowerSource = status.Battery == 0,
        BatteryLevelUnavailable = status.Battery == 255,
        BatteryLevel = status.Battery is 0 or 255 ? 0 : (float)Math.Round(status.Battery * 100.0 / 254, 2),
    };

    private async Task<bool> ResetCounterAsync(DeviceSession session, int dataRate, CancellationToken cancellationToken)
    {
        await store.SaveSessionAsync(session with { FCntUp = 0, LastUplinkDataRate = dataRate }, cancellationToken);
        return true;
    }

    private async Task<Device> RequireDeviceAsync(DeviceSession session, CancellationToken cancellationToken) =>
        await store.GetDeviceAsync(session.DevEui, cancellationToken)
            ?? throw new NetworkStoreException("devEui", $"session of {session.DevEui} has no device");

    private async Task<DownlinkPlan?> BuildDownlinkAsync(FrameSet frames, Device device, DeviceSession session, RegionPlan plan, int uplinkDataRate, bool ack,
        IReadOnlyList<MacCommand> answers, CancellationToken cancellationToken)
    {
        var limit = DownlinkPayloadLimit.ForWindows(plan, plan.Rx1DataRate(uplinkDataRate, session.Rx1DrOffset), session.Rx2DataRate);
        var macBytes = FitMacCommands(answers, limit);
        var macInPayload = macBytes.Length > MaxFOptsBytes;

        // Application data shares the frame only when the MAC answers fit in FOpts; otherwise it waits for the next uplink.
        var queued = macInPayload || !session.MayHaveQueuedDownlinks ? null : await DequeueFittingAsync(device, limit, cancellationToken);
        if (queued is not null && queued.Data.Length + macBytes.Length > limit)
        {
            // The payload fits alone: it goes now and the MAC answers are left out (ADR asks again on the next uplink,
            // and a device repeats an unanswered LinkCheckReq/DeviceTimeReq).
            macBytes = [];
        }

        if (!ack && macBytes.Length == 0 && queued is null)
        {
            return null;
        }

        var fCntDown = await store.AllocateFCntDownAsync(session.DevEui, cancellationToken);
        var fields = new DataFrameFields(queued?.Confirmed == true ? MType.ConfirmedDataDown : MType.UnconfirmedDataDown, session.DevAddr, fCntDown)
        {
            Ack = ack,
            FOpts = macInPayload ? ReadOnlyMemory<byte>.Empty : macBytes,
            FPort = macInPayload ? (byte)0 : queued?.FPort,
            Payload = macInPayload ? macBytes : queued?.Data ?? ReadOnlyMemory<byte>.Empty,
        };
        byte[] phy;
        using (var nwkSKey = _ciphers.Rent(session.NwkSKey))
        using (var appSKey = _ciphers.Rent(session.AppSKey))
        {
            phy = FrameBuilder.BuildDataFrame(fields, nwkSKey.Cipher, appSKey.Cipher);
        }

        var rx = new RxParameters(session.RxDelaySeconds, session.Rx1DrOffset, session.Rx2DataRate);
        var downlink = DownlinkPlanner.Plan(frames.Copies, plan, rx, phy, JoinProcessor.DownlinkId(frames.Key), downlinks);
        var now = time.GetUtcNow();
        if (queued is { Confirmed: true })
        {
            await store.SetPendingAckAsync(session.DevEui, new PendingAck(queued.Id, fCntDown, now), cancellationToken);
        }

        sentDownlinks?.Remember(new SentDownlink(device, downlink.Hotspot, fCntDown, queued?.Id, downlink.Command, now));
        return downlink;
    }

    /// <summary>
    /// The oldest queued payload that fits <paramref name="limit"/>. One that does not (the device's data rate fell
    /// since it was queued) is dropped with a <c>log</c> event (ERROR, DOWNLINK_PAYLOAD_SIZE), never truncated.
    /// </summary>
    private async Task<QueuedDownlink?> DequeueFittingAsync(Device device, int limit, CancellationToken cancellationToken)
    {
        while (await store.DequeueDownlinkAsync(device.DevEui, cancellationToken) is { } queued)
        {
            if (queued.Data.Length <= limit)
            {
                return queued;
            }

            var problem = $"{queued.Data.Length} bytes exceed the {limit}-byte maximum of the device's current data rates; dropped";
            await events.PublishAsync(DownlinkQueue.PayloadSizeEvent(device, queued, limit, problem, time.GetUtcNow()), cancellationToken);
        }

        return null;
    }

    /// <summary>The MAC answers, in order, that fit the frame (whole commands only).</summary>
    private static byte[] FitMacCommands(IReadOnlyList<MacCommand> answers, int limit)
    {
        if (answers.Count == 0)
        {
            return [];
        }

        var bytes = MacCommandCodec.Write(answers);
        if (bytes.Length <= limit)
        {
            return bytes;
        }

        var kept = new List<MacCommand>();
        var length = 0;
        foreach (var answer in answers)
        {
            if (length + 1 + answer.PayloadLength > limit)
            {
                break;
            }

            kept.Add(answer);
            length += 1 + answer.PayloadLength;
        }

        return kept.Count == 0 ? [] : MacCommandCodec.Write(kept);
    }

    private UplinkEvent UplinkEventOf(FrameSet frames, Device device, DeviceSession session, uint fCnt32, DecryptedUplink uplink, UplinkRadio radio, DataRate dataRate) => new()
    {
        Time = time.GetUtcNow(),
        DeviceInfo = _deviceInfos.GetValue(device, JoinProcessor.DeviceInfoOf),
        DeduplicationId = JoinProcessor.DeduplicationId(frames.Key),
        DevAddr = session.DevAddr.ToString(),
        Adr = uplink.Adr,
        Dr = (uint)radio.DataRate,
        FCnt = fCnt32,
        FPort = uplink.FPort ?? 0,
        Confirmed = uplink.Confirmed,
        Data = uplink.Payload,
        RxInfo = RxInfoOf(frames.Copies),
        TxInfo = new TxInfo
        {
            Frequency = (uint)frames.Copies[0].Report.FrequencyHz,
            Modulation = new Modulation
            {
                Lora = new LoraModulationInfo
                {
                    Bandwidth = (uint)dataRate.BandwidthHz,
                    SpreadingFactor = (uint)dataRate.SpreadingFactor,
                    CodeRate = LoraModulationInfo.CodeRateName(5),
                },
            },
        },
    };

    private UplinkRxInfo[] RxInfoOf(IReadOnlyList<UplinkCopy> copies)
    {
        var rxInfo = new UplinkRxInfo[copies.Count];
        for (var i = 0; i < rxInfo.Length; i++)
        {
            var copy = copies[i];
            rxInfo[i] = new UplinkRxInfo
            {
                GatewayId = _addresses.Of(copy.Hotspot),
                UplinkId = (uint)i,
                Time = copy.ReceivedAt,
                Rssi = (int)Math.Round(copy.Rssi),
                Snr = copy.Snr,
            };
        }

        return rxInfo;
    }
}
