using System.Collections.Concurrent;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.NetworkServer.LoRaWan;

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

/// <summary>
/// Stage 7 (pure apart from the per-device ADR history it keeps): answers device MAC requests (LinkCheckReq,
/// DeviceTimeReq) and runs ADR, returning the downlink MAC commands. ADR history and the device's current TX power
/// and NbTrans live in memory; after a restart ADR starts again from a fresh history.
/// </summary>
public sealed class MacCommandResponder
{
    /// <summary>GPS epoch (1980-01-06) and the GPS−UTC leap-second offset in force since 2017 (IERS Bulletin C).</summary>
    private static readonly DateTimeOffset GpsEpoch = new(1980, 1, 6, 0, 0, 0, TimeSpan.Zero);
    private const int GpsLeapSeconds = 18;

    private readonly ConcurrentDictionary<Eui64, AdrState> _adr = new();

    public IReadOnlyList<MacCommand> Respond(Eui64 devEui, uint fCnt32, DecryptedUplink uplink, UplinkRadio radio, RegionPlan plan)
    {
        var answers = new List<MacCommand>();
        var limits = RequiredSnr.AdrLimits(plan);
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
                case LinkAdrAns ans:
                    Acknowledge(devEui, ans);
                    break;
            }
        }

        if (uplink.Adr && radio.DataRate < limits.RequiredSnrByDataRate.Count)
        {
            answers.AddRange(Adr(devEui, fCnt32, radio, plan, limits));
        }

        return answers;
    }

    private IEnumerable<MacCommand> Adr(Eui64 devEui, uint fCnt32, UplinkRadio radio, RegionPlan plan, AdrRegionLimits limits)
    {
        var state = _adr.GetOrAdd(devEui, static _ => new AdrState());
        AdrDecision decision;
        lock (state)
        {
            state.History.Add(new AdrUplink(fCnt32, radio.BestSnr, state.TxPowerIndex));
            if (state.History.Count > AdrEngine.RequiredHistoryCount)
            {
                state.History.RemoveAt(0);
            }

            decision = AdrEngine.Decide(new AdrRequest(true, radio.DataRate, state.TxPowerIndex, state.NbTrans, state.History.ToArray()), limits);
            if (decision.DataRate == radio.DataRate && decision.TxPowerIndex == state.TxPowerIndex && decision.NbTrans == state.NbTrans)
            {
                return [];
            }

            state.Pending = decision;
        }

        // One LinkADRReq per channel-mask block; the device applies the block atomically (LoRaWAN 1.0.4 §5.3).
        return ChannelMasks(plan)
            .Select(mask => (MacCommand)new LinkAdrReq(decision.DataRate, decision.TxPowerIndex, mask.ChMask, mask.ChMaskCntl, decision.NbTrans))
            .ToArray();
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

    private void Acknowledge(Eui64 devEui, LinkAdrAns answer)
    {
        if (!_adr.TryGetValue(devEui, out var state))
        {
            return;
        }

        lock (state)
        {
            if (state.Pending is { } pending && answer.PowerAck && answer.DataRateAck && answer.ChannelMaskAck)
            {
                state.TxPowerIndex = pending.TxPowerIndex;
                state.NbTrans = pending.NbTrans;
                state.History.Clear();
            }

            state.Pending = null;
        }
    }

    private sealed class AdrState
    {
        public List<AdrUplink> History { get; } = [];

        public int TxPowerIndex { get; set; }

        public int NbTrans { get; set; } = 1;

        public AdrDecision? Pending { get; set; }
    }
}
