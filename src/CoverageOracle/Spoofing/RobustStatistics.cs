namespace DePin.Wireless.CoverageOracle.Spoofing;

/// <summary>A straight line y = Intercept + Slope·x.</summary>
public readonly record struct LineFit(double Intercept, double Slope)
{
    public double Predict(double x) => Intercept + (Slope * x);
}

/// <summary>Robust location, scale and line estimators (no allocation-heavy LINQ in the inner loops).</summary>
public static class RobustStatistics
{
    /// <summary>Scales a median absolute deviation to the standard deviation of a Gaussian: 1/Φ⁻¹(3/4) = 1.4826.</summary>
    public const double MadToSigma = 1.4826;

    /// <summary>Median; large inputs (the epoch's links) go through <see cref="BracketedMedian"/>, which returns the same value on all cores.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("median: no values", nameof(values));
        }

        var array = values.ToArray();
        return array.Length >= BracketedMedian.SmallInput ? BracketedMedian.Median(array, array.Length, new double[array.Length]) : MedianInPlace(array);
    }

    /// <summary>
    /// Median of <paramref name="values"/>, reordering them: the same value a full sort gives (same total order,
    /// <see cref="double.CompareTo(double)"/>), found by selection in linear expected time — the pooled path-loss fit takes
    /// a median of every link's residual on each of its iterations.
    /// </summary>
    public static double MedianInPlace(Span<double> values)
    {
        if (values.Length == 0)
        {
            throw new ArgumentException("median: no values", nameof(values));
        }

        var mid = values.Length / 2;
        Selection.Select(values, mid);
        if (values.Length % 2 == 1)
        {
            return values[mid];
        }

        // After selection everything left of mid is ordered at or below values[mid]: the lower middle is their maximum.
        var lower = values[0];
        for (var i = 1; i < mid; i++)
        {
            if (values[i].CompareTo(lower) > 0)
            {
                lower = values[i];
            }
        }

        return (lower + values[mid]) / 2;
    }

    /// <summary>Median absolute deviation from the median (unscaled).</summary>
    public static double Mad(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count >= BracketedMedian.SmallInput)
        {
            return LargeMad(values as double[] ?? [.. values]);
        }

        var m = Median(values);
        var deviations = new double[values.Count];
        for (var i = 0; i < deviations.Length; i++)
        {
            deviations[i] = Math.Abs(values[i] - m);
        }

        return MedianInPlace(deviations);
    }

    /// <summary>
    /// <see cref="Mad"/> of a large array, not reordering it: both medians by <see cref="BracketedMedian"/> (exact, on all cores).
    /// </summary>
    internal static double LargeMad(double[] values)
    {
        if (values.Length == 0)
        {
            throw new ArgumentException("median: no values", nameof(values));
        }

        var scratch = new double[values.Length];
        var m = BracketedMedian.Median(values, values.Length, scratch);
        var deviations = new double[values.Length];
        ParallelChunks.For(values.Length, (start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                deviations[i] = Math.Abs(values[i] - m);
            }
        });

        return BracketedMedian.Median(deviations, deviations.Length, scratch);
    }

    /// <summary>
    /// Theil–Sen estimator (Theil 1950, Sen 1968): slope = median of pairwise slopes over pairs with distinct x,
    /// intercept = median of y − slope·x. Breakdown point ≈ 29 %. Null when fewer than two distinct x.
    /// </summary>
    public static LineFit? TheilSen(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        RequireSameLength(x, y);
        var slopes = PairwiseSlopes(x, y);

        if (slopes.Count == 0)
        {
            return null;
        }

        var slope = Median(slopes);
        var intercepts = new double[x.Count];
        for (var i = 0; i < x.Count; i++)
        {
            intercepts[i] = y[i] - (slope * x[i]);
        }

        return new LineFit(Median(intercepts), slope);
    }

    /// <summary>
    /// Sen's (1968) distribution-free confidence interval for the Theil–Sen slope: with N pairwise slopes sorted and
    /// C = z·√(n(n−1)(2n+5)/18), the bounds are the slopes of rank (N − C)/2 and (N + C)/2 + 1 (clamped). Null when fewer than two distinct x.
    /// </summary>
    public static (double Lower, double Upper)? TheilSenSlopeInterval(IReadOnlyList<double> x, IReadOnlyList<double> y, double z)
    {
        RequireSameLength(x, y);
        var slopes = PairwiseSlopes(x, y);

        if (slopes.Count == 0)
        {
            return null;
        }

        slopes.Sort();
        var n = x.Count;
        var c = z * Math.Sqrt(n * (n - 1.0) * ((2.0 * n) + 5) / 18);
        var lower = (int)Math.Clamp(Math.Floor((slopes.Count - c) / 2), 0, slopes.Count - 1);
        var upper = (int)Math.Clamp(Math.Ceiling((slopes.Count + c) / 2), 0, slopes.Count - 1);
        return (slopes[lower], slopes[upper]);
    }

    /// <summary>
    /// <see cref="TheilSen"/> and <see cref="TheilSenSlopeInterval"/> from one sorted set of pairwise slopes (the same values
    /// both return: the median of the sorted slopes is the one selection finds). Null when fewer than two distinct x.
    /// </summary>
    public static (LineFit Line, double Lower, double Upper)? TheilSenWithInterval(IReadOnlyList<double> x, IReadOnlyList<double> y, double z)
    {
        RequireSameLength(x, y);
        var slopes = PairwiseSlopes(x, y);

        if (slopes.Count == 0)
        {
            return null;
        }

        slopes.Sort();
        var mid = slopes.Count / 2;
        var slope = slopes.Count % 2 == 1 ? slopes[mid] : (slopes[mid - 1] + slopes[mid]) / 2;
        var intercepts = new double[x.Count];
        for (var i = 0; i < x.Count; i++)
        {
            intercepts[i] = y[i] - (slope * x[i]);
        }

        var n = x.Count;
        var c = z * Math.Sqrt(n * (n - 1.0) * ((2.0 * n) + 5) / 18);
        var lower = (int)Math.Clamp(Math.Floor((slopes.Count - c) / 2), 0, slopes.Count - 1);
        var upper = (int)Math.Clamp(Math.Ceiling((slopes.Count + c) / 2), 0, slopes.Count - 1);
        return (new LineFit(MedianInPlace(intercepts), slope), slopes[lower], slopes[upper]);
    }

    /// <summary>
    /// Huber M-estimator of a line by iteratively reweighted least squares (Huber 1964; Holland &amp; Welsch 1977):
    /// weights min(1, k·s/|r|) with s = 1.4826·MAD of the residuals, started from ordinary least squares.
    /// Null when fewer than two distinct x.
    /// </summary>
    public static LineFit? Huber(IReadOnlyList<double> x, IReadOnlyList<double> y, double k, int iterations = 50)
    {
        RequireSameLength(x, y);
        var xs = x as double[] ?? [.. x];
        var ys = y as double[] ?? [.. y];
        return Huber(xs, ys, xs.Length, k, iterations, new HuberWorkspace(xs.Length));
    }

    /// <summary>
    /// <see cref="Huber(IReadOnlyList{double}, IReadOnlyList{double}, double, int)"/> of <c>x[0..count)</c>, <c>y[0..count)</c>
    /// with reusable buffers. The same arithmetic in the same order as a plain serial loop: residuals, deviations and weights
    /// are element-wise (any split gives the same values), the medians exact (<see cref="BracketedMedian"/>), and only the
    /// weighted sums, whose rounding depends on their order, stay serial.
    /// </summary>
    internal static LineFit? Huber(double[] x, double[] y, int count, double k, int iterations, HuberWorkspace workspace)
    {
        var residuals = workspace.Residuals;
        var weights = workspace.Weights;
        weights.AsSpan(0, count).Fill(1.0);
        var fit = WeightedLeastSquares(x, y, weights, count);
        if (fit is null)
        {
            return null;
        }

        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var line = fit.Value;
            ParallelChunks.For(count, (start, end) =>
            {
                for (var i = start; i < end; i++)
                {
                    residuals[i] = y[i] - line.Predict(x[i]);
                }
            });

            // Mad: the median of |r − median(r)|, its deviations written where the weights go next.
            var centre = BracketedMedian.Median(residuals, count, workspace.Scratch);
            ParallelChunks.For(count, (start, end) =>
            {
                for (var i = start; i < end; i++)
                {
                    weights[i] = Math.Abs(residuals[i] - centre);
                }
            });
            var scale = Math.Max(MadToSigma * BracketedMedian.Median(weights, count, workspace.Scratch), 1e-9);
            ParallelChunks.For(count, (start, end) =>
            {
                for (var i = start; i < end; i++)
                {
                    var a = Math.Abs(residuals[i]);
                    weights[i] = a <= k * scale ? 1.0 : k * scale / a;
                }
            });

            var next = WeightedLeastSquares(x, y, weights, count);
            if (next is null)
            {
                return fit;
            }

            var converged = Math.Abs(next.Value.Slope - fit.Value.Slope) < 1e-9 && Math.Abs(next.Value.Intercept - fit.Value.Intercept) < 1e-9;
            fit = next;
            if (converged)
            {
                break;
            }
        }

        return fit;
    }

    private static LineFit? WeightedLeastSquares(double[] x, double[] y, double[] w, int count)
    {
        double sw = 0, sx = 0, sy = 0;
        for (var i = 0; i < count; i++)
        {
            sw += w[i];
            sx += w[i] * x[i];
            sy += w[i] * y[i];
        }

        if (sw <= 0)
        {
            return null;
        }

        var mx = sx / sw;
        var my = sy / sw;
        double sxx = 0, sxy = 0;
        for (var i = 0; i < count; i++)
        {
            sxx += w[i] * (x[i] - mx) * (x[i] - mx);
            sxy += w[i] * (x[i] - mx) * (y[i] - my);
        }

        if (sxx < 1e-12)
        {
            return null;
        }

        var slope = sxy / sxx;
        return new LineFit(my - (slope * mx), slope);
    }

    /// <summary>The slopes of every pair of points with distinct x (|Δx| > 10⁻¹²), in pair order.</summary>
    private static List<double> PairwiseSlopes(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var slopes = new List<double>(x.Count * (x.Count - 1) / 2);
        for (var i = 0; i < x.Count; i++)
        {
            for (var j = i + 1; j < x.Count; j++)
            {
                var dx = x[j] - x[i];
                if (Math.Abs(dx) > 1e-12)
                {
                    slopes.Add((y[j] - y[i]) / dx);
                }
            }
        }

        return slopes;
    }

    private static void RequireSameLength(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"line fit: {x.Count} x values but {y.Count} y values", nameof(y));
        }
    }
}

/// <summary>Buffers of one size for <see cref="RobustStatistics.Huber(double[], double[], int, double, int, HuberWorkspace)"/>, reused across fits of up to that many points.</summary>
internal sealed class HuberWorkspace(int capacity)
{
    public double[] Residuals { get; } = new double[capacity];

    public double[] Weights { get; } = new double[capacity];

    public double[] Scratch { get; } = new double[capacity];
}

/// <summary>
/// Element-wise loops over <c>[0, count)</c> split into fixed chunks run on the thread pool; inline when one chunk covers it,
/// not at all when it is empty.
/// Only for bodies whose every element is independent of the others (no shared accumulator), so results never depend on the split.
/// </summary>
internal static class ParallelChunks
{
    public const int ChunkLength = 1 << 16;

    public static void For(int count, Action<int, int> body) => For(count, ChunkLength, body);

    public static void For(int count, int chunkLength, Action<int, int> body)
    {
        if (count <= 0)
        {
            return;
        }

        if (count <= chunkLength)
        {
            body(0, count);
            return;
        }

        var chunks = (count + chunkLength - 1) / chunkLength;
        Parallel.For(0, chunks, c => body(c * chunkLength, (int)Math.Min(count, (c + 1L) * chunkLength)));
    }
}

/// <summary>
/// In-place selection (Hoare's FIND with median-of-three pivots): afterwards <c>values[k]</c> holds the element a full sort
/// would put there, everything before it compares at or below it and everything after at or above. Recursion depth is
/// bounded: past 2·log2(n) partitions the remaining range is sorted instead, so the worst case stays O(n log n).
/// </summary>
internal static class Selection
{
    private const int SortBelow = 16;

    public static void Select(Span<double> values, int k)
    {
        var low = 0;
        var high = values.Length - 1;
        var budget = 2 * (int)Math.Log2(Math.Max(values.Length, 2));
        while (high - low >= SortBelow)
        {
            if (budget-- == 0)
            {
                values[low..(high + 1)].Sort();
                return;
            }

            var (lessEnd, greaterStart) = Partition(values, low, high);
            if (k < lessEnd)
            {
                high = lessEnd - 1;
            }
            else if (k >= greaterStart)
            {
                low = greaterStart;
            }
            else
            {
                return; // k falls among the elements equal to the pivot
            }
        }

        values[low..(high + 1)].Sort();
    }

    /// <summary>Three-way partition of [low, high] around a median-of-three pivot: [low, lessEnd) &lt; pivot, [lessEnd, greaterStart) = pivot, rest &gt; pivot.</summary>
    private static (int LessEnd, int GreaterStart) Partition(Span<double> values, int low, int high)
    {
        var pivot = MedianOfThree(values[low], values[low + ((high - low) / 2)], values[high]);
        int lt = low, i = low, gt = high;
        while (i <= gt)
        {
            var c = values[i].CompareTo(pivot);
            if (c < 0)
            {
                (values[lt], values[i]) = (values[i], values[lt]);
                lt++;
                i++;
            }
            else if (c > 0)
            {
                (values[i], values[gt]) = (values[gt], values[i]);
                gt--;
            }
            else
            {
                i++;
            }
        }

        return (lt, gt + 1);
    }

    private static double MedianOfThree(double a, double b, double c)
    {
        if (a.CompareTo(b) > 0)
        {
            (a, b) = (b, a);
        }

        if (b.CompareTo(c) > 0)
        {
            b = c;
        }

        return a.CompareTo(b) > 0 ? a : b;
    }
}
