namespace DePin.Wireless.Core.H3;

/// <summary>Conversion between face-local hexagon coordinates and H3 indexes, and digit rotations of indexes.</summary>
internal static class CellIndexing
{
    private const int MaxFaceCoord = 2;

    /// <summary>Builds the index by walking up the aperture-7 hierarchy, then rotates into the base cell's frame.</summary>
    public static H3Cell FromFaceIjk(FaceIjk fijk, int res)
    {
        var cell = H3Cell.Create(res, 0);
        var c = fijk.Coord;
        for (var r = res - 1; r >= 0; r--)
        {
            var last = c;
            CoordIjk center;
            if (FaceProjection.IsClassIII(r + 1))
            {
                c = c.UpAperture7();
                center = c.DownAperture7();
            }
            else
            {
                c = c.UpAperture7Clockwise();
                center = c.DownAperture7Clockwise();
            }

            cell = cell.WithDigit(r + 1, (last - center).Normalized().ToDigit());
        }

        if (c.I > MaxFaceCoord || c.J > MaxFaceCoord || c.K > MaxFaceCoord)
        {
            throw new InvalidOperationException("Face coordinates out of range for a base cell.");
        }

        var (baseCell, rotations) = BaseCells.OnFace(fijk.Face, c);
        cell = cell.WithBaseCell(baseCell);
        if (!BaseCells.IsPentagon(baseCell))
        {
            return RotateCounterClockwise(cell, rotations);
        }

        if (cell.LeadingNonZeroDigit() == Digits.K)
        {
            cell = BaseCells.IsClockwiseOffset(baseCell, fijk.Face) ? RotateClockwise(cell, 1) : RotateCounterClockwise(cell, 1);
        }

        for (var i = 0; i < rotations; i++)
        {
            cell = RotatePentagonCounterClockwise(cell);
        }

        return cell;
    }

    /// <summary>Face and coordinates of a cell centre, on the face that actually contains it.</summary>
    public static FaceIjk ToFaceIjk(H3Cell cell)
    {
        var baseCell = cell.BaseCell;
        var res = cell.Resolution;
        var isPentagonBase = BaseCells.IsPentagon(baseCell);
        var leading = cell.LeadingNonZeroDigit();
        if (isPentagonBase && leading == Digits.IK)
        {
            cell = RotateClockwise(cell, 1);
            leading = cell.LeadingNonZeroDigit();
        }

        var home = BaseCells.Home(baseCell);
        var fijk = new FaceIjk(home.Face, DescendDigits(cell, home.Coord));
        var mayOverflow = isPentagonBase || (res != 0 && home.Coord != CoordIjk.Zero);
        if (!mayOverflow)
        {
            return fijk;
        }

        var original = fijk.Coord;
        var workRes = res;
        if (FaceProjection.IsClassIII(res))
        {
            fijk = fijk with { Coord = fijk.Coord.DownAperture7Clockwise() };
            workRes++;
        }

        var pentagonLeading4 = isPentagonBase && leading == Digits.I;
        if (FaceProjection.AdjustOverage(ref fijk, workRes, pentagonLeading4, substrate: false) != Overage.None)
        {
            if (isPentagonBase)
            {
                while (FaceProjection.AdjustOverage(ref fijk, workRes, false, false) != Overage.None)
                {
                }
            }

            if (workRes != res)
            {
                fijk = fijk with { Coord = fijk.Coord.UpAperture7Clockwise() };
            }
        }
        else if (workRes != res)
        {
            fijk = fijk with { Coord = original };
        }

        return fijk;
    }

    /// <summary>Applies the digits of the index below the base cell to base-cell coordinates.</summary>
    public static CoordIjk DescendDigits(H3Cell cell, CoordIjk start)
    {
        var c = start;
        var res = cell.Resolution;
        for (var r = 1; r <= res; r++)
        {
            c = FaceProjection.IsClassIII(r) ? c.DownAperture7() : c.DownAperture7Clockwise();
            c = c.Neighbor(cell.Digit(r));
        }

        return c;
    }

    public static H3Cell RotateCounterClockwise(H3Cell cell, int times)
    {
        var res = cell.Resolution;
        for (var t = 0; t < times; t++)
        {
            for (var r = 1; r <= res; r++)
            {
                cell = cell.WithDigit(r, Digits.Rotate60CounterClockwise(cell.Digit(r)));
            }
        }

        return cell;
    }

    public static H3Cell RotateClockwise(H3Cell cell, int times)
    {
        var res = cell.Resolution;
        for (var t = 0; t < times; t++)
        {
            for (var r = 1; r <= res; r++)
            {
                cell = cell.WithDigit(r, Digits.Rotate60Clockwise(cell.Digit(r)));
            }
        }

        return cell;
    }

    /// <summary>Rotation inside a pentagon base cell, stepping over the deleted k sub-sequence.</summary>
    public static H3Cell RotatePentagonCounterClockwise(H3Cell cell) => RotatePentagon(cell, clockwise: false);

    public static H3Cell RotatePentagonClockwise(H3Cell cell) => RotatePentagon(cell, clockwise: true);

    private static H3Cell RotatePentagon(H3Cell cell, bool clockwise)
    {
        var res = cell.Resolution;
        var foundFirstNonZero = false;
        for (var r = 1; r <= res; r++)
        {
            var d = cell.Digit(r);
            cell = cell.WithDigit(r, clockwise ? Digits.Rotate60Clockwise(d) : Digits.Rotate60CounterClockwise(d));
            if (!foundFirstNonZero && cell.Digit(r) != 0)
            {
                foundFirstNonZero = true;
                if (cell.LeadingNonZeroDigit() == Digits.K)
                {
                    cell = clockwise ? RotateClockwise(cell, 1) : RotateCounterClockwise(cell, 1);
                }
            }
        }

        return cell;
    }
}
