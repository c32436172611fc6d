namespace DePin.Wireless.Core.H3;

/// <summary>Typed access to the 122 base cells (resolution 0) and the 20 icosahedron faces.</summary>
internal static class BaseCells
{
    public const int Count = 122;
    public const int FaceCount = 20;
    public const int NoNeighbor = 127;

    public static bool IsPentagon(int baseCell) => H3Tables.BaseCellHome[baseCell * 7 + 4] == 1;

    /// <summary>The two pentagons whose every neighbour lies in the i direction (base cells 4 and 117).</summary>
    public static bool IsPolarPentagon(int baseCell) => baseCell is 4 or 117;

    public static FaceIjk Home(int baseCell)
    {
        var t = H3Tables.BaseCellHome.Slice(baseCell * 7, 4);
        return new FaceIjk(t[0], new CoordIjk(t[1], t[2], t[3]));
    }

    /// <summary>Whether the face is one of the two clockwise offset faces of a pentagon base cell.</summary>
    public static bool IsClockwiseOffset(int baseCell, int face)
    {
        var t = H3Tables.BaseCellHome.Slice(baseCell * 7, 7);
        return t[4] == 1 && (t[5] == face || t[6] == face);
    }

    public static int Neighbor(int baseCell, int digit) => H3Tables.BaseCellNeighbors[baseCell * 7 + digit];

    public static int NeighborRotations(int baseCell, int digit) => H3Tables.BaseCellNeighborRotations[baseCell * 7 + digit];

    /// <summary>Digit leading from one base cell to a neighbouring one, or 7 when they are not neighbours.</summary>
    public static int DirectionTo(int from, int to)
    {
        for (var d = 0; d < 7; d++)
        {
            if (Neighbor(from, d) == to)
            {
                return d;
            }
        }

        return Digits.Invalid;
    }

    /// <summary>Base cell and its ccw rotation for face-local coordinates with components 0..2.</summary>
    public static (int BaseCell, int Rotations) OnFace(int face, CoordIjk c)
    {
        var at = ((((face * 3) + c.I) * 3 + c.J) * 3 + c.K) * 2;
        return (H3Tables.FaceIjkBaseCells[at], H3Tables.FaceIjkBaseCells[at + 1]);
    }

    public static Vec3 FaceCenter(int face)
    {
        var t = H3Tables.FaceCenterXyz.Slice(face * 3, 3);
        return new Vec3(t[0], t[1], t[2]);
    }

    public static double FaceIAxisAzimuth(int face) => H3Tables.FaceAxesAzimuthClassII[face * 3];

    /// <summary>Neighbour face across quadrant q (1 IJ, 2 KI, 3 JK): face, translation and ccw rotations.</summary>
    public static (int Face, CoordIjk Translate, int Rotations) FaceNeighbor(int face, int quadrant)
    {
        var t = H3Tables.FaceNeighbors.Slice((face * 4 + quadrant) * 5, 5);
        return (t[0], new CoordIjk(t[1], t[2], t[3]), t[4]);
    }

    public static int AdjacentQuadrant(int from, int to) => H3Tables.AdjacentFaceDirection[from * FaceCount + to];

    public static int MaxDimension(int classIIRes) => H3Tables.MaxDimByClassIIRes[classIIRes];

    public static int UnitScale(int classIIRes) => H3Tables.UnitScaleByClassIIRes[classIIRes];
}
