namespace DePin.Wireless.CoverageOracle.Spoofing;

/// <summary>A point on a local plane in metres (east, north) around a reference position.</summary>
public readonly record struct PlanePoint(double East, double North)
{
    public double DistanceTo(PlanePoint other) => Math.Sqrt(((East - other.East) * (East - other.East)) + ((North - other.North) * (North - other.North)));
}

/// <summary>A multilaterated origin: position, emission offset (m of light travel), RMS residual (m) and whether the solver converged.</summary>
public readonly record struct MultilaterationFix(PlanePoint Position, double OffsetMeters, double RmsResidualMeters, bool Converged);

/// <summary>
/// Time-difference-of-arrival multilateration as pseudo-range least squares: ρ_i = b + ‖p − w_i‖ with unknown origin p and
/// emission offset b (both in metres), solved by Gauss–Newton from each given start; the lowest-RMS solution wins (Foy 1976,
/// "Position-location solutions by Taylor-series estimation").
/// </summary>
public static class Multilateration
{
    public static MultilaterationFix Solve(IReadOnlyList<PlanePoint> receivers, IReadOnlyList<double> pseudoRangesMeters, IReadOnlyList<PlanePoint> starts, int maxIterations)
    {
        if (receivers.Count != pseudoRangesMeters.Count || receivers.Count < 3)
        {
            throw new ArgumentException($"multilateration: needs ≥ 3 receivers with one pseudo-range each (got {receivers.Count} and {pseudoRangesMeters.Count})", nameof(receivers));
        }

        MultilaterationFix? best = null;
        foreach (var start in starts)
        {
            var fix = FromStart(receivers, pseudoRangesMeters, start, maxIterations);
            if (best is null || (fix.Converged && (!best.Value.Converged || fix.RmsResidualMeters < best.Value.RmsResidualMeters)))
            {
                best = fix;
            }
        }

        return best ?? throw new ArgumentException("multilateration: no start position", nameof(starts));
    }

    private static MultilaterationFix FromStart(IReadOnlyList<PlanePoint> w, IReadOnlyList<double> rho, PlanePoint start, int maxIterations)
    {
        double x = start.East, y = start.North;
        var b = RobustStatistics.Median(rho.Select((r, i) => r - start.DistanceTo(w[i])).ToArray());
        var converged = false;
        for (var iteration = 0; iteration < maxIterations && !converged; iteration++)
        {
            // Normal equations JᵀJ·δ = Jᵀr for the 3 unknowns (x, y, b).
            var jtj = new double[3, 3];
            var jtr = new double[3];
            for (var i = 0; i < w.Count; i++)
            {
                var d = Math.Max(new PlanePoint(x, y).DistanceTo(w[i]), 1e-3);
                var row = new[] { (x - w[i].East) / d, (y - w[i].North) / d, 1.0 };
                var r = rho[i] - (b + d);
                for (var a = 0; a < 3; a++)
                {
                    jtr[a] += row[a] * r;
                    for (var c = 0; c < 3; c++)
                    {
                        jtj[a, c] += row[a] * row[c];
                    }
                }
            }

            if (Solve3(jtj, jtr) is not { } step)
            {
                break;
            }

            x += step[0];
            y += step[1];
            b += step[2];
            converged = Math.Abs(step[0]) + Math.Abs(step[1]) + Math.Abs(step[2]) < 0.01;
        }

        var p = new PlanePoint(x, y);
        var rms = Math.Sqrt(w.Select((wi, i) => Math.Pow(rho[i] - b - p.DistanceTo(wi), 2)).Average());
        return new MultilaterationFix(p, b, rms, converged && double.IsFinite(rms));
    }

    /// <summary>Cramer's rule for a 3×3 system; null when singular (collinear receivers).</summary>
    private static double[]? Solve3(double[,] m, double[] v)
    {
        var det = Det(m);
        if (Math.Abs(det) < 1e-9)
        {
            return null;
        }

        var result = new double[3];
        for (var col = 0; col < 3; col++)
        {
            var copy = (double[,])m.Clone();
            for (var row = 0; row < 3; row++)
            {
                copy[row, col] = v[row];
            }

            result[col] = Det(copy) / det;
        }

        return result;
    }

    private static double Det(double[,] m) =>
        (m[0, 0] * ((m[1, 1] * m[2, 2]) - (m[1, 2] * m[2, 1])))
        - (m[0, 1] * ((m[1, 0] * m[2, 2]) - (m[1, 2] * m[2, 0])))
        + (m[0, 2] * ((m[1, 0] * m[2, 1]) - (m[1, 1] * m[2, 0])));
}
