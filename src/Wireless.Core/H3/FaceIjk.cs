namespace DePin.Wireless.Core.H3;

/// <summary>Where a hexagon sits in H3's projection: an icosahedron face and ijk coordinates centred on it.</summary>
internal readonly record struct FaceIjk(int Face, CoordIjk Coord);

/// <summary>Result of moving face-local coordinates that may have left their face.</summary>
internal enum Overage
{
    None,
    FaceEdge,
    NewFace,
}

/// <summary>
/// Gnomonic projection of the sphere onto the icosahedron faces, scaled so that resolution-r hexagon
/// centres have unit spacing: the planar radius is tan(angular distance) / u0 · √7^r, with u0 the
/// resolution 0 unit length; Class III resolutions are rotated by asin(√3/(2√7)).
/// </summary>
internal static class FaceProjection
{
    private const double Epsilon = 0.0000000000000001;
    private const double Res0UnitGnomonic = 0.38196601125010500003;
    private const double InverseRes0UnitGnomonic = 2.61803398874989588842;
    private const double Sqrt7 = 2.6457513110645905905016157536392604257102;
    private const double InverseSqrt7 = 0.37796447300922722721451653623418006081576;
    private const double OneThird = 0.333333333333333333333333333333333333333;

    /// <summary>Per face: centre, local north and local east unit vectors (derived once from the face centre table).</summary>
    private static readonly FaceFrame[] Frames = BuildFrames();

    /// <summary>Face centre, local north/east unit vectors, and cos/sin of the azimuth of the face's Class II i axis.</summary>
    private readonly record struct FaceFrame(Vec3 Center, Vec3 North, Vec3 East, double CosAxis, double SinAxis);

    // cos/sin of the Class III rotation asin(√3 / (2√7)); H3 v4.5.0 constants.h M_COS_AP7_ROT / M_SIN_AP7_ROT.
    private const double CosAperture7Rotation = 0.9449111825230680680167902;
    private const double SinAperture7Rotation = 0.3273268353539885718950318;

    private static FaceFrame[] BuildFrames()
    {
        var frames = new FaceFrame[BaseCells.FaceCount];
        for (var f = 0; f < frames.Length; f++)
        {
            var center = BaseCells.FaceCenter(f);
            var (north, east) = TangentBasis(center);
            var (sinAxis, cosAxis) = Math.SinCos(BaseCells.FaceIAxisAzimuth(f));
            frames[f] = new FaceFrame(center, north, east, cosAxis, sinAxis);
        }

        return frames;
    }

    public static bool IsClassIII(int res) => (res & 1) == 1;

    /// <summary>The face whose centre is nearest (first one on ties) and the squared chord distance to it.</summary>
    public static int ClosestFace(Vec3 p, out double squaredDistance)
    {
        var face = 0;
        squaredDistance = 5.0;
        var frames = Frames;
        for (var f = 0; f < frames.Length; f++)
        {
            var d = Vec3.DistanceSquared(frames[f].Center, p);
            if (d < squaredDistance)
            {
                face = f;
                squaredDistance = d;
            }
        }

        return face;
    }

    public static FaceIjk ToFaceIjk(Vec3 p, int res)
    {
        var (face, x, y) = ToHex2d(p, res);
        return new FaceIjk(face, CoordIjk.FromHex2d(x, y));
    }

    /// <summary>
    /// Planar face coordinates of a unit vector. The angular distance r from the face centre is taken as
    /// acos(1 - chord²/2) exactly as the reference does; the direction is carried as a (cos, sin) pair
    /// rotated by angle-difference identities instead of atan2 followed by sin/cos.
    /// </summary>
    public static (int Face, double X, double Y) ToHex2d(Vec3 p, int res)
    {
        var face = ClosestFace(p, out var sqd);
        var r = Math.Acos(1 - sqd * 0.5);
        if (r < Epsilon)
        {
            return (face, 0.0, 0.0);
        }

        var frame = Frames[face];
        // Azimuth of p seen from the face centre: its tangent-plane components along north and east.
        var tangent = Vec3.Combine(1.0, p, -Vec3.Dot(p, frame.Center), frame.Center);
        var north = Vec3.Dot(tangent, frame.North);
        var east = Vec3.Dot(tangent, frame.East);
        var length = Math.Sqrt(north * north + east * east);
        var cosAz = north / length;
        var sinAz = east / length;

        // theta = axis azimuth - point azimuth (counter-clockwise from the i axis).
        var cosTheta = frame.CosAxis * cosAz + frame.SinAxis * sinAz;
        var sinTheta = frame.SinAxis * cosAz - frame.CosAxis * sinAz;
        if (IsClassIII(res))
        {
            (cosTheta, sinTheta) = (cosTheta * CosAperture7Rotation + sinTheta * SinAperture7Rotation,
                                    sinTheta * CosAperture7Rotation - cosTheta * SinAperture7Rotation);
        }

        r = Math.Tan(r) * InverseRes0UnitGnomonic;
        for (var i = 0; i < res; i++)
        {
            r *= Sqrt7;
        }

        return (face, r * cosTheta, r * sinTheta);
    }

    /// <summary>
    /// Inverse projection of a 2D face point. A substrate grid (used for vertices) is three times finer
    /// than the cell grid and already Class II aligned. The gnomonic radius t = tan(distance) gives
    /// cos(distance) = 1/√(1+t²) and sin(distance) = t/√(1+t²) directly.
    /// </summary>
    public static Vec3 FromHex2d(double x, double y, int face, int res, bool substrate)
    {
        var rho = Math.Sqrt(x * x + y * y);
        var frame = Frames[face];
        if (rho < Epsilon)
        {
            return frame.Center;
        }

        var cosTheta = x / rho;
        var sinTheta = y / rho;
        var t = rho;
        for (var i = 0; i < res; i++)
        {
            t *= InverseSqrt7;
        }

        if (substrate)
        {
            t *= OneThird;
            if (IsClassIII(res))
            {
                t *= InverseSqrt7;
            }
        }

        t *= Res0UnitGnomonic;
        if (!substrate && IsClassIII(res))
        {
            (cosTheta, sinTheta) = (cosTheta * CosAperture7Rotation - sinTheta * SinAperture7Rotation,
                                    sinTheta * CosAperture7Rotation + cosTheta * SinAperture7Rotation);
        }

        // Azimuth = axis azimuth - theta.
        var cosAz = frame.CosAxis * cosTheta + frame.SinAxis * sinTheta;
        var sinAz = frame.SinAxis * cosTheta - frame.CosAxis * sinTheta;
        var direction = Vec3.Combine(cosAz, frame.North, sinAz, frame.East);
        var cosDistance = 1.0 / Math.Sqrt(1.0 + t * t);
        return Vec3.Combine(cosDistance, frame.Center, t * cosDistance, direction).Normalized();
    }

    public static Vec3 FromFaceIjk(FaceIjk h, int res)
    {
        var (x, y) = h.Coord.ToHex2d();
        return FromHex2d(x, y, h.Face, res, substrate: false);
    }

    private static (Vec3 North, Vec3 East) TangentBasis(Vec3 p)
    {
        var pole = new Vec3(0.0, 0.0, 1.0);
        var north = Vec3.Combine(1.0, pole, -Vec3.Dot(pole, p), p).Normalized();
        return (north, Vec3.Cross(north, p));
    }

    /// <summary>
    /// Moves Class II coordinates that fall beyond their face onto the neighbouring face.
    /// <paramref name="pentagonLeading4"/> applies the extra rotation of a pentagon's missing k sub-sequence.
    /// </summary>
    public static Overage AdjustOverage(ref FaceIjk fijk, int res, bool pentagonLeading4, bool substrate)
    {
        var c = fijk.Coord;
        var maxDim = BaseCells.MaxDimension(res) * (substrate ? 3 : 1);
        var sum = c.I + c.J + c.K;
        if (substrate && sum == maxDim)
        {
            return Overage.FaceEdge;
        }

        if (sum <= maxDim)
        {
            return Overage.None;
        }

        int quadrant;
        if (c.K > 0)
        {
            if (c.J > 0)
            {
                quadrant = 3;
            }
            else
            {
                quadrant = 2;
                if (pentagonLeading4)
                {
                    var origin = new CoordIjk(maxDim, 0, 0);
                    c = (c - origin).Rotate60Clockwise() + origin;
                }
            }
        }
        else
        {
            quadrant = 1;
        }

        var (face, translate, rotations) = BaseCells.FaceNeighbor(fijk.Face, quadrant);
        for (var i = 0; i < rotations; i++)
        {
            c = c.Rotate60CounterClockwise();
        }

        c = (c + translate * (BaseCells.UnitScale(res) * (substrate ? 3 : 1))).Normalized();
        fijk = new FaceIjk(face, c);
        return substrate && c.I + c.J + c.K == maxDim ? Overage.FaceEdge : Overage.NewFace;
    }
}
