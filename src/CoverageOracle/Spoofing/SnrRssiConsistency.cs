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
        var tally = new FlagTally(epoch.HotspotIds);
        foreach (var link in epoch.AllLinks)
        {
            // The link's data rate was parsed once when the epoch was built (null when it does not parse: no verdict).
            if (link.Rate is not { } rate)
            {
                continue;
            }

            var j = Judge(link.Report.SignalDeciDbm / 10.0, link.Report.SnrCentiDb / 100.0, rate);
            tally.Observe(link.WitnessIndex, j.Disagrees, !j.Disagrees ? null : string.Create(CultureInfo.InvariantCulture, $"SNR {j.ReportedSnrDb:0.0} dB where RSSI implies {j.ExpectedSnrDb:0.0} dB (beacon of {link.Beaconer.Id})"));
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
