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

/// <summary>
/// Flags and opportunities of each hotspot (numbered by <see cref="EpochLinks.HotspotIds"/>) in one check, turned into a
/// verdict once both thresholds are met. Arrays, not a dictionary of id strings: the per-link checks observe every link of
/// the epoch. Verdicts come in hotspot number order, which is ordinal id order.
/// </summary>
internal sealed class FlagTally(IReadOnlyList<string> ids)
{
    private readonly int[] _flags = new int[ids.Count];
    private readonly int[] _opportunities = new int[ids.Count];
    private readonly string?[] _examples = new string?[ids.Count];

    /// <param name="example">Kept for the verdict's reason when it is the hotspot's first flagged observation; only read when
    /// <paramref name="flagged"/>, so callers build it only then (formatting one for every observation of an epoch was a
    /// large share of the analysis' cost).</param>
    public void Observe(int hotspot, bool flagged, string? example = null)
    {
        _opportunities[hotspot]++;
        if (flagged)
        {
            _flags[hotspot]++;
            _examples[hotspot] ??= example;
        }
    }

    public IEnumerable<SpoofingVerdict> Verdicts(SpoofingCheck check, EvidenceStrength strength, string code, int minFlags, double minShare)
    {
        for (var h = 0; h < _flags.Length; h++)
        {
            if (_opportunities[h] > 0 && _flags[h] >= minFlags && _flags[h] >= minShare * _opportunities[h])
            {
                yield return new SpoofingVerdict(ids[h], check, strength, _flags[h], _opportunities[h], FormattableString.Invariant($"{code}: {_flags[h]}/{_opportunities[h]} flagged, e.g. {_examples[h]}"));
            }
        }
    }
}
