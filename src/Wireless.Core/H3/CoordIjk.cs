namespace DePin.Wireless.Core.H3;

/// <summary>
/// Hexagon coordinates on the three 120-degree axes i, j, k of one icosahedron face; normalised
/// form has non-negative components with at least one zero. Digit d (1..6) is the unit vector
/// whose bits are (i, j, k) = (d &gt;&gt; 2 &amp; 1, d &gt;&gt; 1 &amp; 1, d &amp; 1).
/// </summary>
internal readonly record struct CoordIjk(int I, int J, int K)
{
    private const double Sqrt3Over2 = 0.8660254037844386467637231707529361834714;
    private const double InverseSin60 = 1.1547005383792515290182975610039149112953;
    private const double OneSeventh = 0.14285714285714285714285714285714285;

    public static CoordIjk Zero => default;

    public static CoordIjk UnitVector(int digit) => new((digit >> 2) & 1, (digit >> 1) & 1, digit & 1);

    public static CoordIjk operator +(CoordIjk a, CoordIjk b) => new(a.I + b.I, a.J + b.J, a.K + b.K);

    public static CoordIjk operator -(CoordIjk a, CoordIjk b) => new(a.I - b.I, a.J - b.J, a.K - b.K);

    public static CoordIjk operator *(CoordIjk a, int s) => new(a.I * s, a.J * s, a.K * s);

    public CoordIjk Normalized() => Normalize(I, J, K);

    /// <summary>
    /// Adding one constant to all three components names the same hexagon; the normal form is the
    /// representative whose smallest component is 0 (so all are non-negative). Branch-free on purpose:
    /// this runs several times per resolution level.
    /// </summary>
    private static CoordIjk Normalize(int i, int j, int k)
    {
        var min = Math.Min(i, Math.Min(j, k));
        return new CoordIjk(i - min, j - min, k - min);
    }

    /// <summary>The digit (0..6) of a unit vector, or 7 when this is not a unit vector.</summary>
    public int ToDigit()
    {
        var n = Normalized();
        if (n.I is < 0 or > 1 || n.J is < 0 or > 1 || n.K is < 0 or > 1)
        {
            return 7;
        }

        var digit = (n.I << 2) | (n.J << 1) | n.K;
        return digit == 7 ? 7 : digit;
    }

    /// <summary>Parent coordinates in the next coarser, counter-clockwise rotated (Class III to II) aperture-7 grid.</summary>
    public CoordIjk UpAperture7()
    {
        var i = I - K;
        var j = J - K;
        return Normalize(RoundHalfAway((3 * i - j) * OneSeventh), RoundHalfAway((i + 2 * j) * OneSeventh), 0);
    }

    /// <summary>Parent coordinates in the next coarser, clockwise rotated aperture-7 grid.</summary>
    public CoordIjk UpAperture7Clockwise()
    {
        var i = I - K;
        var j = J - K;
        return Normalize(RoundHalfAway((2 * i + j) * OneSeventh), RoundHalfAway((3 * j - i) * OneSeventh), 0);
    }

    // Each is i·image(i axis) + j·image(j axis) + k·image(k axis), expanded.
    public CoordIjk DownAperture7() => Normalize(3 * I + J, 3 * J + K, I + 3 * K);

    public CoordIjk DownAperture7Clockwise() => Normalize(3 * I + K, I + 3 * J, J + 3 * K);

    public CoordIjk DownAperture3() => Normalize(2 * I + J, 2 * J + K, I + 2 * K);

    public CoordIjk DownAperture3Clockwise() => Normalize(2 * I + K, I + 2 * J, J + 2 * K);

    public CoordIjk Rotate60CounterClockwise() => Normalize(I + K, I + J, J + K);

    public CoordIjk Rotate60Clockwise() => Normalize(I + J, J + K, I + K);

    public CoordIjk Neighbor(int digit) => digit is > 0 and < 7 ? (this + UnitVector(digit)).Normalized() : this;

    public static int Distance(CoordIjk a, CoordIjk b)
    {
        var d = (a - b).Normalized();
        return Math.Max(Math.Abs(d.I), Math.Max(Math.Abs(d.J), Math.Abs(d.K)));
    }

    /// <summary>Centre of this hexagon in the face's 2D plane (unit = distance between neighbouring centres).</summary>
    public (double X, double Y) ToHex2d()
    {
        var i = I - K;
        var j = J - K;
        return (i - 0.5 * j, j * Sqrt3Over2);
    }

    /// <summary>The hexagon containing the 2D point: quantise on the first sextant, then mirror back.</summary>
    public static CoordIjk FromHex2d(double x, double y)
    {
        var a1 = Math.Abs(x);
        var a2 = Math.Abs(y);
        var x2 = a2 * InverseSin60;
        var x1 = a1 + x2 / 2.0;
        var m1 = (int)x1;
        var m2 = (int)x2;
        var r1 = x1 - m1;
        var r2 = x2 - m2;
        var (i, j) = QuantiseFirstSextant(m1, m2, r1, r2);

        if (x < 0.0)
        {
            if (j % 2 == 0)
            {
                long diff = i - j / 2;
                i = (int)(i - 2.0 * diff);
            }
            else
            {
                long diff = i - (j + 1) / 2;
                i = (int)(i - (2.0 * diff + 1));
            }
        }

        if (y < 0.0)
        {
            i -= (2 * j + 1) / 2;
            j = -j;
        }

        return new CoordIjk(i, j, 0).Normalized();
    }

    private static (int I, int J) QuantiseFirstSextant(int m1, int m2, double r1, double r2)
    {
        if (r1 < 0.5)
        {
            if (r1 < 1.0 / 3.0)
            {
                return (m1, r2 < (1.0 + r1) / 2.0 ? m2 : m2 + 1);
            }

            var j = r2 < 1.0 - r1 ? m2 : m2 + 1;
            var i = (1.0 - r1) <= r2 && r2 < 2.0 * r1 ? m1 + 1 : m1;
            return (i, j);
        }

        if (r1 < 2.0 / 3.0)
        {
            var j = r2 < 1.0 - r1 ? m2 : m2 + 1;
            var i = (2.0 * r1 - 1.0) < r2 && r2 < (1.0 - r1) ? m1 : m1 + 1;
            return (i, j);
        }

        return (m1 + 1, r2 < r1 / 2.0 ? m2 : m2 + 1);
    }

    // Arguments are n/7 for integer n, never exactly halfway, so any rounding mode equals C's lround here.
    private static int RoundHalfAway(double v) => (int)Math.Round(v);
}
