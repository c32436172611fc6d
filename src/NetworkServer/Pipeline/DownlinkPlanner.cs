using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.Proto;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>Receive-window parameters of the device (from its session, or the join defaults).</summary>
public sealed record RxParameters(int RxDelaySeconds, int Rx1DrOffset, int Rx2DataRate);

/// <summary>
/// Stage 9 (pure): which hotspot transmits, and when/where. The hotspot with the best link margin
/// (SNR − required SNR of the uplink's spreading factor; RSSI breaks ties) is chosen. RX1 opens RxDelay after the end
/// of the uplink (the tmst of the copy, LoRaWAN 1.0.4 §3.3.1), on the region's RX1 frequency and DR; RX2 one
/// second later on the region's RX2 frequency and the session's RX2 DR.
/// </summary>
public static class DownlinkPlanner
{
    /// <summary>JOIN_ACCEPT_DELAY1 (RP002-1.0.4 §2 default settings).</summary>
    public const int JoinAcceptDelaySeconds = 5;

    public static UplinkCopy ChooseGateway(IReadOnlyList<UplinkCopy> copies)
    {
        UplinkCopy? best = null;
        double bestMargin = double.NegativeInfinity;
        foreach (var copy in copies)
        {
            var margin = copy.Snr - RequiredSnr.ForSpreadingFactor(DataRate.Parse(copy.Report.Datarate).SpreadingFactor);
            if (best is null || margin > bestMargin || (margin == bestMargin && copy.Rssi > best.Rssi))
            {
                best = copy;
                bestMargin = margin;
            }
        }

        return best ?? throw new ArgumentException("copies: at least one copy is needed", nameof(copies));
    }

    public static DownlinkPlan Plan(IReadOnlyList<UplinkCopy> copies, RegionPlan plan, RxParameters rx, byte[] phyPayload, string downlinkId)
    {
        var gateway = ChooseGateway(copies);
        var uplinkDr = plan.GetDataRateIndex(DataRate.Parse(gateway.Report.Datarate));
        var power = (int)Math.Floor(plan.MaxEirp.Value);
        var rx1Dr = plan.Rx1DataRate(uplinkDr, rx.Rx1DrOffset);
        var command = new DownlinkCommand
        {
            Payload = Google.Protobuf.ByteString.CopyFrom(phyPayload),
            DownlinkId = downlinkId,
            Rx1 = Window(gateway.Report.Tmst, rx.RxDelaySeconds, plan.Rx1Frequency(gateway.Frequency), plan, rx1Dr, power),
            Rx2 = Window(gateway.Report.Tmst, rx.RxDelaySeconds + 1, plan.Rx2Frequency, plan, rx.Rx2DataRate, power),
        };
        return new DownlinkPlan(gateway.Hotspot, command);
    }

    private static TxWindow Window(uint uplinkTmst, int delaySeconds, Hz frequency, RegionPlan plan, int dataRate, int power) => new()
    {
        // tmst is a free-running 32-bit microsecond counter; unchecked addition wraps exactly as the concentrator does.
        Tmst = unchecked(uplinkTmst + (uint)(delaySeconds * 1_000_000)),
        FrequencyHz = (ulong)frequency.Value,
        Datarate = plan.GetDataRate(dataRate).RequireLoRa().ToString(),
        TxPowerDbm = power,
        InvertPolarity = true,
    };
}
