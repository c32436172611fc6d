namespace DePin.Wireless.CoverageOracle.Verification;

/// <summary>
/// What earlier proofs left behind that later checks need: each hotspot's last beacon bucket (schedule check),
/// its last valid witness (HIP-106 beacon reciprocity) and its last valid beacon that had a witness (witness
/// reciprocity). Verification runs in time order, so this is updated as windows are verified.
/// </summary>
public sealed class PocHistory
{
    private readonly Dictionary<string, DateTimeOffset> _lastBeaconBucket = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastValidWitness = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastValidBeaconWithWitness = new(StringComparer.Ordinal);

    public DateTimeOffset? LastBeaconBucket(string hotspot) => _lastBeaconBucket.TryGetValue(hotspot, out var t) ? t : null;

    public DateTimeOffset? LastValidWitness(string hotspot) => _lastValidWitness.TryGetValue(hotspot, out var t) ? t : null;

    public DateTimeOffset? LastValidBeaconWithWitness(string hotspot) => _lastValidBeaconWithWitness.TryGetValue(hotspot, out var t) ? t : null;

    public void RecordBeaconBucket(string hotspot, DateTimeOffset bucket) => _lastBeaconBucket[hotspot] = bucket;

    public void RecordValidWitness(string hotspot, DateTimeOffset at) => Max(_lastValidWitness, hotspot, at);

    public void RecordValidBeaconWithWitness(string hotspot, DateTimeOffset at) => Max(_lastValidBeaconWithWitness, hotspot, at);

    /// <summary>Seeds the history (e.g. on onboarding, or restored from storage).</summary>
    public void Restore(string hotspot, DateTimeOffset? lastBeaconBucket, DateTimeOffset? lastValidWitness, DateTimeOffset? lastValidBeaconWithWitness)
    {
        if (lastBeaconBucket is { } b)
        {
            _lastBeaconBucket[hotspot] = b;
        }

        if (lastValidWitness is { } w)
        {
            _lastValidWitness[hotspot] = w;
        }

        if (lastValidBeaconWithWitness is { } v)
        {
            _lastValidBeaconWithWitness[hotspot] = v;
        }
    }

    private static void Max(Dictionary<string, DateTimeOffset> map, string key, DateTimeOffset at)
    {
        if (!map.TryGetValue(key, out var existing) || existing < at)
        {
            map[key] = at;
        }
    }
}
