using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.Proto;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>Receive-window parameters of the device (from its session, or the join defaults).</summary>
public sealed record RxParameters(int RxDelaySeconds, int Rx1DrOffset, int Rx2DataRate);

/// <summary>Network-wide downlink window policy.</summary>
public sealed record DownlinkPlannerOptions
{
    /// <summary>
    /// Send only in RX2 when the RX1 data rate would be below this index (ChirpStack's region setting
    /// <c>rx2_prefer_on_rx1_dr_lt</c>; 0 = never). In EU868 RX2 sits in the 869.4–869.65 MHz band that allows 500 mW
    /// ERP (27 dBm, 29.15 dBm EIRP) against 25 mW in the RX1 channels, so a device at SF12–SF10, at the edge of
    /// coverage, hears an RX2 downlink ~13 dB better than an RX1 one at the same data rate.
    /// </summary>
    public int Rx2PreferOnRx1DataRateBelow { get; init; }

    public void Validate()
    {
        if (Rx2PreferOnRx1DataRateBelow is < 0 or > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(Rx2PreferOnRx1DataRateBelow), $"{Rx2PreferOnRx1DataRateBelow} is not a data rate index 0..15 (0 = never prefer RX2)");
        }
    }
}

/// <summary>
/// Stage 9 (pure): which hotspot transmits, and when/where. The hotspot with the best link margin
/// (SNR − required SNR of the uplink's spreading factor; RSSI breaks ties) is chosen. RX1 opens RxDelay after the end
/// of the uplink (the tmst of the copy, LoRaWAN 1.0.4 §3.3.1), on the region's RX1 frequency and DR; RX2 one
/// second later on the region's RX2 frequency and the session's RX2 DR. Each window's power is the EIRP cap of the
/// regulatory band its frequency falls in (EU868: 16 dBm in the RX1 channels, 29 dBm at 869.525 MHz), else the
/// region's maximum EIRP; <see cref="DownlinkPlannerOptions.Rx2PreferOnRx1DataRateBelow"/> can leave RX1 out.
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

    public static DownlinkPlan Plan(IReadOnlyList<UplinkCopy> copies, RegionPlan plan, RxParameters rx, byte[] phyPayload, string downlinkId, DownlinkPlannerOptions? options = null)
    {
        var gateway = ChooseGateway(copies);
        var uplinkDr = plan.GetDataRateIndex(DataRate.Parse(gateway.Report.Datarate));
        var rx1Dr = plan.Rx1DataRate(uplinkDr, rx.Rx1DrOffset);
        var rx1Frequency = plan.Rx1Frequency(gateway.Frequency);
        var command = new DownlinkCommand
        {
            Payload = Google.Protobuf.ByteString.CopyFrom(phyPayload),
            DownlinkId = downlinkId,
            Rx2 = Window(gateway.Report.Tmst, rx.RxDelaySeconds + 1, plan.Rx2Frequency, plan, rx.Rx2DataRate),
        };
        if (rx1Dr >= (options?.Rx2PreferOnRx1DataRateBelow ?? 0))
        {
            command.Rx1 = Window(gateway.Report.Tmst, rx.RxDelaySeconds, rx1Frequency, plan, rx1Dr);
        }

        return new DownlinkPlan(gateway.Hotspot, command);
    }

    /// <summary>Whole dBm of EIRP allowed at <paramref name="frequency"/>: its regulatory band's cap, else the region's.</summary>
    public static int MaxDownlinkEirpDbm(RegionPlan plan, Hz frequency) =>
        (int)Math.Floor((plan.DutyCycleBandFor(frequency)?.MaxEirp ?? plan.MaxEirp).Value);

    private static TxWindow Window(uint uplinkTmst, int delaySeconds, Hz frequency, RegionPlan plan, int dataRate) => new()
    {
        // tmst is a free-running 32-bit microsecond counter; unchecked addition wraps exactly as the concentrator does.
        Tmst = unchecked(uplinkTmst + (uint)(delaySeconds * 1_000_000)),
        FrequencyHz = (ulong)frequency.Value,
        Datarate = plan.GetDataRate(dataRate).RequireLoRa().ToString(),
        TxPowerDbm = MaxDownlinkEirpDbm(plan, frequency),
        InvertPolarity = true,
    };
}
