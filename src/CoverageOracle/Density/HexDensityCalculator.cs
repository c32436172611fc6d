namespace DePin.Wireless.CoverageOracle.Density;

/// <summary>
/// HIP-17 hex density scaling with HIP-104 parameters. Active hotspots are counted per res-11 cell; counts roll
/// up resolution by resolution (10 down to 4): a cell's unclipped value is the sum of its children's clipped
/// values, and it is clipped to min(max, target × (max(occupied − N, 0) + 1)) where occupied counts the cells of
/// its k=1 disk whose rolled-up (unclipped) value at that resolution reaches the target. A hotspot's scale is the
/// product of clipped/unclipped over its parents at each level.
/// </summary>
/// <remarks>
/// Same results, bit for bit, as <see cref="ReferenceHexDensityCalculator"/>, without hash tables: the base cells
/// are sorted once and every coarser level is a run-length pass over the sorted finer level (an H3 parent keeps
/// the index's leading digits and sets the rest to 7, so sorted children have sorted parents); each cell keeps the
/// index of its parent, so the scale products and the per-hotspot lookup are array indexing. Neighbour counts
/// binary-search the level's sorted cells and run in parallel (each cell's result is independent of the others).
/// </remarks>
public sealed class HexDensityCalculator(IHexHierarchy grid, HexDensityOptions options)
{
    /// <summary>Below this many cells a level's clipping runs on one thread.</summary>
    private const int ParallelClippingThreshold = 16_384;

    /// <summary>Computes each active hotspot's scale. Input: hotspot id → asserted cell (any resolution ≥ base).</summary>
    public IReadOnlyDictionary<string, double> Compute(IReadOnlyDictionary<string, ulong> activeHotspots)
    {
        var ids = new string[activeHotspots.Count];
        var cells = new ulong[activeHotspots.Count];
        var i = 0;
        foreach (var (id, cell) in activeHotspots)
        {
            ids[i] = id;
            cells[i++] = cell;
        }

        var scales = ComputeScales(cells);
        var result = new Dictionary<string, double>(ids.Length, StringComparer.Ordinal);
        for (i = 0; i < ids.Length; i++)
        {
            result[ids[i]] = scales[i];
        }

        return result;
    }

    /// <summary>The scale of each hotspot, in the order of <paramref name="cells"/> (asserted cells, resolution ≥ base).</summary>
    public double[] ComputeScales(ReadOnlySpan<ulong> cells)
    {
        options.Validate();
        var levels = options.Levels.OrderByDescending(l => l.Resolution).ToArray();
        var (baseLevel, hotspotBaseIndex) = CountBaseCells(cells);

        // Finest to coarsest: roll up, then clip.
        var pyramid = new DensityLevelCells[levels.Length];
        var child = baseLevel;
        for (var l = 0; l < levels.Length; l++)
        {
            var level = RollUp(child, levels[l].Resolution);
            Clip(level, levels[l]);
            pyramid[l] = level;
            child = level;
        }

        // Coarsest to finest: product of clipped/unclipped over a cell and its parents (multiplied in the same order
        // as the reference so the doubles are identical).
        double[]? coarserProduct = null;
        for (var l = levels.Length - 1; l >= 0; l--)
        {
            coarserProduct = pyramid[l].ScaleProducts(coarserProduct);
        }

        var finest = coarserProduct!;
        var scales = new double[cells.Length];
        for (var h = 0; h < scales.Length; h++)
        {
            scales[h] = finest[baseLevel.ParentIndex[hotspotBaseIndex[h]]];
        }

        return scales;
    }

    /// <summary>The scale to use for a hotspot: computed when active, else the default.</summary>
    public double ScaleOrDefault(IReadOnlyDictionary<string, double> scales, string hotspot) =>
        scales.TryGetValue(hotspot, out var s) ? s : options.DefaultScale;

    /// <summary>Sorted distinct base cells with their hotspot counts, and each hotspot's index among them.</summary>
    private (DensityLevelCells Level, int[] HotspotBaseIndex) CountBaseCells(ReadOnlySpan<ulong> cells)
    {
        var keys = new ulong[cells.Length];
        var order = new int[cells.Length];
        for (var h = 0; h < cells.Length; h++)
        {
            keys[h] = grid.Parent(cells[h], options.BaseResolution);
            order[h] = h;
        }

        Array.Sort(keys, order);
        var distinct = CountRuns(keys);
        var level = new DensityLevelCells(distinct);
        var hotspotBaseIndex = new int[cells.Length];
        var u = -1;
        for (var k = 0; k < keys.Length; k++)
        {
            if (k == 0 || keys[k] != keys[k - 1])
            {
                level.Cells[++u] = keys[k];
            }

            level.Unclipped[u]++;
            hotspotBaseIndex[order[k]] = u;
        }

        // The base resolution is not clipped: its values are the raw counts.
        Array.Copy(level.Unclipped, level.Clipped, distinct);
        return (level, hotspotBaseIndex);
    }

    /// <summary>The parents at <paramref name="resolution"/> of a level's sorted cells, summing the children's clipped values.</summary>
    private DensityLevelCells RollUp(DensityLevelCells child, int resolution)
    {
        var parents = new ulong[child.Count];
        for (var c = 0; c < child.Count; c++)
        {
            parents[c] = grid.Parent(child.Cells[c], resolution);
            if (c > 0 && parents[c] < parents[c - 1])
            {
                throw new InvalidOperationException("hex hierarchy parents are not ordered like their children");
            }
        }

        var level = new DensityLevelCells(CountRuns(parents));
        var p = -1;
        for (var c = 0; c < child.Count; c++)
        {
            if (c == 0 || parents[c] != parents[c - 1])
            {
                level.Cells[++p] = parents[c];
            }

            level.Unclipped[p] += child.Clipped[c];
            child.ParentIndex[c] = p;
        }

        return level;
    }

    private void Clip(DensityLevelCells level, DensityLevel parameters)
    {
        if (level.Count < ParallelClippingThreshold)
        {
            ClipRange(level, parameters, 0, level.Count);
            return;
        }

        var chunks = Environment.ProcessorCount * 4;
        var chunkSize = (level.Count + chunks - 1) / chunks;
        Parallel.For(0, chunks, chunk =>
        {
            var from = chunk * chunkSize;
            ClipRange(level, parameters, from, Math.Min(level.Count, from + chunkSize));
        });
    }

    private void ClipRange(DensityLevelCells level, DensityLevel parameters, int from, int to)
    {
        Span<ulong> disk = stackalloc ulong[7];
        for (var c = from; c < to; c++)
        {
            var value = level.Unclipped[c];

            // The limit is never below min(max, target) = target, so a value at or under the target is kept as is
            // and its neighbours need not be looked at (most cells at res 8–10, where target = 1).
            if (value <= parameters.Target)
            {
                level.Clipped[c] = value;
                continue;
            }

            // Neighbours are judged on their own unclipped sums at this level (Helium compares rolled-up values).
            var occupied = 0;
            foreach (var neighbour in disk[..grid.Disk1(level.Cells[c], disk)])
            {
                occupied += level.UnclippedOf(neighbour) >= parameters.Target ? 1 : 0;
            }

            var limit = Math.Min(parameters.Max, (long)parameters.Target * (Math.Max(occupied - parameters.Neighbours, 0) + 1));
            level.Clipped[c] = Math.Min(limit, value);
        }
    }

    private static int CountRuns(ulong[] sorted)
    {
        var runs = sorted.Length == 0 ? 0 : 1;
        for (var k = 1; k < sorted.Length; k++)
        {
            runs += sorted[k] != sorted[k - 1] ? 1 : 0;
        }

        return runs;
    }
}

/// <summary>One resolution's occupied cells, sorted, with their values and the index of each cell's parent one level up.</summary>
internal sealed class DensityLevelCells(int count)
{
    public int Count { get; } = count;

    public ulong[] Cells { get; } = new ulong[count];

    public long[] Unclipped { get; } = new long[count];

    public long[] Clipped { get; } = new long[count];

    /// <summary>Index of each cell's parent in the next coarser level (filled when that level is rolled up).</summary>
    public int[] ParentIndex { get; } = new int[count];

    public long UnclippedOf(ulong cell)
    {
        var at = Array.BinarySearch(Cells, cell);
        return at >= 0 ? Unclipped[at] : 0;
    }

    /// <summary>clipped/unclipped of each cell times its parent's product (<paramref name="parentProducts"/>; none at the coarsest level).</summary>
    public double[] ScaleProducts(double[]? parentProducts)
    {
        var products = new double[Count];
        for (var c = 0; c < Count; c++)
        {
            var u = Unclipped[c];
            var ratio = u == 0 ? 0 : (double)Clipped[c] / u;
            products[c] = parentProducts is null ? ratio : ratio * parentProducts[ParentIndex[c]];
        }

        return products;
    }
}
