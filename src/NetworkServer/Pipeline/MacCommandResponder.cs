using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.NetworkServer.Storage;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>What the network learnt from an uplink's radio copies, as the MAC layer needs it.</summary>
public sealed record UplinkRadio(int DataRate, double BestSnr, int GatewayCount, DateTimeOffset ReceivedAt);

/// <summary>Required demodulation SNR per spreading factor (Semtech SX1276 datasheet table 13, as ChirpStack uses).</summary>
public static class RequiredSnr
{
    public static double ForSpreadingFactor(int sf) => sf switch
    {
        5 => -2.5,
        6 => -5.0,
        7 => -7.5,
        8 => -10.0,
        9 => -12.5,
        10 => -15.0,
        11 => -17.5,
        12 => -20.0,
        _ => throw new ArgumentOutOfRangeException(nameof(sf), $"spreading factor: SF{sf} is not 5..12"),
    };

    /// <summary>The ADR limits of a region: required SNR per DR for the contiguous LoRa uplink DRs from DR0, and the highest of them.</summary>
    public static AdrRegionLimits AdrLimits(RegionPlan plan)
    {
        var required = new List<double>();
        foreach (var row in plan.DataRates.OrderBy(r => r.Index))
        {
            if (row.Index != required.Count || !row.Uplink || row.LoRa is not { } lora || lora.BandwidthKhz != 125)
            {
                break;
            }

            required.Add(ForSpreadingFactor(lora.SpreadingFactor));
        }

        return new AdrRegionLimits(required, required.Count - 1, plan.TxPowerOffsetsDb.Count - 1);
    }
}

/// <summary>What the MAC layer made of an uplink: downlink commands, the new ADR state to store (null when unchanged) and a DevStatusAns.</summary>
public sealed record MacResponse(IReadOnlyList<MacCommand> Answers, AdrSessionState? AdrState, DevStatusAns? Status);

public sealed class MacResponderOptions
{
    /// <summary>
    /// Ask for the device's battery and margin (DevStatusReq) once every this many uplinks (when FCnt + 1 is a
    /// multiple of it: the 100th, 200th, … uplink by default); 0 never asks. The answer is published as a <c>status</c> event.
    /// </summary>
    public uint DevStatusRequestEveryUplinks { get; set; } = 100;
}

/// <summary>
/// Stage 7 (pure): answers device MAC requests (LinkCheckReq, DeviceTimeReq), records DevStatusAns, asks for the
/// device status now and then, and runs ADR over the history kept in the session (<see cref="DeviceSession.AdrHistory"/>),
/// so that the store, not this class, holds the state and a restart keeps ADR decisions stable.
/// </summary>
public sealed class MacCommandResponder(MacResponderOptions? options = null)
{
    /// <summary>GPS epoch (1980-01-06) and the GPS−UTC leap-second offset in force since 2017 (IERS Bulletin C).</summary>
    private static readonly DateTimeOffset GpsEpoch = new(1980, 1, 6, 0, 0, 0, TimeSpan.Zero);
    private const int GpsLeapSeconds = 18;

    private readonly MacResponderOptions _options = options ?? new MacResponderOptions();

    // Region plans are immutable and few; their ADR limits are derived once each.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<RegionPlan, AdrRegionLimits> _limits = new();

    public MacResponse Respond(DeviceSession session, uint fCnt32, DecryptedUplink uplink, UplinkRadio radio, RegionPlan plan)
    {
        var answers = new List<MacCommand>();
        var limits = _limits.GetValue(plan, RequiredSnr.AdrLimits);
        var adr = session.Adr;
        var adrChanged = false;
        DevStatusAns? status = null;
        foreach (var command in uplink.MacCommands)
        {
            switch (command)
            {
                case LinkCheckReq:
                    var margin = radio.DataRate < limits.RequiredSnrByDataRate.Count ? radio.BestSnr - limits.RequiredSnrByDataRate[radio.DataRate] : 0;
                    answers.Add(new LinkCheckAns((byte)Math.Clamp(Math.Floor(margin), 0, 254), (byte)Math.Min(radio.GatewayCount, 255)));
                    break;
                case DeviceTimeReq:
                    var gps = radio.ReceivedAt - GpsEpoch + TimeSpan.FromSeconds(GpsLeapSeconds);
                    answers.Add(new DeviceTimeAns((uint)Math.Floor(gps.TotalSeconds), (byte)(gps.Ticks % TimeSpan.TicksPerSecond * 256 / TimeSpan.TicksPerSecond)));
                    break;
                case LinkAdrAns ans when adr.Pending is not null:
                    adr = Acknowledge(adr, ans);
                    adrChanged = true;
                    break;
                case DevStatusAns ans:
                    status = ans;
                    break;
            }
        }

        if (uplink.Adr && radio.DataRate < limits.RequiredSnrByDataRate.Count)
        {
            (adr, var requests) = Adr(adr, fCnt32, radio, plan, limits);
            answers.AddRange(requests);
            adrChanged = true;
        }

        if (_options.DevStatusRequestEveryUplinks > 0 && ((ulong)fCnt32 + 1) % _options.DevStatusRequestEveryUplinks == 0)
        {
            answers.Add(new DevStatusReq());
        }

        return new MacResponse(answers, adrChanged ? adr : null, status);
    }

    private static (AdrSessionState State, IReadOnlyList<MacCommand> Requests) Adr(AdrSessionState state, uint fCnt32, UplinkRadio radio, RegionPlan plan, AdrRegionLimits limits)
    {
        var history = new List<AdrUplink>(state.History.Count + 1);
        history.AddRange(state.History);
        history.Add(new AdrUplink(fCnt32, radio.BestSnr, state.TxPowerIndex));
        if (history.Count > AdrEngine.RequiredHistoryCount)
        {
            history.RemoveRange(0, history.Count - AdrEngine.RequiredHistoryCount);
        }

        var decision = AdrEngine.Decide(new AdrRequest(true, radio.DataRate, state.TxPowerIndex, state.NbTrans, history), limits);
        if (decision.DataRate == radio.DataRate && decision.TxPowerIndex == state.TxPowerIndex && decision.NbTrans == state.NbTrans)
        {
            return (state with { History = history, Pending = null }, []);
        }

        // One LinkADRReq per channel-mask block; the device applies the block atomically (LoRaWAN 1.0.4 §5.3).
        var requests = ChannelMasks(plan)
            .Select(mask => (MacCommand)new LinkAdrReq(decision.DataRate, decision.TxPowerIndex, mask.ChMask, mask.ChMaskCntl, decision.NbTrans))
            .ToArray();
        return (state with { History = history, Pending = decision }, requests);
    }

    /// <summary>
    /// The channel masks that keep the region's enabled channels: 72-channel regions use their ChMaskCntl blocks;
    /// dynamic-plan regions (at most 16 channels) one mask with ChMaskCntl 0 (RP002-1.0.4 "LinkAdrReq command").
    /// </summary>
    private static IReadOnlyList<LinkAdrChannelMask> ChannelMasks(RegionPlan plan)
    {
        if (plan.UplinkChannels.Count > 16)
        {
            return plan.LinkAdrChannelMasks();
        }

        var mask = 0;
        foreach (var channel in plan.EnabledUplinkChannels)
        {
            mask |= 1 << channel.Index;
        }

        return [new LinkAdrChannelMask(0, (ushort)mask)];
    }

    /// <summary>A fully acknowledged LinkADRReq takes effect and restarts the history (samples at the old power no longer apply).</summary>
    private static AdrSessionState Acknowledge(AdrSessionState state, LinkAdrAns answer) =>
        state.Pending is { } pending && answer.PowerAck && answer.DataRateAck && answer.ChannelMaskAck
            ? new AdrSessionState(pending.TxPowerIndex, pending.NbTrans, [], null)
            : state with { Pending = null };
}
