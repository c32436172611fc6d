namespace DePin.Wireless.CoverageOracle.Spoofing;

/// <summary>
/// The exact median of a large array without reordering it, on all cores: a deterministic strided sample brackets the
/// middle ranks (Floyd &amp; Rivest 1975, "Expected time bounds for selection"), one chunked parallel pass counts the values
/// below the bracket and gathers those inside it, and selection runs on the gathered few percent only. The result is the
/// order statistic itself, so it is the value <see cref="RobustStatistics.MedianInPlace"/> returns on a copy, whatever the
/// chunking or thread timing (integer counts, no floating-point reduction). Inputs with NaN, and the rare bracket that
/// misses the middle, fall back to that full selection. The pooled path-loss fit takes two medians over every link of the
/// epoch on each of its iterations (10 million links at 100 000 hotspots).
/// </summary>
internal static class BracketedMedian
{
    /// <summary>Below this many values a copy and a serial selection are cheaper than sampling and a parallel pass.</summary>
    public const int SmallInput = 1 << 14;

    /// <summary>Values per parallel work item: fixed, so the work split never depends on the machine.</summary>
    private const int ChunkLength = 1 << 16;

    private const int MaxSample = 1 << 14;

    /// <summary>Bracket half-width in sample ranks, in units of √sample (a sample rank's σ is at most ½√sample: ±6σ).</summary>
    private const double BracketWidth = 3.0;

    /// <summary>Median of <c>values[0..length)</c>; <paramref name="scratch"/> (at least <paramref name="length"/> long) is overwritten.</summary>
    public static double Median(double[] values, int length, double[] scratch)
    {
        if (length <= 0)
        {
            throw new ArgumentException("median: no values", nameof(values));
        }

        if (length >= SmallInput && TryBracketed(values, length, scratch, out var median))
        {
            return median;
        }

        values.AsSpan(0, length).CopyTo(scratch);
        return RobustStatistics.MedianInPlace(scratch.AsSpan(0, length));
    }

    private static bool TryBracketed(double[] values, int length, double[] scratch, out double median)
    {
        median = 0;
        var mid = length / 2;
        var lowRank = length % 2 == 1 ? mid : mid - 1;
        if (!SampleBracket(values, length, lowRank, mid, scratch, out var low, out var high))
        {
            return false;
        }

        var chunks = (length + ChunkLength - 1) / ChunkLength;
        var below = new int[chunks];
        var inside = new int[chunks];
        var nan = new bool[chunks];
        Parallel.For(0, chunks, c =>
        {
            var start = c * ChunkLength;
            var end = Math.Min(length, start + ChunkLength);
            int less = 0, kept = 0;
            var sawNan = false;
            // Branch-free: about half the values fall on either side of the bracket in no order, which a branch would
            // mispredict. Every value is written to the chunk's slot; only those inside advance the slot's end.
            for (var i = start; i < end; i++)
            {
                var v = values[i];
                less += v < low ? 1 : 0;
                scratch[start + kept] = v;
                kept += (v >= low) & (v <= high) ? 1 : 0;
                sawNan |= double.IsNaN(v);
            }

            below[c] = less;
            inside[c] = kept;
            nan[c] = sawNan;
        });

        var totalBelow = below.Sum(b => (long)b);
        var totalInside = inside.Sum(b => (long)b);
        if (nan.Any(n => n) || totalBelow > lowRank || totalBelow + totalInside <= mid)
        {
            return false;
        }

        // Gathered values sit at the start of their chunk's slot: move them together (destinations never pass sources).
        var gathered = 0;
        for (var c = 0; c < chunks; c++)
        {
            Array.Copy(scratch, c * ChunkLength, scratch, gathered, inside[c]);
            gathered += inside[c];
        }

        var span = scratch.AsSpan(0, gathered);
        var rank = mid - (int)totalBelow;
        Selection.Select(span, rank);
        if (length % 2 == 1)
        {
            median = span[rank];
            return true;
        }

        // As MedianInPlace: the lower middle is the largest value left of the selected one (rank ≥ 1: lowRank ≥ totalBelow).
        var lower = span[0];
        for (var i = 1; i < rank; i++)
        {
            if (span[i].CompareTo(lower) > 0)
            {
                lower = span[i];
            }
        }

        median = (lower + span[rank]) / 2;
        return true;
    }

    /// <summary>Values a strided sample puts safely below rank <paramref name="lowRank"/> and above rank <paramref name="highRank"/> (±∞ past its ends).</summary>
    private static bool SampleBracket(double[] values, int length, int lowRank, int highRank, double[] scratch, out double low, out double high)
    {
        var size = Math.Min(MaxSample, length / 4);
        var sample = scratch.AsSpan(0, size);
        for (var j = 0; j < size; j++)
        {
            sample[j] = values[(int)((long)j * length / size)];
            if (double.IsNaN(sample[j]))
            {
                low = high = double.NaN;
                return false;
            }
        }

        var margin = BracketWidth * Math.Sqrt(size);
        var lowIndex = (int)Math.Floor(((double)lowRank / length * size) - margin);
        var highIndex = (int)Math.Ceiling(((double)highRank / length * size) + margin);

        // Two selections, not a sort: only the sample's values at the bracket ranks are needed.
        low = double.NegativeInfinity;
        high = double.PositiveInfinity;
        if (highIndex < size)
        {
            Selection.Select(sample, highIndex);
            high = sample[highIndex];
        }

        if (lowIndex >= 0)
        {
            // After the first selection everything left of highIndex is at or below it: the low rank lies there.
            var left = highIndex < size ? sample[..highIndex] : sample;
            Selection.Select(left, lowIndex);
            low = left[lowIndex];
        }

        return true;
    }
}
