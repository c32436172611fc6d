using System.Globalization;
using DePin.Wireless.Core.Physics;

namespace DePin.Wireless.CoverageOracle.Spoofing;

/// <summary>
/// Time of arrival against the asserted geometry. GPS witnesses report a fine timestamp (ns within the GPS second), so the
/// arrival-time differences between witnesses of one beacon must equal the differences of their asserted distances to the
/// beaconer divided by c (TDoA).
/// <list type="bullet">
/// <item>Per beacon: offsets o_i = t_i − d_i/c, emission time = median(o); residuals r_i = o_i − median. When most residuals
/// exceed the tolerance the asserted origin is wrong: the beaconer is flagged. Otherwise witnesses with |r_i| above it are
/// flagged (a relay through a second radio adds milliseconds).</item>
/// <item>With ≥ 4 timed witnesses the origin is multilaterated and its distance from the asserted location reported with the
/// verdict. It is not a criterion of its own: on synthetic epochs a single bad witness (a spoofer or relayer among them) pulled
/// fixes of honest beacons kilometres away with a low RMS, while the median test above stayed right.</item>
/// <item>Coarse, for any witness with HeardAt: far later than the beacon's median witness, or later than the beacon report's arrival
/// at the ingest server by more than a generous latency, is "heard late".</item>
/// </list>
/// </summary>
public sealed class TimingConsistency(TimingConsistencyOptions options)
{
    private const long NanosecondsPerSecond = 1_000_000_000;

    public IReadOnlyList<SpoofingVerdict> Analyze(EpochLinks epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        var origin = new FlagTally(epoch.HotspotIds);
        var witnessToa = new FlagTally(epoch.HotspotIds);
        var late = new FlagTally(epoch.HotspotIds);

        // Beacons are judged independently (multilateration is the costly part): in parallel, tallied in beacon order.
        var judgements = new TimingJudgement?[epoch.Beacons.Count];
        Parallel.For(0, judgements.Length, i => judgements[i] = JudgeBeacon(epoch.Beacons[i]));
        for (var b = 0; b < judgements.Length; b++)
        {
            var beacon = epoch.Beacons[b];
            if (judgements[b] is { } judgement)
            {
                origin.Observe(beacon.BeaconerIndex, judgement.OriginInconsistent, judgement.OriginInconsistent ? judgement.Describe() : null);
                if (!judgement.OriginInconsistent)
                {
                    // ResidualsNs follows the beacon's timed links in order (JudgeBeacon).
                    var timed = beacon.Links.Where(l => l.Report.FineTimestampNs is not null).ToList();
                    for (var t = 0; t < timed.Count; t++)
                    {
                        var residual = judgement.ResidualsNs[t].ResidualNs;
                        var off = Math.Abs(residual) > options.ToleranceNs;
                        witnessToa.Observe(timed[t].WitnessIndex, off, !off ? null : string.Create(CultureInfo.InvariantCulture, $"arrival {residual / 1000:+0.0;-0.0} µs off the asserted geometry (beacon of {beacon.Beaconer.Id})"));
                    }
                }
            }

            ObserveHeardAt(beacon, late);
        }

        return origin.Verdicts(SpoofingCheck.Timing, EvidenceStrength.Strong, "timing_origin_mismatch", options.MinFlags, options.MinFlagShare)
            .Concat(witnessToa.Verdicts(SpoofingCheck.Timing, EvidenceStrength.Strong, "timing_witness_arrival", options.MinFlags, options.MinFlagShare))
            .Concat(late.Verdicts(SpoofingCheck.Timing, EvidenceStrength.Strong, "timing_heard_late", options.MinFlags, options.MinFlagShare))
            .ToList();
    }

    /// <summary>The TDoA judgement of one beacon, or null with fewer than the minimum of fine-timestamped witnesses.</summary>
    public TimingJudgement? JudgeBeacon(BeaconLinks beacon)
    {
        ArgumentNullException.ThrowIfNull(beacon);
        var timed = beacon.Links.Where(l => l.Report.FineTimestampNs is not null).ToList();
        if (timed.Count < options.MinTimedWitnesses)
        {
            return null;
        }

        var reference = timed[0].Report.FineTimestampNs!.Value;
        var arrivals = timed.Select(l => WrappedDifferenceNs(l.Report.FineTimestampNs!.Value, reference)).ToArray();
        var offsets = timed.Select((l, i) => arrivals[i] - (l.AssertedDistanceMeters / options.SpeedOfLight * 1e9)).ToArray();
        var emission = RobustStatistics.Median(offsets);
        var residuals = offsets.Select(o => o - emission).ToArray();
        var inconsistent = RobustStatistics.Median(residuals.Select(Math.Abs).ToArray()) > options.ToleranceNs;

        MultilaterationFix? fix = null;
        var offsetMeters = 0.0;
        if (timed.Count >= options.MinWitnessesForMultilateration)
        {
            var receivers = timed.Select(l => ToPlane(beacon.BeaconerPosition, l.WitnessPosition)).ToArray();
            var ranges = arrivals.Select(a => a * 1e-9 * options.SpeedOfLight).ToArray();
            var centroid = new PlanePoint(receivers.Average(r => r.East), receivers.Average(r => r.North));
            fix = Multilateration.Solve(receivers, ranges, [new PlanePoint(0, 0), centroid], options.MaxIterations);
            offsetMeters = fix.Value.Position.DistanceTo(new PlanePoint(0, 0));
        }

        return new TimingJudgement(
            inconsistent,
            timed.Select((l, i) => (l.Witness.Id, residuals[i])).ToArray(),
            fix,
            offsetMeters);
    }

    /// <summary>Difference of two fine timestamps (ns within the GPS second), wrapped to (−0.5 s, 0.5 s].</summary>
    public static double WrappedDifferenceNs(long value, long reference)
    {
        var d = ((value - reference) % NanosecondsPerSecond + NanosecondsPerSecond) % NanosecondsPerSecond;
        return d > NanosecondsPerSecond / 2 ? d - NanosecondsPerSecond : d;
    }

    /// <summary>Equirectangular projection around <paramref name="origin"/>, metres; error well under a metre over tens of km at mid latitudes.</summary>
    public static PlanePoint ToPlane(GeoPoint origin, GeoPoint point)
    {
        const double degreesToRadians = Math.PI / 180;
        var r = GreatCircle.H3EarthRadiusMeters;
        var east = (point.LongitudeDegrees - origin.LongitudeDegrees) * degreesToRadians * r * Math.Cos(origin.LatitudeDegrees * degreesToRadians);
        var north = (point.LatitudeDegrees - origin.LatitudeDegrees) * degreesToRadians * r;
        return new PlanePoint(east, north);
    }

    /// <summary>
    /// Witnesses that heard a replayed copy of a beacon. A second transmission of the same frame somewhere else (a relay
    /// transmitter) is heard later by every honest radio around it; they reported truthfully what they heard, so their links
    /// are evidence of the replay, not against them. The original is the earliest group of at least two distinct witnesses
    /// within <see cref="TimingConsistencyOptions.MaxHeardAtLag"/> of each other (a replay can only come later, and on the
    /// devnet as many radios heard the replay as the original, so the median is no reference). A witness later than that by
    /// more than the lag, with another distinct late witness within the lag of it, heard a replay; a lone late claim (a relay
    /// partner stamping its own time) stays in. Returned by reference, for <see cref="EpochLinks.Without"/>.
    /// </summary>
    public IReadOnlySet<PocLink> ReplayedCopies(EpochLinks epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        // Beacons are independent: judged in parallel, the copies collected in beacon order.
        var perBeacon = new List<PocLink>?[epoch.Beacons.Count];
        ParallelChunks.For(perBeacon.Length, BeaconsPerChunk, (start, end) =>
        {
            for (var b = start; b < end; b++)
            {
                perBeacon[b] = ReplayedCopies(epoch.Beacons[b]);
            }
        });

        var replayed = new HashSet<PocLink>(ReferenceEqualityComparer.Instance);
        foreach (var link in perBeacon.Where(l => l is not null).SelectMany(l => l!))
        {
            replayed.Add(link);
        }

        return replayed;
    }

    private const int BeaconsPerChunk = 1 << 10;

    /// <summary>
    /// One beacon's replayed copies (see <see cref="ReplayedCopies(EpochLinks)"/>), null when it has none to judge. The links
    /// are sorted by HeardAt (then witness number, i.e. ordinal id), so a link's companions within the lag are its neighbours
    /// in that order: each search stops at the first neighbour beyond the lag on either side.
    /// </summary>
    private List<PocLink>? ReplayedCopies(BeaconLinks beacon)
    {
        var lag = options.MaxHeardAtLag.Ticks;
        var heard = beacon.Links.Where(l => l.Report.HeardAt is not null).ToArray();
        if (heard.Length < options.MinTimedWitnesses)
        {
            return null;
        }

        var ticks = new long[heard.Length];
        for (var i = 0; i < heard.Length; i++)
        {
            ticks[i] = heard[i].Report.HeardAt!.Value.UtcTicks;
        }

        // Stable order (ticks, then witness number): Array.Sort of the keys with the index as a final tie-break.
        var order = new (long Ticks, int Witness, int Index)[heard.Length];
        for (var i = 0; i < heard.Length; i++)
        {
            order[i] = (ticks[i], heard[i].WitnessIndex, i);
        }

        Array.Sort(order);
        var sorted = Array.ConvertAll(order, o => heard[o.Index]);
        var sortedTicks = Array.ConvertAll(order, o => o.Ticks);

        var first = -1;
        for (var i = 0; i < sorted.Length && first < 0; i++)
        {
            if (HasCompanion(sorted, sortedTicks, i, 0, lag))
            {
                first = i;
            }
        }

        if (first < 0)
        {
            return null;
        }

        var lateStart = first;
        while (lateStart < sorted.Length && sortedTicks[lateStart] - sortedTicks[first] <= lag)
        {
            lateStart++;
        }

        var replayed = new List<PocLink>();
        for (var i = lateStart; i < sorted.Length; i++)
        {
            if (HasCompanion(sorted, sortedTicks, i, lateStart, lag))
            {
                replayed.Add(sorted[i]);
            }
        }

        return replayed;
    }

    /// <summary>Whether another witness's link among <c>sorted[from..]</c> was heard within <paramref name="lag"/> ticks of <c>sorted[i]</c>.</summary>
    private static bool HasCompanion(PocLink[] sorted, long[] ticks, int i, int from, long lag)
    {
        for (var j = i - 1; j >= from && ticks[i] - ticks[j] <= lag; j--)
        {
            if (sorted[j].WitnessIndex != sorted[i].WitnessIndex)
            {
                return true;
            }
        }

        for (var j = i + 1; j < sorted.Length && ticks[j] - ticks[i] <= lag; j++)
        {
            if (sorted[j].WitnessIndex != sorted[i].WitnessIndex)
            {
                return true;
            }
        }

        return false;
    }

    private void ObserveHeardAt(BeaconLinks beacon, FlagTally late)
    {
        var heard = beacon.Links.Where(l => l.Report.HeardAt is not null).ToList();
        if (heard.Count < options.MinTimedWitnesses)
        {
            return;
        }

        var ticks = heard.Select(l => (double)l.Report.HeardAt!.Value.UtcTicks).ToArray();
        var median = RobustStatistics.Median(ticks);
        foreach (var l in heard)
        {
            var lag = TimeSpan.FromTicks((long)(l.Report.HeardAt!.Value.UtcTicks - median));
            var afterBeacon = l.Report.HeardAt!.Value - beacon.Poc.Beacon.Received;
            var isLate = lag > options.MaxHeardAtLag || afterBeacon > options.MaxHeardAfterBeaconReceived;
            late.Observe(l.WitnessIndex, isLate, !isLate ? null : string.Create(CultureInfo.InvariantCulture, $"heard {lag.TotalMilliseconds:0} ms after the beacon's median witness (beacon of {beacon.Beaconer.Id})"));
        }
    }
}

/// <summary>A beacon's TDoA verdict: whether the asserted origin contradicts the arrivals, per-witness residuals (ns), and the multilaterated fix if any.</summary>
public sealed record TimingJudgement(
    bool OriginInconsistent,
    IReadOnlyList<(string WitnessId, double ResidualNs)> ResidualsNs,
    MultilaterationFix? Fix,
    double FixOffsetMeters)
{
    public string Describe() => Fix is { } f
        ? string.Create(CultureInfo.InvariantCulture, $"multilaterated origin {FixOffsetMeters:0} m from the asserted location (rms {f.RmsResidualMeters:0} m)")
        : string.Create(CultureInfo.InvariantCulture, $"median arrival residual {RobustStatistics.Median(ResidualsNs.Select(r => Math.Abs(r.ResidualNs)).ToArray()) / 1000:0.0} µs");
}
