namespace DePin.Wireless.NetworkServer.LoRaWan;

/// <summary>One received uplink as ADR sees it: its full counter, the best SNR over all gateways, and the TX power index it was sent with.</summary>
public readonly record struct AdrUplink(uint FCnt, double MaxSnr, int TxPowerIndex);

/// <summary>The region's data-rate facts ADR needs, passed as data (the region plans live elsewhere).</summary>
/// <param name="RequiredSnrByDataRate">Demodulation floor in dB per data rate index (e.g. EU868 DR0 = SF12 → −20 … DR5 = SF7 → −7.5).</param>
/// <param name="MaxDataRate">Highest data rate ADR may assign (for EU868 usually DR5, the fastest LoRa 125 kHz rate).</param>
/// <param name="MaxTxPowerIndex">Highest TX power index (lowest power) of the region, each step 2 dB below max EIRP.</param>
public sealed record AdrRegionLimits(IReadOnlyList<double> RequiredSnrByDataRate, int MaxDataRate, int MaxTxPowerIndex);

/// <summary>The device's current settings and recent uplinks (oldest first).</summary>
public sealed record AdrRequest(bool AdrEnabled, int DataRate, int TxPowerIndex, int NbTrans, IReadOnlyList<AdrUplink> History)
{
    /// <summary>Link budget kept in reserve, dB; ChirpStack's default.</summary>
    public double InstallationMargin { get; init; } = AdrEngine.DefaultInstallationMargin;
}

/// <summary>The settings to ask for with LinkADRReq (unchanged values mean nothing to send).</summary>
public readonly record struct AdrDecision(int DataRate, int TxPowerIndex, int NbTrans);

/// <summary>
/// ChirpStack's default ADR algorithm (chirpstack/src/adr/default.rs, as summarised in the project reference):
/// margin = max SNR of the last 20 uplinks − required SNR(DR) − installation margin; nStep = trunc(margin / 3);
/// each positive step raises the DR up to the max, then lowers power by one index; negative steps raise power, but
/// only with a full history at the current power (to avoid oscillation). NbTrans follows the packet-loss table.
/// </summary>
public static class AdrEngine
{
    public const double DefaultInstallationMargin = 10.0;
    public const int RequiredHistoryCount = 20;
    public const double StepDb = 3.0;

    /// <summary>NbTrans by packet-loss band (&lt;5 %, &lt;10 %, &lt;30 %, else) and current NbTrans 1..3 (ChirpStack default.rs).</summary>
    private static readonly int[][] NbTransByLoss =
    [
        [1, 1, 2],
        [1, 2, 3],
        [2, 3, 3],
        [3, 3, 3],
    ];

    public static AdrDecision Decide(AdrRequest request, AdrRegionLimits region)
    {
        var decision = new AdrDecision(request.DataRate, request.TxPowerIndex, request.NbTrans);
        if (!request.AdrEnabled)
        {
            return decision;
        }

        if (request.DataRate < 0 || request.DataRate >= region.RequiredSnrByDataRate.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(request), $"DataRate: DR{request.DataRate} has no required-SNR entry (table covers DR0..DR{region.RequiredSnrByDataRate.Count - 1})");
        }

        var history = LastUplinks(request.History);
        var dataRate = Math.Min(request.DataRate, region.MaxDataRate);
        var nbTrans = NbTrans(request.NbTrans, PacketLossPercent(history));
        if (history.Count == 0)
        {
            return new AdrDecision(dataRate, request.TxPowerIndex, nbTrans);
        }

        var margin = history.Max(u => u.MaxSnr) - region.RequiredSnrByDataRate[request.DataRate] - request.InstallationMargin;
        var steps = (int)Math.Truncate(margin / StepDb);
        var samplesAtPower = history.Count(u => u.TxPowerIndex == request.TxPowerIndex);
        if (steps < 0 && samplesAtPower < RequiredHistoryCount)
        {
            return new AdrDecision(dataRate, request.TxPowerIndex, nbTrans);
        }

        var (newDataRate, newPower) = ApplySteps(steps, dataRate, request.TxPowerIndex, region);
        return new AdrDecision(newDataRate, newPower, nbTrans);
    }

    /// <summary>Lost frames between the first and last of a full history, as a percentage of the history length; 0 until the history is full.</summary>
    public static double PacketLossPercent(IReadOnlyList<AdrUplink> history)
    {
        if (history.Count < RequiredHistoryCount)
        {
            return 0;
        }

        long lost = 0;
        for (var i = 1; i < history.Count; i++)
        {
            lost += Math.Max(0L, (long)history[i].FCnt - history[i - 1].FCnt - 1);
        }

        return lost * 100.0 / history.Count;
    }

    public static int NbTrans(int current, double packetLossPercent)
    {
        var column = Math.Clamp(current, 1, 3) - 1;
        var row = packetLossPercent switch
        {
            < 5 => 0,
            < 10 => 1,
            < 30 => 2,
            _ => 3,
        };
        return NbTransByLoss[row][column];
    }

    private static (int DataRate, int TxPowerIndex) ApplySteps(int steps, int dataRate, int txPowerIndex, AdrRegionLimits region)
    {
        for (; steps > 0; steps--)
        {
            if (dataRate < region.MaxDataRate)
            {
                dataRate++;
            }
            else if (txPowerIndex < region.MaxTxPowerIndex)
            {
                txPowerIndex++;
            }
        }

        for (; steps < 0; steps++)
        {
            if (txPowerIndex > 0)
            {
                txPowerIndex--;
            }
        }

        return (dataRate, txPowerIndex);
    }

    private static IReadOnlyList<AdrUplink> LastUplinks(IReadOnlyList<AdrUplink> history) =>
        history.Count <= RequiredHistoryCount ? history : history.Skip(history.Count - RequiredHistoryCount).ToList();
}
