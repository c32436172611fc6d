namespace DePin.Wireless.CoverageOracle.Density;

/// <summary>The hex hierarchy operations hex density needs (implemented over H3).</summary>
public interface IHexHierarchy
{
    int Resolution(ulong cell);

    ulong Parent(ulong cell, int resolution);

    /// <summary>The cell and its immediate neighbours (grid disk k = 1).</summary>
    IEnumerable<ulong> Disk1(ulong cell);
}

/// <summary>Per-resolution HIP-17 parameters: neighbour allowance N, target density and maximum.</summary>
public sealed record DensityLevel(int Resolution, int Neighbours, int Target, int Max);

public sealed record HexDensityOptions
{
    /// <summary>HIP-104 values (shared/reference/helium-poc-and-data-credits.md §3; iot_verifier/src/hex_density.rs).</summary>
    public IReadOnlyList<DensityLevel> Levels { get; init; } =
    [
        new(4, 2, 500, 1000),
        new(5, 4, 100, 200),
        new(6, 4, 25, 50),
        new(7, 4, 5, 10),
        new(8, 2, 1, 1),
        new(9, 2, 1, 1),
        new(10, 2, 1, 1),
    ];

    /// <summary>Active hotspots are counted at this resolution before rolling up (res 11).</summary>
    public int BaseResolution { get; init; } = 11;

    /// <summary>Scale for a hotspot with no entry (DEFAULT_TX_SCALE = 0.2).</summary>
    public double DefaultScale { get; init; } = 0.2;

    public void Validate()
    {
        var resolutions = Levels.Select(l => l.Resolution).ToList();
        if (resolutions.Count == 0 || resolutions.Distinct().Count() != resolutions.Count || resolutions.Any(r => r < 0 || r >= BaseResolution))
        {
            throw new ArgumentException("hex density levels need distinct resolutions below the base resolution");
        }

        if (Levels.Any(l => l.Target < 0 || l.Max < l.Target || l.Neighbours < 0))
        {
            throw new ArgumentException("hex density levels need 0 <= target <= max and neighbours >= 0");
        }
    }
}

/// <summary>
/// HIP-17 hex density scaling with HIP-104 parameters. Active hotspots are counted per res-11 cell; counts roll
/// up resolution by resolution (10 down to 4): a cell's unclipped value is the sum of its children's clipped
/// values, and it is clipped to min(max, target × (max(occupied − N, 0) + 1)) where occupied counts the cells of
/// its k=1 disk whose rolled-up (unclipped) value at that resolution reaches the target. A hotspot's scale is the product of clipped/unclipped
/// over its parents at each level.
/// </summary>
public sealed class HexDensityCalculator(IHexHierarchy grid, HexDensityOptions options)
{
    /// <summary>Computes each active hotspot's scale. Input: hotspot id → asserted cell (any resolution ≥ base).</summary>
    public IReadOnlyDictionary<string, double> Compute(IReadOnlyDictionary<string, ulong> activeHotspots)
    {
        options.Validate();
        var levels = options.Levels.OrderByDescending(l => l.Resolution).ToList();

        // Clipped values per resolution; the base resolution's are the raw counts.
        var clippedBy = new Dictionary<int, Dictionary<ulong, long>>();
        var unclippedBy = new Dictionary<int, Dictionary<ulong, long>>();
        var baseCounts = new Dictionary<ulong, long>();
        foreach (var cell in activeHotspots.Values)
        {
            var b = grid.Parent(cell, options.BaseResolution);
            baseCounts[b] = baseCounts.GetValueOrDefault(b) + 1;
        }

        var childClipped = baseCounts;
        foreach (var level in levels)
        {
            var unclipped = new Dictionary<ulong, long>();
            foreach (var (child, value) in childClipped)
            {
                var parent = grid.Parent(child, level.Resolution);
                unclipped[parent] = unclipped.GetValueOrDefault(parent) + value;
            }

            var clipped = new Dictionary<ulong, long>(unclipped.Count);
            foreach (var (cell, value) in unclipped)
            {
                // Neighbours' density is judged on their own (unclipped) sums at this level: a cell is
                // "occupied" when it reaches the target (Helium compares the rolled-up values).
                // The limit is never below min(max, target) = target, so a value at or under the target is kept
                // as is and its neighbours need not be looked at (most cells at res 8–10, where target = 1).
                if (value <= level.Target)
                {
                    clipped[cell] = value;
                    continue;
                }

                var occupied = grid.Disk1(cell).Count(n => unclipped.GetValueOrDefault(n) >= level.Target);
                var limit = Math.Min(level.Max, (long)level.Target * (Math.Max(occupied - level.Neighbours, 0) + 1));
                clipped[cell] = Math.Min(limit, value);
            }

            clippedBy[level.Resolution] = clipped;
            unclippedBy[level.Resolution] = unclipped;
            childClipped = clipped;
        }

        // A hotspot's scale is the product of clipped/unclipped over its parents at each level. Products are
        // built top-down once per cell (coarsest level first), so each hotspot needs one lookup at the finest level.
        var ascending = levels.AsEnumerable().Reverse().ToList();
        Dictionary<ulong, double>? coarser = null;
        var coarserResolution = 0;
        foreach (var level in ascending)
        {
            var unclipped = unclippedBy[level.Resolution];
            var clipped = clippedBy[level.Resolution];
            var product = new Dictionary<ulong, double>(unclipped.Count);
            foreach (var (cell, u) in unclipped)
            {
                var ratio = u == 0 ? 0 : (double)clipped[cell] / u;
                product[cell] = coarser is null ? ratio : ratio * coarser[grid.Parent(cell, coarserResolution)];
            }

            coarser = product;
            coarserResolution = level.Resolution;
        }

        var result = new Dictionary<string, double>(activeHotspots.Count, StringComparer.Ordinal);
        foreach (var (id, cell) in activeHotspots)
        {
            result[id] = coarser![grid.Parent(cell, coarserResolution)];
        }

        return result;
    }

    /// <summary>The scale to use for a hotspot: computed when active, else the default.</summary>
    public double ScaleOrDefault(IReadOnlyDictionary<string, double> scales, string hotspot) =>
        scales.TryGetValue(hotspot, out var s) ? s : options.DefaultScale;
}
