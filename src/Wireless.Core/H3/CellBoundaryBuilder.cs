namespace DePin.Wireless.Core.H3;

/// <summary>
/// Cell vertices: the cell centre is placed on a grid three times finer (aperture 3 then 3r, plus 7r
/// for Class III) whose nodes include the hexagon corners. Where an edge of a Class III cell crosses an
/// icosahedron edge an extra vertex is inserted at the crossing, because each face has its own projection.
/// </summary>
internal static class CellBoundaryBuilder
{
    public const int MaxVertices = 10;
    private const double Sqrt3Over2 = 0.8660254037844386467637231707529361834714;
    private const double FloatEpsilon = 1.1920928955078125e-7;

    // Corner offsets (i, j, k) of an origin-centred cell on the substrate grid, ccw from the i axis.
    private static ReadOnlySpan<int> ClassIICorners => [2, 1, 0, 1, 2, 0, 0, 2, 1, 0, 1, 2, 1, 0, 2, 2, 0, 1];

    private static ReadOnlySpan<int> ClassIIICorners => [5, 4, 0, 1, 5, 0, 0, 5, 4, 0, 1, 5, 4, 0, 5, 5, 0, 1];

    public static int Build(H3Cell cell, Span<Vec3> destination)
    {
        var fijk = CellIndexing.ToFaceIjk(cell);
        return cell.IsPentagon
            ? BuildPentagon(fijk, cell.Resolution, destination)
            : BuildHexagon(fijk, cell.Resolution, destination);
    }

    private static int SubstrateCorners(FaceIjk center, int res, Span<FaceIjk> corners)
    {
        var c = center.Coord.DownAperture3().DownAperture3Clockwise();
        var adjustedRes = res;
        var offsets = ClassIICorners;
        if (FaceProjection.IsClassIII(res))
        {
            c = c.DownAperture7Clockwise();
            adjustedRes++;
            offsets = ClassIIICorners;
        }

        for (var v = 0; v < corners.Length; v++)
        {
            corners[v] = new FaceIjk(center.Face, (c + new CoordIjk(offsets[v * 3], offsets[v * 3 + 1], offsets[v * 3 + 2])).Normalized());
        }

        return adjustedRes;
    }

    private static int BuildHexagon(FaceIjk center, int res, Span<Vec3> output)
    {
        Span<FaceIjk> corners = stackalloc FaceIjk[6];
        var adjRes = SubstrateCorners(center, res, corners);
        var count = 0;
        var lastFace = -1;
        var lastOverage = Overage.None;
        for (var vert = 0; vert < 7; vert++)
        {
            var v = vert % 6;
            var fijk = corners[v];
            var overage = FaceProjection.AdjustOverage(ref fijk, adjRes, false, substrate: true);
            if (FaceProjection.IsClassIII(res) && vert > 0 && fijk.Face != lastFace && lastOverage != Overage.FaceEdge)
            {
                var p0 = corners[(v + 5) % 6].Coord.ToHex2d();
                var p1 = corners[v].Coord.ToHex2d();
                var otherFace = lastFace == center.Face ? fijk.Face : lastFace;
                var (e0, e1) = FaceEdge(BaseCells.AdjacentQuadrant(center.Face, otherFace), adjRes);
                var crossing = Intersect(p0, p1, e0, e1);
                if (!AlmostEqual(p0, crossing) && !AlmostEqual(p1, crossing))
                {
                    output[count++] = FaceProjection.FromHex2d(crossing.X, crossing.Y, center.Face, adjRes, substrate: true);
                }
            }

            if (vert < 6)
            {
                output[count++] = ToPoint(fijk, adjRes);
            }

            lastFace = fijk.Face;
            lastOverage = overage;
        }

        return count;
    }

    private static int BuildPentagon(FaceIjk center, int res, Span<Vec3> output)
    {
        Span<FaceIjk> corners = stackalloc FaceIjk[5];
        var adjRes = SubstrateCorners(center, res, corners);
        var count = 0;
        var last = default(FaceIjk);
        for (var vert = 0; vert < 6; vert++)
        {
            var fijk = corners[vert % 5];
            while (FaceProjection.AdjustOverage(ref fijk, adjRes, false, substrate: true) == Overage.NewFace)
            {
            }

            // Every Class III pentagon edge crosses an icosahedron edge.
            if (FaceProjection.IsClassIII(res) && vert > 0)
            {
                var p0 = last.Coord.ToHex2d();
                var toLast = BaseCells.AdjacentQuadrant(fijk.Face, last.Face);
                var (face, translate, rotations) = BaseCells.FaceNeighbor(fijk.Face, toLast);
                var moved = fijk.Coord;
                for (var i = 0; i < rotations; i++)
                {
                    moved = moved.Rotate60CounterClockwise();
                }

                moved = (moved + translate * (BaseCells.UnitScale(adjRes) * 3)).Normalized();
                var p1 = moved.ToHex2d();
                var (e0, e1) = FaceEdge(BaseCells.AdjacentQuadrant(face, fijk.Face), adjRes);
                var crossing = Intersect(p0, p1, e0, e1);
                output[count++] = FaceProjection.FromHex2d(crossing.X, crossing.Y, face, adjRes, substrate: true);
            }

            if (vert < 5)
            {
                output[count++] = ToPoint(fijk, adjRes);
            }

            last = fijk;
        }

        return count;
    }

    private static Vec3 ToPoint(FaceIjk fijk, int adjRes)
    {
        var (x, y) = fijk.Coord.ToHex2d();
        return (FaceProjection.FromHex2d(x, y, fijk.Face, adjRes, substrate: true));
    }

    /// <summary>End points of the face edge toward the given quadrant, in substrate units.</summary>
    private static ((double X, double Y) A, (double X, double Y) B) FaceEdge(int quadrant, int adjRes)
    {
        var maxDim = (double)BaseCells.MaxDimension(adjRes);
        var v0 = (3.0 * maxDim, 0.0);
        var v1 = (-1.5 * maxDim, 3.0 * Sqrt3Over2 * maxDim);
        var v2 = (-1.5 * maxDim, -3.0 * Sqrt3Over2 * maxDim);
        return quadrant switch
        {
            1 => (v0, v1),
            3 => (v1, v2),
            _ => (v2, v0),
        };
    }

    private static (double X, double Y) Intersect((double X, double Y) p0, (double X, double Y) p1, (double X, double Y) p2, (double X, double Y) p3)
    {
        var s1x = p1.X - p0.X;
        var s1y = p1.Y - p0.Y;
        var s2x = p3.X - p2.X;
        var s2y = p3.Y - p2.Y;
        var t = (s2x * (p0.Y - p2.Y) - s2y * (p0.X - p2.X)) / (-s2x * s1y + s1x * s2y);
        return (p0.X + t * s1x, p0.Y + t * s1y);
    }

    private static bool AlmostEqual((double X, double Y) a, (double X, double Y) b) =>
        Math.Abs(a.X - b.X) < FloatEpsilon && Math.Abs(a.Y - b.Y) < FloatEpsilon;
}
