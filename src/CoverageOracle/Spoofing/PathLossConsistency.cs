using System.Globalization;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.CoverageOracle.Spoofing;

/// <summary>
/// Does the asserted geometry explain the signals? Works on the link gain g = RSSI − TxPower − G_beaconer − G_witness (dB)
/// against x = log10(asserted distance / 1 km), where a log-distance model predicts g = −PL(1 km) − 10·n·x.
/// <list type="bullet">
/// <item>Epoch-wide: a Huber line over the links it predicts comfortably above sensitivity (censoring-aware, refitted a few
/// rounds). A hotspot whose median residual is far above it hears and is heard too loudly for where it claims to be (strong);
/// far below, weak (Helium only bounded RSSI from above; walls explain weak signals).</item>
/// <item>Per beacon with enough uncensored witnesses: witnesses beyond k robust σ of the epoch model shifted by the beacon's
/// median offset are outliers (positive: strong, negative: weak); with enough distance spread, a Theil–Sen line whose exponent's
/// 99 % interval lies wholly outside [min, max] (e.g. a positive slope) flags the beaconer.</item>
/// </list>
/// </summary>
public sealed class PathLossConsistency(PathLossConsistencyOptions options)
{
    public IReadOnlyList<SpoofingVerdict> Analyze(EpochLinks epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        return Analyze(epoch, FitPooled(epoch.AllLinks.ToList()));
    }

    /// <summary>As <see cref="Analyze(EpochLinks)"/> with the epoch's pooled fit already made (<see cref="FitPooled"/> over <c>epoch.AllLinks</c>).</summary>
    public IReadOnlyList<SpoofingVerdict> Analyze(EpochLinks epoch, LineFit? pooled)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        var links = epoch.AllLinks.ToList();
        var verdicts = new List<SpoofingVerdict>();
        verdicts.AddRange(PerBeaconFits(epoch, pooled));
        if (pooled is { } line)
        {
            verdicts.AddRange(PooledExcess(links, line));
        }

        return verdicts;
    }

    /// <summary>Link gain in dB: what the path took away, with both antenna gains (tenths of dBi) credited.</summary>
    public static double LinkGainDb(PocLink link) =>
        (link.Report.SignalDeciDbm / 10.0) - link.Poc.Beacon.TxPowerDbm - (link.Beaconer.GainDeciDbi / 10.0) - (link.Witness.GainDeciDbi / 10.0);

    /// <summary>log10 of the asserted distance in km (at least 1 m, so co-located assertions stay finite).</summary>
    public static double LogDistanceKm(PocLink link) => Math.Log10(Math.Max(link.AssertedDistanceMeters, 1.0) / 1000.0);

    /// <summary>The lowest link gain the witness could have decoded at the link's data rate; null when the data rate does not parse.</summary>
    public double? SensitivityGainDb(PocLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (!DataRate.TryParse(link.Report.DataRate.AsSpan(), out var rate, out _))
        {
            return null;
        }

        return LinkBudget.Sensitivity(rate, options.NoiseFigureDb).Value - link.Poc.Beacon.TxPowerDbm - (link.Beaconer.GainDeciDbi / 10.0) - (link.Witness.GainDeciDbi / 10.0);
    }

    /// <summary>The epoch's censoring-aware Huber fit, or null with too few links.</summary>
    public LineFit? FitPooled(IReadOnlyList<PocLink> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (links.Count < options.MinPooledLinks)
        {
            return null;
        }

        var line = RobustStatistics.Huber(links.Select(LogDistanceKm).ToArray(), links.Select(LinkGainDb).ToArray(), options.HuberK);
        for (var round = 0; round < options.CensoringRounds && line is { } current; round++)
        {
            var kept = links.Where(l => Uncensored(l, current)).ToList();
            if (kept.Count < options.MinPooledLinks)
            {
                break;
            }

            line = RobustStatistics.Huber(kept.Select(LogDistanceKm).ToArray(), kept.Select(LinkGainDb).ToArray(), options.HuberK) ?? current;
        }

        return line;
    }

    /// <summary>
    /// The robust fit of one beacon, or null when too few uncensored witnesses or too little distance spread to judge.
    /// Residuals of all witnesses are taken against the epoch model shifted by the beacon's median offset over its uncensored
    /// witnesses (the beaconer's own surroundings), not against the beacon's own line: extrapolating a line fitted to a dozen
    /// shadowed points to far witnesses flagged honest ones.
    /// </summary>
    public BeaconFit? FitBeacon(BeaconLinks beacon, LineFit? pooled)
    {
        ArgumentNullException.ThrowIfNull(beacon);
        if (pooled is not { } model)
        {
            return null;
        }

        var fitted = beacon.Links.Where(l => Uncensored(l, model)).ToList();
        if (fitted.Count < options.MinWitnessesPerBeacon)
        {
            return null;
        }

        var x = fitted.Select(LogDistanceKm).ToArray();
        var y = fitted.Select(LinkGainDb).ToArray();
        var offset = RobustStatistics.Median(fitted.Select(l => LinkGainDb(l) - model.Predict(LogDistanceKm(l))).ToArray());
        var fittedResiduals = fitted.Select(l => LinkGainDb(l) - model.Predict(LogDistanceKm(l)) - offset).ToArray();
        var sigma = Math.Max(RobustStatistics.MadToSigma * RobustStatistics.Mad(fittedResiduals), options.MinResidualSigmaDb);
        var residuals = beacon.Links.Select(l => LinkGainDb(l) - model.Predict(LogDistanceKm(l)) - offset).ToArray();

        double? exponent = null;
        var plausible = true;
        if (x.Max() - x.Min() >= options.MinLogDistanceSpread && RobustStatistics.TheilSen(x, y) is { } line && RobustStatistics.TheilSenSlopeInterval(x, y, options.SlopeIntervalZ) is { } interval)
        {
            exponent = -line.Slope / 10;

            // Exponent bounds are −slope/10: the interval [lower slope, upper slope] maps to [−upper/10, −lower/10].
            plausible = -interval.Lower / 10 >= options.MinExponent && -interval.Upper / 10 <= options.MaxExponent;
        }

        return new BeaconFit(exponent, plausible, sigma, residuals);
    }

    private bool Uncensored(PocLink link, LineFit line) => PredictedMarginDb(link, line) >= options.CensoringMarginDb;

    /// <summary>How far above the witness's sensitivity the epoch model <paramref name="line"/> puts the link, dB (−∞ when the data rate does not parse).</summary>
    public double PredictedMarginDb(PocLink link, LineFit line) =>
        SensitivityGainDb(link) is { } floor ? line.Predict(LogDistanceKm(link)) - floor : double.NegativeInfinity;

    private IEnumerable<SpoofingVerdict> PerBeaconFits(EpochLinks epoch, LineFit? pooled)
    {
        var implausible = new FlagTally();
        var tooStrong = new FlagTally();
        var tooWeak = new FlagTally();
        foreach (var beacon in epoch.Beacons)
        {
            if (FitBeacon(beacon, pooled) is not { } fit)
            {
                continue;
            }

            if (fit.Exponent is { } exponent)
            {
                implausible.Observe(beacon.Beaconer.Id, !fit.Plausible, string.Create(CultureInfo.InvariantCulture, $"exponent {exponent:0.0}"));
            }

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

    /// <summary>
    /// Per-hotspot median residual against the pooled model, judged against the epoch's own distribution of those medians:
    /// antenna height, indoor/outdoor siting and local clutter give every honest hotspot a site offset of its own (±10 dB and
    /// more in a mixed city), which a fixed threshold mistook for spoofing. The centre is the median of all hotspots' medians and
    /// the spread their robust σ (honest majority); a hotspot is flagged only beyond <see cref="PathLossConsistencyOptions.SiteOffsetOutlierMads"/>
    /// of that spread, never less than the fixed floor or the standard-error bound.
    /// </summary>
    private IEnumerable<SpoofingVerdict> PooledExcess(IReadOnlyList<PocLink> links, LineFit line)
    {
        var residuals = links.Select(l => LinkGainDb(l) - line.Predict(LogDistanceKm(l))).ToArray();
        var uncensored = links.Select((l, i) => (l, i)).Where(t => Uncensored(t.l, line)).Select(t => residuals[t.i]).ToArray();
        var sigma = RobustStatistics.MadToSigma * RobustStatistics.Mad(uncensored.Length > 0 ? uncensored : residuals);
        var perHotspot = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        for (var i = 0; i < links.Count; i++)
        {
            Add(perHotspot, links[i].Beaconer.Id, residuals[i]);
            Add(perHotspot, links[i].Witness.Id, residuals[i]);
        }

        var medians = perHotspot
            .Where(kv => kv.Value.Count >= options.MinLinksPerHotspot)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (Id: kv.Key, Median: RobustStatistics.Median(kv.Value), Links: kv.Value.Count))
            .ToList();
        if (medians.Count == 0)
        {
            yield break;
        }

        var site = SiteOffsets(medians.Select(m => m.Median).ToArray());
        foreach (var (id, median, count) in medians)
        {
            var excess = median - site.Centre;
            var threshold = Math.Max(
                Math.Max(options.MinMedianExcessDb, options.SiteOffsetOutlierMads * site.Spread),
                options.MedianExcessStandardErrors * 1.2533 * sigma / Math.Sqrt(count));
            if (excess > threshold)
            {
                yield return new SpoofingVerdict(id, SpoofingCheck.PathLoss, EvidenceStrength.Strong, 1, 1, Describe("path_loss_excess", excess, threshold, count, line, site));
            }
            else if (excess < -threshold)
            {
                yield return new SpoofingVerdict(id, SpoofingCheck.PathLoss, EvidenceStrength.Weak, 1, 1, Describe("path_loss_deficit", excess, threshold, count, line, site));
            }
        }
    }

    /// <summary>
    /// Centre (median) and robust spread (1.4826·MAD) of the hotspots' median residuals. With fewer than
    /// <see cref="PathLossConsistencyOptions.MinHotspotsForSiteSpread"/> hotspots the epoch cannot tell a site offset from a
    /// spoof: centre 0 (the pooled model itself) and spread 0 (only the fixed floor applies).
    /// </summary>
    public SiteOffsetDistribution SiteOffsets(IReadOnlyList<double> hotspotMedians)
    {
        ArgumentNullException.ThrowIfNull(hotspotMedians);
        if (hotspotMedians.Count < options.MinHotspotsForSiteSpread)
        {
            return new SiteOffsetDistribution(0, 0);
        }

        return new SiteOffsetDistribution(RobustStatistics.Median(hotspotMedians), RobustStatistics.MadToSigma * RobustStatistics.Mad(hotspotMedians));
    }

    private static string Describe(string code, double excess, double threshold, int links, LineFit line, SiteOffsetDistribution site) =>
        string.Create(CultureInfo.InvariantCulture, $"{code}: median residual {excess:+0.0;-0.0} dB over {links} links vs epoch model (n = {-line.Slope / 10:0.00}) and the epoch's typical site ({site.Centre:+0.0;-0.0} dB, spread {site.Spread:0.0} dB), threshold {threshold:0.0} dB");

    private static void Add(Dictionary<string, List<double>> map, string id, double value)
    {
        if (!map.TryGetValue(id, out var list))
        {
            map[id] = list = [];
        }

        list.Add(value);
    }
}

/// <summary>
/// A beacon's fit: its own Theil–Sen exponent when the distance spread allows one (null otherwise), whether that exponent's
/// 99 % interval overlaps the physical range, the robust σ of its uncensored witnesses and the residuals of all links (in link order).
/// </summary>
public sealed record BeaconFit(double? Exponent, bool Plausible, double SigmaDb, IReadOnlyList<double> Residuals);

/// <summary>How the epoch's hotspots sit around the pooled model: median and robust σ of their median residuals, dB.</summary>
public readonly record struct SiteOffsetDistribution(double Centre, double Spread);
