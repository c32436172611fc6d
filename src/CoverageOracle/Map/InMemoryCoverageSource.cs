namespace DePin.Wireless.CoverageOracle.Map;

/// <summary>
/// Holds published epoch snapshots in memory. Readers see an immutable copy taken under a lock, so a
/// publish during a request never changes what that request is writing.
/// </summary>
public sealed class InMemoryCoverageSource : ICoverageSource
{
    private readonly Lock gate = new();
    private readonly SortedDictionary<long, EpochSnapshot> snapshots = new();

    /// <summary>Adds the snapshot, replacing any earlier snapshot of the same epoch.</summary>
    public void Publish(EpochSnapshot snapshot)
    {
        EpochSnapshotValidator.Validate(snapshot);
        var frozen = snapshot with
        {
            Cells = snapshot.Cells.ToArray(),
            Hotspots = snapshot.Hotspots.ToArray(),
            Links = snapshot.Links.ToArray(),
        };
        lock (gate)
        {
            snapshots[snapshot.Info.Epoch] = frozen;
        }
    }

    public IReadOnlyList<EpochInfo> Epochs()
    {
        lock (gate)
        {
            return snapshots.Values.Select(s => s.Info).ToArray();
        }
    }

    public EpochSnapshot? Get(long epoch)
    {
        lock (gate)
        {
            return snapshots.GetValueOrDefault(epoch);
        }
    }
}
