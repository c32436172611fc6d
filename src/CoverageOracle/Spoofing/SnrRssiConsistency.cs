using System.Globalization;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.CoverageOracle.Spoofing;

/// <summary>
/// A radio measures RSSI and SNR of the same packet, so they are tied: SNR ≈ RSSI − N with N = −174 + 10·log10(BW) + NF dBm
/// (thermal noise, LinkBudget.NoiseFloor), saturating at the concentrator's highest reported SNR, and never far below the
/// spreading factor's demodulation floor (a packet that decoded had at least that SNR). A witness that reports an RSSI its
/// own SNR contradicts (e.g. RSSI forged to fit the asserted distance while the radio heard a nearby replay) is flagged.
/// </summary>
public sealed class SnrRssiConsistency(SnrRssiConsistencyOptions options)
{
    public IReadOnlyList<SpoofingVerdict> Analyze(EpochLinks epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        // Links are judged in parallel (0: no verdict, the data rate did not parse; 1: agrees; 2: disagrees), then tallied in
        // link order, so each hotspot's example is its first disagreeing link as a serial pass would find it.
        var links = epoch.LinkArray;
        var outcome = new byte[links.Length];
        ParallelChunks.For(links.Length, (start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                // The link's data rate was parsed once when the epoch was built (null when it does not parse: no verdict).
                if (links[i].Rate is { } rate)
                {
                    outcome[i] = Judge(links[i].Report.SignalDeciDbm / 10.0, links[i].Report.SnrCentiDb / 100.0, rate).Disagrees ? (byte)2 : (byte)1;
                }
            }
        });

        var tally = new FlagTally(epoch.HotspotIds);
        for (var i = 0; i < links.Length; i++)
        {
            if (outcome[i] == 0)
            {
                continue;
            }

            var link = links[i];
            if (outcome[i] == 1)
            {
                tally.Observe(link.WitnessIndex, false);
                continue;
            }

            var j = Judge(link.Report.SignalDeciDbm / 10.0, link.Report.SnrCentiDb / 100.0, link.Rate!.Value);
            tally.Observe(link.WitnessIndex, true, string.Create(CultureInfo.InvariantCulture, $"SNR {j.ReportedSnrDb:0.0} dB where RSSI implies {j.ExpectedSnrDb:0.0} dB (beacon of {link.Beaconer.Id})"));
        }

        return tally.Verdicts(SpoofingCheck.SnrRssi, EvidenceStrength.Strong, "snr_rssi_mismatch", Math.Max(options.MinFlags, 1), options.MinFlagShare)
            .Where(v => v.Opportunities >= options.MinLinksPerHotspot)
            .ToList();
    }

    /// <summary>Expected SNR for an RSSI at a data rate, and whether the reported SNR disagrees; null when the data rate does not parse (no verdict).</summary>
    public SnrJudgement? Judge(double rssiDbm, double reportedSnrDb, string dataRate)
    {
        ArgumentNullException.ThrowIfNull(dataRate);
        return DataRate.TryParse(dataRate.AsSpan(), out var rate, out _) ? Judge(rssiDbm, reportedSnrDb, rate) : null;
    }

    private SnrJudgement Judge(double rssiDbm, double reportedSnrDb, DataRate rate)
    {
        var noise = LinkBudget.NoiseFloor(rate.BandwidthHz, options.NoiseFigureDb).Value;
        var floor = LinkBudget.DemodulationSnrFloorDb(rate.SpreadingFactor) - options.BelowDemodulationFloorMarginDb;
        var expected = Math.Clamp(rssiDbm - noise, floor, options.MaxReportedSnrDb);
        var disagrees = Math.Abs(reportedSnrDb - expected) > options.ToleranceDb || reportedSnrDb < floor;
        return new SnrJudgement(reportedSnrDb, expected, disagrees);
    }
}

/// <summary>The SNR a witness reported, the SNR its RSSI implies, and whether they disagree beyond the tolerance.</summary>
public readonly record struct SnrJudgement(double ReportedSnrDb, double ExpectedSnrDb, bool Disagrees);
