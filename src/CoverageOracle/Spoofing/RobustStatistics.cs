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

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("median: no values", nameof(values));
        }

        return MedianInPlace(values.ToArray());
    }

    /// <summary>
    /// Median of <paramref name="scratch"/>, reordering it. The same value a full sort would give: the middle order
    /// statistics are found by selection (Hoare's quickselect, O(n) on average) instead of sorting everything, which
    /// matters for the epoch-wide fits over hundreds of thousands of links.
    /// </summary>
    public static double MedianInPlace(double[] scratch)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        if (scratch.Length == 0)
        {
            throw new ArgumentException("median: no values", nameof(scratch));
        }

        var mid = scratch.Length / 2;
        if (Array.Exists(scratch, double.IsNaN))
        {
            // NaN has no place in a selection by "<"; Array.Sort orders it first, as before.
            Array.Sort(scratch);
            return scratch.Length % 2 == 1 ? scratch[mid] : (scratch[mid - 1] + scratch[mid]) / 2;
        }

        var upper = Select(scratch, mid);
        if (scratch.Length % 2 == 1)
        {
            return upper;
        }

        // After selecting rank mid, everything left of it is ≤ it: rank mid − 1 is the largest of those.
        var lower = scratch[0];
        for (var i = 1; i < mid; i++)
        {
            lower = Math.Max(lower, scratch[i]);
        }

        return (lower + upper) / 2;
    }

    /// <summary>Moves the element of rank <paramref name="k"/> (0-based, ascending) to index k, smaller ones before it and larger ones after; returns it.</summary>
    private static double Select(double[] values, int k)
    {
        int left = 0, right = values.Length - 1;
        while (right > left)
        {
            // Median of three as the pivot; the Hoare partition below leaves [left, j] ≤ pivot ≤ [i, right].
            var middle = left + ((right - left) / 2);
            var pivot = MedianOfThree(values[left], values[middle], values[right]);
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                break; // between j and i every element equals the pivot
            }
        }

        return values[k];
    }

    private static double MedianOfThree(double a, double b, double c) =>
        a < b ? (b < c ? b : Math.Max(a, c)) : (a < c ? a : Math.Max(b, c));

    /// <summary>Median absolute deviation from the median (unscaled).</summary>
    public static double Mad(IReadOnlyList<double> values)
    {
        var m = Median(values);
        var deviations = new double[values.Count];
        for (var i = 0; i < deviations.Length; i++)
        {
            deviations[i] = Math.Abs(values[i] - m);
        }

        return MedianInPlace(deviations);
    }

    /// <summary>
    /// Theil–Sen estimator (Theil 1950, Sen 1968): slope = median of pairwise slopes over pairs with distinct x,
    /// intercept = median of y − slope·x. Breakdown point ≈ 29 %. Null when fewer than two distinct x.
    /// </summary>
    public static LineFit? TheilSen(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        RequireSameLength(x, y);
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
        var slopes = new List<double>();
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
    /// Huber M-estimator of a line by iteratively reweighted least squares (Huber 1964; Holland &amp; Welsch 1977):
    /// weights min(1, k·s/|r|) with s = 1.4826·MAD of the residuals, started from ordinary least squares.
    /// Null when fewer than two distinct x.
    /// </summary>
    public static LineFit? Huber(IReadOnlyList<double> x, IReadOnlyList<double> y, double k, int iterations = 50)
    {
        RequireSameLength(x, y);
        var weights = Enumerable.Repeat(1.0, x.Count).ToArray();
        var fit = WeightedLeastSquares(x, y, weights);
        if (fit is null)
        {
            return null;
        }

        var residuals = new double[x.Count];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            for (var i = 0; i < x.Count; i++)
            {
                residuals[i] = y[i] - fit.Value.Predict(x[i]);
            }

            var scale = Math.Max(MadToSigma * Mad(residuals), 1e-9);
            for (var i = 0; i < x.Count; i++)
            {
                var a = Math.Abs(residuals[i]);
                weights[i] = a <= k * scale ? 1.0 : k * scale / a;
            }

            var next = WeightedLeastSquares(x, y, weights);
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

    private static LineFit? WeightedLeastSquares(IReadOnlyList<double> x, IReadOnlyList<double> y, double[] w)
    {
        double sw = 0, sx = 0, sy = 0;
        for (var i = 0; i < x.Count; i++)
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
        for (var i = 0; i < x.Count; i++)
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

    private static void RequireSameLength(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"line fit: {x.Count} x values but {y.Count} y values", nameof(y));
        }
    }
}
