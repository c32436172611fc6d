namespace DePin.Wireless.CoverageOracle.Density;

/// <summary>
/// The straightforward, dictionary-based HIP-17 hex density (HIP-104 parameters): the executable specification
/// <see cref="HexDensityCalculator"/> is property-tested against and the baseline of its benchmark. Active hotspots are counted per res-11 cell; counts roll
/// up resolution by resolution (10 down to 4): a cell's unclipped value is the sum of its children's clipped
/// values, and it is clipped to min(max, target × (max(occupied − N, 0) + 1)) where occupied counts the cells of
/// its k=1 disk whose rolled-up (unclipped) value at that resolution reaches the target. A hotspot's scale is the product of clipped/unclipped
/// over its parents at each level.
/// </summary>
public sealed class ReferenceHexDensityCalculator(IHexHierarchy grid, HexDensityOptions options)
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

                var disk = new ulong[7];
                var occupied = 0;
                foreach (var n in disk.AsSpan(0, grid.Disk1(cell, disk)))
                {
                    occupied += unclipped.GetValueOrDefault(n) >= level.Target ? 1 : 0;
                }

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
}
