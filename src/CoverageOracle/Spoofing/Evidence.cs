namespace DePin.Wireless.CoverageOracle.Spoofing;

/// <summary>The analysis that produced a piece of evidence.</summary>
public enum SpoofingCheck
{
    PathLoss,
    SnrRssi,
    Timing,
    WitnessGraph,
}

/// <summary>How much a verdict weighs: strong (physics the asserted geometry cannot explain) or weak (also explained by obstacles, clocks, hardware).</summary>
public enum EvidenceStrength
{
    Weak,
    Strong,
}

/// <summary>One analysis' verdict on one hotspot for one epoch, with the counts behind it.</summary>
/// <param name="Flags">Observations that disagreed (beacons, links or witness reports, depending on the check).</param>
/// <param name="Opportunities">Observations the check could judge.</param>
/// <param name="Reason">Human-readable reason, stable prefix first (e.g. "path_loss_excess: …").</param>
public sealed record SpoofingVerdict(
    string HotspotId,
    SpoofingCheck Check,
    EvidenceStrength Strength,
    int Flags,
    int Opportunities,
    string Reason);

/// <summary>Flags and opportunities of one hotspot in one check, turned into a verdict once both thresholds are met.</summary>
internal sealed class FlagTally
{
    private readonly Dictionary<string, (int Flags, int Opportunities, string? Example)> _counts = new(StringComparer.Ordinal);

    /// <param name="example">Kept for the verdict's reason when it is the hotspot's first flagged observation; only read when
    /// <paramref name="flagged"/>, so callers build it only then (formatting one for every observation of an epoch was a
    /// large share of the analysis' cost).</param>
    public void Observe(string hotspotId, bool flagged, string? example = null)
    {
        _counts.TryGetValue(hotspotId, out var c);
        _counts[hotspotId] = (c.Flags + (flagged ? 1 : 0), c.Opportunities + 1, flagged ? c.Example ?? example : c.Example);
    }

    public int Opportunities(string hotspotId) => _counts.TryGetValue(hotspotId, out var c) ? c.Opportunities : 0;

    public IEnumerable<SpoofingVerdict> Verdicts(SpoofingCheck check, EvidenceStrength strength, string code, int minFlags, double minShare) =>
        _counts
            .Where(kv => kv.Value.Flags >= minFlags && kv.Value.Flags >= minShare * kv.Value.Opportunities)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new SpoofingVerdict(
                kv.Key,
                check,
                strength,
                kv.Value.Flags,
                kv.Value.Opportunities,
                FormattableString.Invariant($"{code}: {kv.Value.Flags}/{kv.Value.Opportunities} flagged, e.g. {kv.Value.Example}")));
}
