using System.Globalization;

namespace DePin.Wireless.CoverageOracle.Spoofing;

/// <summary>
/// Does the asserted geometry explain the signals? Works on the link gain g = RSSI − TxPower − G_beaconer − G_witness (dB)
/// against x = log10(asserted distance / 1 km), where a log-distance model predicts g = −PL(1 km) − 10·n·x.
/// <list type="bullet">
/// <item>Per beacon with enough witnesses and distance spread: a Theil–Sen line; an exponent n outside [min, max] (or a
/// positive slope) flags the beaconer; witnesses with residuals beyond k robust σ are outliers (positive: strong, negative: weak).</item>
/// <item>Epoch-wide: a Huber line over all links; a hotspot whose median residual is far above it hears and is heard
/// too loudly for where it claims to be (strong); far below, weak (Helium only bounded RSSI from above; walls explain weak signals).</item>
/// </list>
/// </summary>
public sealed class PathLossConsistency(PathLossConsistencyOptions options)
{
    public IReadOnlyList<SpoofingVerdict> Analyze(EpochLinks epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        var verdicts = new List<SpoofingVerdict>();
        verdicts.AddRange(PerBeaconFits(epoch));
        verdicts.AddRange(PooledExcess(epoch));
        return verdicts;
    }

    /// <summary>Link gain in dB: what the path took away, with both antenna gains (tenths of dBi) credited.</summary>
    public static double LinkGainDb(PocLink link) =>
        (link.Report.SignalDeciDbm / 10.0) - link.Poc.Beacon.TxPowerDbm - (link.Beaconer.GainDeciDbi / 10.0) - (link.Witness.GainDeciDbi / 10.0);

    /// <summary>log10 of the asserted distance in km (at least 1 m, so co-located assertions stay finite).</summary>
    public static double LogDistanceKm(PocLink link) => Math.Log10(Math.Max(link.AssertedDistanceMeters, 1.0) / 1000.0);

    /// <summary>The robust fit of one beacon, or null when it has too few witnesses or too little distance spread to judge.</summary>
    public BeaconFit? FitBeacon(BeaconLinks beacon)
    {
        ArgumentNullException.ThrowIfNull(beacon);
        if (beacon.Links.Count < options.MinWitnessesPerBeacon)
        {
            return null;
        }

        var x = beacon.Links.Select(LogDistanceKm).ToArray();
        var y = beacon.Links.Select(LinkGainDb).ToArray();
        if (x.Max() - x.Min() < options.MinLogDistanceSpread || RobustStatistics.TheilSen(x, y) is not { } line)
        {
            return null;
        }

        var residuals = x.Select((xi, i) => y[i] - line.Predict(xi)).ToArray();
        var sigma = Math.Max(RobustStatistics.MadToSigma * RobustStatistics.Mad(residuals), options.MinResidualSigmaDb);
        var exponent = -line.Slope / 10;
        var plausible = exponent >= options.MinExponent && exponent <= options.MaxExponent;
        return new BeaconFit(line, exponent, plausible, sigma, residuals);
    }

    private IEnumerable<SpoofingVerdict> PerBeaconFits(EpochLinks epoch)
    {
        var implausible = new FlagTally();
        var tooStrong = new FlagTally();
        var tooWeak = new FlagTally();
        foreach (var beacon in epoch.Beacons)
        {
            if (FitBeacon(beacon) is not { } fit)
            {
                continue;
            }

            implausible.Observe(beacon.Beaconer.Id, !fit.Plausible, string.Create(CultureInfo.InvariantCulture, $"exponent {fit.Exponent:0.0}"));
            for (var i = 0; i < beacon.Links.Count; i++)
            {
                var z = fit.Residuals[i] / fit.SigmaDb;
                var id = beacon.Links[i].Witness.Id;
                var example = string.Create(CultureInfo.InvariantCulture, $"{fit.Residuals[i]:+0.0;-0.0} dB vs beacon of {beacon.Beaconer.Id}");
                tooStrong.Observe(id, z > options.OutlierMads, example);
                tooWeak.Observe(id, z < -options.OutlierMads, example);
            }
        }

        return implausible.Verdicts(SpoofingCheck.PathLoss, EvidenceStrength.Strong, "path_loss_implausible_fit", options.MinFlags, options.MinFlagShare)
            .Concat(tooStrong.Verdicts(SpoofingCheck.PathLoss, EvidenceStrength.Strong, "path_loss_witness_too_strong", options.MinFlags, options.MinFlagShare))
            .Concat(tooWeak.Verdicts(SpoofingCheck.PathLoss, EvidenceStrength.Weak, "path_loss_witness_too_weak", options.MinFlags, options.MinFlagShare));
    }

    private IEnumerable<SpoofingVerdict> PooledExcess(EpochLinks epoch)
    {
        var links = epoch.AllLinks.ToList();
        if (links.Count < options.MinPooledLinks)
        {
            yield break;
        }

        var x = links.Select(LogDistanceKm).ToArray();
        var y = links.Select(LinkGainDb).ToArray();
        if (RobustStatistics.Huber(x, y, options.HuberK) is not { } line)
        {
            yield break;
        }

        var residuals = x.Select((xi, i) => y[i] - line.Predict(xi)).ToArray();
        var sigma = RobustStatistics.MadToSigma * RobustStatistics.Mad(residuals);
        var perHotspot = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        for (var i = 0; i < links.Count; i++)
        {
            Add(perHotspot, links[i].Beaconer.Id, residuals[i]);
            Add(perHotspot, links[i].Witness.Id, residuals[i]);
        }

        foreach (var (id, rs) in perHotspot.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (rs.Count < options.MinLinksPerHotspot)
            {
                continue;
            }

            var median = RobustStatistics.Median(rs);
            var threshold = Math.Max(options.MinMedianExcessDb, options.MedianExcessStandardErrors * 1.2533 * sigma / Math.Sqrt(rs.Count));
            if (median > threshold)
            {
                yield return new SpoofingVerdict(id, SpoofingCheck.PathLoss, EvidenceStrength.Strong, 1, 1, Describe("path_loss_excess", median, threshold, rs.Count, line));
            }
            else if (median < -threshold)
            {
                yield return new SpoofingVerdict(id, SpoofingCheck.PathLoss, EvidenceStrength.Weak, 1, 1, Describe("path_loss_deficit", median, threshold, rs.Count, line));
            }
        }
    }

    private static string Describe(string code, double median, double threshold, int links, LineFit line) =>
        string.Create(CultureInfo.InvariantCulture, $"{code}: median residual {median:+0.0;-0.0} dB over {links} links vs epoch model (n = {-line.Slope / 10:0.00}), threshold {threshold:0.0} dB");

    private static void Add(Dictionary<string, List<double>> map, string id, double value)
    {
        if (!map.TryGetValue(id, out var list))
        {
            map[id] = list = [];
        }

        list.Add(value);
    }
}

/// <summary>A beacon's robust fit: the line in (log10 km, dB), its exponent, whether it is physical, robust σ and per-witness residuals (in link order).</summary>
public sealed record BeaconFit(LineFit Line, double Exponent, bool Plausible, double SigmaDb, IReadOnlyList<double> Residuals);
