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
            // Normal equations JᵀJ·δ = Jᵀr for the 3 unknowns (x, y, b), accumulated in locals (no arrays per receiver:
            // every beacon with enough timed witnesses is multilaterated from two starts).
            double m00 = 0, m01 = 0, m02 = 0, m10 = 0, m11 = 0, m12 = 0, m20 = 0, m21 = 0, m22 = 0;
            double v0 = 0, v1 = 0, v2 = 0;
            for (var i = 0; i < w.Count; i++)
            {
                var d = Math.Max(new PlanePoint(x, y).DistanceTo(w[i]), 1e-3);
                var row0 = (x - w[i].East) / d;
                var row1 = (y - w[i].North) / d;
                const double row2 = 1.0;
                var r = rho[i] - (b + d);
                v0 += row0 * r;
                m00 += row0 * row0;
                m01 += row0 * row1;
                m02 += row0 * row2;
                v1 += row1 * r;
                m10 += row1 * row0;
                m11 += row1 * row1;
                m12 += row1 * row2;
                v2 += row2 * r;
                m20 += row2 * row0;
                m21 += row2 * row1;
                m22 += row2 * row2;
            }

            // Cramer's rule; singular (collinear receivers) ends the iteration.
            var det = Det(m00, m01, m02, m10, m11, m12, m20, m21, m22);
            if (Math.Abs(det) < 1e-9)
            {
                break;
            }

            var step0 = Det(v0, m01, m02, v1, m11, m12, v2, m21, m22) / det;
            var step1 = Det(m00, v0, m02, m10, v1, m12, m20, v2, m22) / det;
            var step2 = Det(m00, m01, v0, m10, m11, v1, m20, m21, v2) / det;
            x += step0;
            y += step1;
            b += step2;
            converged = Math.Abs(step0) + Math.Abs(step1) + Math.Abs(step2) < 0.01;
        }

        var p = new PlanePoint(x, y);
        var rms = Math.Sqrt(w.Select((wi, i) => Math.Pow(rho[i] - b - p.DistanceTo(wi), 2)).Average());
        return new MultilaterationFix(p, b, rms, converged && double.IsFinite(rms));
    }

    private static double Det(double m00, double m01, double m02, double m10, double m11, double m12, double m20, double m21, double m22) =>
        (m00 * ((m11 * m22) - (m12 * m21)))
        - (m01 * ((m10 * m22) - (m12 * m20)))
        + (m02 * ((m10 * m21) - (m11 * m20)));
}
