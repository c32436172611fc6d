using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.NetworkServer.Storage;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>
/// Data uplinks after dedup: session + MIC + 32-bit FCnt (stage 5) → atomic FCnt advance → decrypt (6) → MAC/ADR (7)
/// → uplink event with every copy's rxInfo (8) → downlink decision and window planning (9).
/// </summary>
public sealed class DataUplinkProcessor(INetworkStore store, IEventPublisher events, MacCommandResponder mac, RegionPlanCache regions, NetworkServerIdentity identity, TimeProvider time, LoRaCipherPool? cipherPool = null)
{
    private readonly LoRaCipherPool _ciphers = cipherPool ?? new LoRaCipherPool();

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
        var isConfirmed = DataFrame.Parse(phy.Span).IsConfirmed;
        if (counter.Verdict == FrameCounterVerdict.Retransmission)
        {
            // LoRaWAN 1.0.4 §4.3.1.2: a retransmitted confirmed frame is ACKed again but not delivered twice.
            return isConfirmed
                ? FrameOutcome.Processed(await BuildDownlinkAsync(frames, session, regions.Get((await RequireDeviceAsync(session, cancellationToken)).Region), ack: true, [], cancellationToken))
                : FrameOutcome.NotProcessed("retransmission", $"fCnt: {counter.FCnt32} was already received");
        }

        var advanced = counter.Verdict == FrameCounterVerdict.ResetAccepted
            ? await ResetCounterAsync(session, cancellationToken)
            : await store.TryAdvanceFCntUpAsync(session.DevEui, counter.FCnt32, cancellationToken);
        if (!advanced)
        {
            return FrameOutcome.NotProcessed("fcnt_replayed", $"fCnt: {counter.FCnt32} is not above the stored counter (a parallel or replayed copy)");
        }

        var device = await RequireDeviceAsync(session, cancellationToken);
        var plan = regions.Get(device.Region);
        var uplink = PayloadDecryptor.Decrypt(phy.Span, session, counter.FCnt32, _ciphers);
        var best = DownlinkPlanner.ChooseGateway(frames.Copies);
        var dataRate = DataRate.Parse(best.Report.Datarate);
        var radio = new UplinkRadio(plan.GetDataRateIndex(dataRate), frames.Copies.Max(c => c.Snr), frames.Copies.Count, best.ReceivedAt);
        var answers = mac.Respond(session.DevEui, counter.FCnt32, uplink, radio, plan);

        if (uplink.FPort is > 0)
        {
            await events.PublishAsync(UplinkEventOf(frames, device, session, counter.FCnt32, uplink, radio, dataRate), cancellationToken);
        }

        var downlink = await BuildDownlinkAsync(frames, session, plan, uplink.Confirmed, answers, cancellationToken);
        return FrameOutcome.Processed(downlink);
    }

    private async Task<bool> ResetCounterAsync(DeviceSession session, CancellationToken cancellationToken)
    {
        await store.SaveSessionAsync(session with { FCntUp = 0 }, cancellationToken);
        return true;
    }

    private async Task<Device> RequireDeviceAsync(DeviceSession session, CancellationToken cancellationToken) =>
        await store.GetDeviceAsync(session.DevEui, cancellationToken)
            ?? throw new NetworkStoreException("devEui", $"session of {session.DevEui} has no device");

    private async Task<DownlinkPlan?> BuildDownlinkAsync(FrameSet frames, DeviceSession session, RegionPlan plan, bool ack, IReadOnlyList<MacCommand> answers, CancellationToken cancellationToken)
    {
        var macBytes = answers.Count == 0 ? [] : MacCommandCodec.Write(answers);
        var macInPayload = macBytes.Length > 15;

        // Application data shares the frame only when the MAC answers fit in FOpts; otherwise it waits for the next uplink.
        var queued = macInPayload ? null : await store.DequeueDownlinkAsync(session.DevEui, cancellationToken);
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
        using var nwkSKey = _ciphers.Rent(session.NwkSKey);
        using var appSKey = _ciphers.Rent(session.AppSKey);
        var phy = FrameBuilder.BuildDataFrame(fields, nwkSKey.Cipher, appSKey.Cipher);
        var rx = new RxParameters(session.RxDelaySeconds, session.Rx1DrOffset, session.Rx2DataRate);
        return DownlinkPlanner.Plan(frames.Copies, plan, rx, phy, JoinProcessor.DownlinkId(frames.Key));
    }

    private UplinkEvent UplinkEventOf(FrameSet frames, Device device, DeviceSession session, uint fCnt32, DecryptedUplink uplink, UplinkRadio radio, DataRate dataRate) => new()
    {
        Time = time.GetUtcNow(),
        DeviceInfo = JoinProcessor.DeviceInfoOf(device),
        DeduplicationId = JoinProcessor.DeduplicationId(frames.Key),
        DevAddr = session.DevAddr.ToString(),
        Adr = uplink.Adr,
        Dr = (uint)radio.DataRate,
        FCnt = fCnt32,
        FPort = uplink.FPort ?? 0,
        Confirmed = uplink.Confirmed,
        Data = uplink.Payload,
        RxInfo = frames.Copies.Select((c, i) => new UplinkRxInfo
        {
            GatewayId = c.Hotspot.ToAddress(),
            UplinkId = (uint)i,
            Time = c.ReceivedAt,
            Rssi = (int)Math.Round(c.Rssi),
            Snr = c.Snr,
        }).ToArray(),
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
}
