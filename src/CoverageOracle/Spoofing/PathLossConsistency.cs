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
        return Analyze(epoch, FitPooled(epoch.LinkArray));
    }

    /// <summary>The analysis with the epoch's pooled fit already computed (<see cref="FitPooled"/> of all its links).</summary>
    public IReadOnlyList<SpoofingVerdict> Analyze(EpochLinks epoch, LineFit? pooled)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        var verdicts = new List<SpoofingVerdict>();
        verdicts.AddRange(PerBeaconFits(epoch, pooled));
        if (pooled is { } line)
        {
            verdicts.AddRange(PooledExcess(epoch, line));
        }

        return verdicts;
    }

    /// <summary>Link gain in dB: what the path took away, with both antenna gains (tenths of dBi) credited.</summary>
    public static double LinkGainDb(PocLink link) => link.GainDb;

    /// <summary>log10 of the asserted distance in km (at least 1 m, so co-located assertions stay finite).</summary>
    public static double LogDistanceKm(PocLink link) => link.LogDistanceKm;

    /// <summary>The lowest link gain the witness could have decoded at the link's data rate; null when the data rate does not parse.</summary>
    public double? SensitivityGainDb(PocLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (link.Rate is not { } rate)
        {
            return null;
        }

        return LinkBudget.Sensitivity(rate, options.NoiseFigureDb).Value - link.Poc.Beacon.TxPowerDbm - (link.Beaconer.GainDeciDbi / 10.0) - (link.Witness.GainDeciDbi / 10.0);
    }

    /// <summary>
    /// The epoch's censoring-aware Huber fit, or null with too few links. Each link's x, gain and sensitivity floor are read
    /// once into arrays; every censoring round refits on the links its predecessor predicts comfortably above sensitivity.
    /// </summary>
    public LineFit? FitPooled(IReadOnlyList<PocLink> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (links.Count < options.MinPooledLinks)
        {
            return null;
        }

        var count = links.Count;
        var x = new double[count];
        var y = new double[count];

        // +∞ for a link whose data rate does not parse: its predicted margin is −∞, as PredictedMarginDb says.
        var floor = new double[count];
        ParallelChunks.For(count, (start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                x[i] = LogDistanceKm(links[i]);
                y[i] = LinkGainDb(links[i]);
                floor[i] = SensitivityGainDb(links[i]) ?? double.PositiveInfinity;
            }
        });

        var workspace = new HuberWorkspace(count);
        var line = RobustStatistics.Huber(x, y, count, options.HuberK, HuberIterations, workspace);
        double[]? keptX = null, keptY = null;
        for (var round = 0; round < options.CensoringRounds && line is { } current; round++)
        {
            keptX ??= new double[count];
            keptY ??= new double[count];
            var kept = 0;
            for (var i = 0; i < count; i++)
            {
                if (current.Predict(x[i]) - floor[i] >= options.CensoringMarginDb)
                {
                    keptX[kept] = x[i];
                    keptY[kept] = y[i];
                    kept++;
                }
            }

            if (kept < options.MinPooledLinks)
            {
                break;
            }

            line = RobustStatistics.Huber(keptX, keptY, kept, options.HuberK, HuberIterations, workspace) ?? current;
        }

        return line;
    }

    /// <summary>IRLS iterations of each pooled Huber fit (RobustStatistics.Huber's default).</summary>
    private const int HuberIterations = 50;

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

        var links = beacon.Links;
        var modelResiduals = new double[links.Count];
        var fitted = new List<int>(links.Count);
        for (var i = 0; i < links.Count; i++)
        {
            modelResiduals[i] = LinkGainDb(links[i]) - model.Predict(LogDistanceKm(links[i]));
            if (Uncensored(links[i], model))
            {
                fitted.Add(i);
            }
        }

        if (fitted.Count < options.MinWitnessesPerBeacon)
        {
            return null;
        }

        var x = new double[fitted.Count];
        var y = new double[fitted.Count];
        var fittedResiduals = new double[fitted.Count];
        for (var j = 0; j < fitted.Count; j++)
        {
            x[j] = LogDistanceKm(links[fitted[j]]);
            y[j] = LinkGainDb(links[fitted[j]]);
            fittedResiduals[j] = modelResiduals[fitted[j]];
        }

        var offset = RobustStatistics.Median(fittedResiduals);
        for (var j = 0; j < fittedResiduals.Length; j++)
        {
            fittedResiduals[j] -= offset;
        }

        var sigma = Math.Max(RobustStatistics.MadToSigma * RobustStatistics.Mad(fittedResiduals), options.MinResidualSigmaDb);
        var residuals = new double[links.Count];
        for (var i = 0; i < residuals.Length; i++)
        {
            residuals[i] = modelResiduals[i] - offset;
        }

        double? exponent = null;
        var plausible = true;
        if (x.Max() - x.Min() >= options.MinLogDistanceSpread && RobustStatistics.TheilSenWithInterval(x, y, options.SlopeIntervalZ) is { } theilSen)
        {
            exponent = -theilSen.Line.Slope / 10;

            // Exponent bounds are −slope/10: the interval [lower slope, upper slope] maps to [−upper/10, −lower/10].
            plausible = -theilSen.Lower / 10 >= options.MinExponent && -theilSen.Upper / 10 <= options.MaxExponent;
        }

        return new BeaconFit(exponent, plausible, sigma, residuals);
    }

    private bool Uncensored(PocLink link, LineFit line) => PredictedMarginDb(link, line) >= options.CensoringMarginDb;

    /// <summary>How far above the witness's sensitivity the epoch model <paramref name="line"/> puts the link, dB (−∞ when the data rate does not parse).</summary>
    public double PredictedMarginDb(PocLink link, LineFit line) =>
        SensitivityGainDb(link) is { } floor ? line.Predict(LogDistanceKm(link)) - floor : double.NegativeInfinity;

    private IEnumerable<SpoofingVerdict> PerBeaconFits(EpochLinks epoch, LineFit? pooled)
    {
        var implausible = new FlagTally(epoch.HotspotIds);
        var tooStrong = new FlagTally(epoch.HotspotIds);
        var tooWeak = new FlagTally(epoch.HotspotIds);

        // Each beacon's fit is independent of the others: fitted in parallel, tallied in beacon order.
        var fits = new BeaconFit?[epoch.Beacons.Count];
        Parallel.For(0, fits.Length, i => fits[i] = FitBeacon(epoch.Beacons[i], pooled));
        for (var b = 0; b < fits.Length; b++)
        {
            var beacon = epoch.Beacons[b];
            if (fits[b] is not { } fit)
            {
                continue;
            }

            if (fit.Exponent is { } exponent)
            {
                implausible.Observe(beacon.BeaconerIndex, !fit.Plausible, fit.Plausible ? null : string.Create(CultureInfo.InvariantCulture, $"exponent {exponent:0.0}"));
            }

            for (var i = 0; i < beacon.Links.Count; i++)
            {
                var z = fit.Residuals[i] / fit.SigmaDb;
                var id = beacon.Links[i].WitnessIndex;
                var strong = z > options.OutlierMads;
                var weak = z < -options.OutlierMads;
                var example = strong || weak ? string.Create(CultureInfo.InvariantCulture, $"{fit.Residuals[i]:+0.0;-0.0} dB vs beacon of {beacon.Beaconer.Id}") : null;
                tooStrong.Observe(id, strong, example);
                tooWeak.Observe(id, weak, example);
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
    private IEnumerable<SpoofingVerdict> PooledExcess(EpochLinks epoch, LineFit line)
    {
        var links = epoch.LinkArray;
        var residuals = new double[links.Length];
        var uncensoredLink = new bool[links.Length];
        ParallelChunks.For(links.Length, (start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                residuals[i] = LinkGainDb(links[i]) - line.Predict(LogDistanceKm(links[i]));
                uncensoredLink[i] = Uncensored(links[i], line);
            }
        });

        var uncensored = residuals.Where((_, i) => uncensoredLink[i]).ToArray();
        var sigma = RobustStatistics.MadToSigma * RobustStatistics.Mad(uncensored.Length > 0 ? uncensored : residuals);
        var medians = PerHotspotMedians(epoch.HotspotIds, links, residuals);
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

    /// <summary>
    /// Median residual of every hotspot with at least <see cref="PathLossConsistencyOptions.MinLinksPerHotspot"/> links (as
    /// beaconer or witness), in hotspot index (ordinal id) order. Each hotspot's residuals are gathered into one slice of a
    /// shared array (counting sort by index), and the slices' medians are taken in parallel: each is independent.
    /// </summary>
    private List<(string Id, double Median, int Links)> PerHotspotMedians(IReadOnlyList<string> ids, PocLink[] links, double[] residuals)
    {
        var starts = new int[ids.Count + 1];
        foreach (var link in links)
        {
            starts[link.BeaconerIndex + 1]++;
            starts[link.WitnessIndex + 1]++;
        }

        for (var h = 0; h < ids.Count; h++)
        {
            starts[h + 1] += starts[h];
        }

        var values = new double[starts[ids.Count]];
        var fill = starts[..^1];
        for (var i = 0; i < links.Length; i++)
        {
            values[fill[links[i].BeaconerIndex]++] = residuals[i];
            values[fill[links[i].WitnessIndex]++] = residuals[i];
        }

        var medians = new double[ids.Count];
        ParallelChunks.For(ids.Count, HotspotsPerChunk, (start, end) =>
        {
            for (var h = start; h < end; h++)
            {
                var count = starts[h + 1] - starts[h];
                if (count >= options.MinLinksPerHotspot && count > 0)
                {
                    medians[h] = RobustStatistics.MedianInPlace(values.AsSpan(starts[h], count));
                }
            }
        });

        var result = new List<(string Id, double Median, int Links)>();
        for (var h = 0; h < ids.Count; h++)
        {
            var count = starts[h + 1] - starts[h];
            if (count >= options.MinLinksPerHotspot && count > 0)
            {
                result.Add((ids[h], medians[h], count));
            }
        }

        return result;
    }

    private const int HotspotsPerChunk = 1 << 11;
}

/// <summary>
/// A beacon's fit: its own Theil–Sen exponent when the distance spread allows one (null otherwise), whether that exponent's
/// 99 % interval overlaps the physical range, the robust σ of its uncensored witnesses and the residuals of all links (in link order).
/// </summary>
public sealed record BeaconFit(double? Exponent, bool Plausible, double SigmaDb, IReadOnlyList<double> Residuals);

/// <summary>How the epoch's hotspots sit around the pooled model: median and robust σ of their median residuals, dB.</summary>
public readonly record struct SiteOffsetDistribution(double Centre, double Spread);
