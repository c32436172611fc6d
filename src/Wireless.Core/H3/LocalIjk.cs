namespace DePin.Wireless.Core.H3;

/// <summary>
/// Coordinates of a cell in the ijk frame of an origin's base cell, unfolding at most one neighbouring
/// base cell (and pentagon distortion where the reference supports it).
/// </summary>
internal static class LocalIjk
{
    public static CoordIjk? Of(H3Cell origin, H3Cell cell)
    {
        var res = origin.Resolution;
        if (res != cell.Resolution)
        {
            return null;
        }

        var originBase = origin.BaseCell;
        var cellBase = cell.BaseCell;
        var dir = Digits.Center;
        var reverseDir = Digits.Center;
        if (originBase != cellBase)
        {
            dir = BaseCells.DirectionTo(originBase, cellBase);
            if (dir == Digits.Invalid)
            {
                return null;
            }

            reverseDir = BaseCells.DirectionTo(cellBase, originBase);
        }

        var originOnPentagon = BaseCells.IsPentagon(originBase);
        var cellOnPentagon = BaseCells.IsPentagon(cellBase);
        if (dir != Digits.Center)
        {
            // Undo the rotation into the neighbouring base cell (clockwise).
            var baseRotations = BaseCells.NeighborRotations(originBase, dir);
            for (var i = 0; i < baseRotations; i++)
            {
                if (cellOnPentagon)
                {
                    cell = CellIndexing.RotatePentagonClockwise(cell);
                    reverseDir = Digits.Rotate60Clockwise(reverseDir);
                    if (reverseDir == Digits.K)
                    {
                        reverseDir = Digits.Rotate60Clockwise(reverseDir);
                    }
                }
                else
                {
                    cell = CellIndexing.RotateClockwise(cell, 1);
                    reverseDir = Digits.Rotate60Clockwise(reverseDir);
                }
            }
        }

        var coord = CellIndexing.DescendDigits(cell, CoordIjk.Zero);
        if (dir != Digits.Center)
        {
            var pentagonRotations = 0;
            var directionRotations = 0;
            if (originOnPentagon)
            {
                var leading = origin.LeadingNonZeroDigit();
                if (H3Tables.PentagonFailedDirections[leading * 7 + dir] == 1)
                {
                    return null;
                }

                directionRotations = H3Tables.PentagonRotations[leading * 7 + dir];
                pentagonRotations = directionRotations;
            }
            else if (cellOnPentagon)
            {
                var leading = cell.LeadingNonZeroDigit();
                if (H3Tables.PentagonFailedDirections[leading * 7 + reverseDir] == 1)
                {
                    return null;
                }

                pentagonRotations = H3Tables.PentagonRotations[reverseDir * 7 + leading];
            }

            if (pentagonRotations < 0 || directionRotations < 0)
            {
                return null;
            }

            for (var i = 0; i < pentagonRotations; i++)
            {
                coord = coord.Rotate60Clockwise();
            }

            var offset = CoordIjk.Zero.Neighbor(dir);
            for (var r = res - 1; r >= 0; r--)
            {
                offset = FaceProjection.IsClassIII(r + 1) ? offset.DownAperture7() : offset.DownAperture7Clockwise();
            }

            for (var i = 0; i < directionRotations; i++)
            {
                offset = offset.Rotate60Clockwise();
            }

            coord = (coord + offset).Normalized();
        }
        else if (originOnPentagon && cellOnPentagon)
        {
            var originLeading = origin.LeadingNonZeroDigit();
            var cellLeading = cell.LeadingNonZeroDigit();
            if (H3Tables.PentagonFailedDirections[originLeading * 7 + cellLeading] == 1)
            {
                return null;
            }

            var rotations = H3Tables.PentagonRotations[originLeading * 7 + cellLeading];
            for (var i = 0; i < rotations; i++)
            {
                coord = coord.Rotate60Clockwise();
            }
        }

        return coord;
    }
}
