namespace DePin.Wireless.Core.H3;

/// <summary>Neighbour steps between cells of one resolution, grid disks and grid distances.</summary>
internal static class GridTraversal
{
    /// <summary>Order in which the disk walk visits each ring side (j, jk, k, ik, i, ij).</summary>
    private static ReadOnlySpan<byte> RingDirections => [2, 3, 1, 5, 4, 6];

    private const int NextRingDirection = Digits.I;

    public enum StepResult
    {
        Ok,
        Pentagon,
        Failed,
    }

    /// <summary>
    /// Moves one cell in direction <paramref name="direction"/> (a digit, rotated by the accumulated
    /// <paramref name="rotations"/>), rewriting digits from the finest up and crossing base cells as needed.
    /// </summary>
    public static StepResult Step(H3Cell origin, int direction, ref int rotations, out H3Cell result)
    {
        result = origin;
        var current = origin;
        rotations %= 6;
        for (var i = 0; i < rotations; i++)
        {
            direction = Digits.Rotate60CounterClockwise(direction);
        }

        var newRotations = 0;
        var oldBaseCell = current.BaseCell;
        var oldLeading = current.LeadingNonZeroDigit();
        var r = current.Resolution - 1;
        while (true)
        {
            if (r == -1)
            {
                var neighbor = BaseCells.Neighbor(oldBaseCell, direction);
                newRotations = BaseCells.NeighborRotations(oldBaseCell, direction);
                if (neighbor == BaseCells.NoNeighbor)
                {
                    // The deleted k direction of a pentagon: the edge borders the ik neighbour instead.
                    neighbor = BaseCells.Neighbor(oldBaseCell, Digits.IK);
                    newRotations = BaseCells.NeighborRotations(oldBaseCell, Digits.IK);
                    current = CellIndexing.RotateCounterClockwise(current, 1);
                    rotations++;
                }

                current = current.WithBaseCell(neighbor);
                break;
            }

            var oldDigit = current.Digit(r + 1);
            if (oldDigit == Digits.Invalid)
            {
                return StepResult.Failed;
            }

            var at = oldDigit * 7 + direction;
            int carry;
            if (FaceProjection.IsClassIII(r + 1))
            {
                current = current.WithDigit(r + 1, H3Tables.NeighborDigitClassII[at]);
                carry = H3Tables.NeighborCarryClassII[at];
            }
            else
            {
                current = current.WithDigit(r + 1, H3Tables.NeighborDigitClassIII[at]);
                carry = H3Tables.NeighborCarryClassIII[at];
            }

            if (carry == Digits.Center)
            {
                break;
            }

            direction = carry;
            r--;
        }

        var newBaseCell = current.BaseCell;
        if (!BaseCells.IsPentagon(newBaseCell))
        {
            current = CellIndexing.RotateCounterClockwise(current, newRotations);
        }
        else
        {
            var outcome = AdjustIntoPentagon(ref current, oldBaseCell, oldLeading, ref rotations, out var alreadyAdjusted);
            if (outcome != StepResult.Ok)
            {
                return outcome;
            }

            for (var i = 0; i < newRotations; i++)
            {
                current = CellIndexing.RotatePentagonCounterClockwise(current);
            }

            if (oldBaseCell != newBaseCell)
            {
                if (BaseCells.IsPolarPentagon(newBaseCell))
                {
                    if (oldBaseCell != 118 && oldBaseCell != 8 && current.LeadingNonZeroDigit() != Digits.JK)
                    {
                        rotations++;
                    }
                }
                else if (current.LeadingNonZeroDigit() == Digits.IK && !alreadyAdjusted)
                {
                    // The deleted k sub-sequence distorts the orientation of the ik neighbour.
                    rotations++;
                }
            }
        }

        rotations = (rotations + newRotations) % 6;
        result = current;
        return StepResult.Ok;
    }

    /// <summary>Rotates a step that landed in a pentagon's deleted k sub-sequence out of it.</summary>
    private static StepResult AdjustIntoPentagon(ref H3Cell current, int oldBaseCell, int oldLeading, ref int rotations, out bool adjusted)
    {
        adjusted = false;
        if (current.LeadingNonZeroDigit() != Digits.K)
        {
            return StepResult.Ok;
        }

        if (oldBaseCell != current.BaseCell)
        {
            current = BaseCells.IsClockwiseOffset(current.BaseCell, BaseCells.Home(oldBaseCell).Face)
                ? CellIndexing.RotateClockwise(current, 1)
                : CellIndexing.RotateCounterClockwise(current, 1);
            adjusted = true;
            return StepResult.Ok;
        }

        switch (oldLeading)
        {
            case Digits.Center:
                return StepResult.Pentagon;
            case Digits.JK:
                current = CellIndexing.RotateCounterClockwise(current, 1);
                rotations++;
                return StepResult.Ok;
            case Digits.IK:
                current = CellIndexing.RotateClockwise(current, 1);
                rotations += 5;
                return StepResult.Ok;
            default:
                return StepResult.Failed;
        }
    }

    public static int MaxDiskSize(int k) => 3 * k * (k + 1) + 1;

    /// <summary>
    /// Fills <paramref name="output"/> (length ≥ MaxDiskSize(k), zeroed) like the reference: a spiral walk
    /// ring by ring, or — when the walk meets a pentagon — a recursive search storing cells in an
    /// open-addressed table keyed by index modulo the size. Empty slots stay 0.
    /// </summary>
    public static void Disk(H3Cell origin, int k, Span<ulong> output, Span<int> distances)
    {
        if (SpiralDisk(origin, k, output))
        {
            return;
        }

        output.Clear();
        distances.Clear();
        SearchDisk(origin, k, output, distances, 0);
    }

    private static bool SpiralDisk(H3Cell origin, int k, Span<ulong> output)
    {
        var idx = 0;
        output[idx++] = origin.Value;
        if (origin.IsPentagon)
        {
            return false;
        }

        var ring = 1;
        var side = 0;
        var i = 0;
        var rotations = 0;
        var current = origin;
        while (ring <= k)
        {
            if (side == 0 && i == 0)
            {
                if (Step(current, NextRingDirection, ref rotations, out current) != StepResult.Ok || current.IsPentagon)
                {
                    return false;
                }
            }

            if (Step(current, RingDirections[side], ref rotations, out current) != StepResult.Ok)
            {
                return false;
            }

            output[idx++] = current.Value;
            i++;
            if (i == ring)
            {
                i = 0;
                side++;
                if (side == 6)
                {
                    side = 0;
                    ring++;
                }
            }

            if (current.IsPentagon)
            {
                return false;
            }
        }

        return true;
    }

    private static void SearchDisk(H3Cell cell, int k, Span<ulong> table, Span<int> distances, int depth)
    {
        var size = (ulong)table.Length;
        var slot = (int)(cell.Value % size);
        while (table[slot] != 0 && table[slot] != cell.Value)
        {
            slot = (int)((ulong)(slot + 1) % size);
        }

        if (table[slot] == cell.Value && distances[slot] <= depth)
        {
            return;
        }

        table[slot] = cell.Value;
        distances[slot] = depth;
        if (depth >= k)
        {
            return;
        }

        foreach (var direction in RingDirections)
        {
            var rotations = 0;
            var outcome = Step(cell, direction, ref rotations, out var next);
            if (outcome == StepResult.Pentagon)
            {
                continue;
            }

            if (outcome != StepResult.Ok)
            {
                throw new InvalidOperationException($"Grid disk walk failed at cell {cell}.");
            }

            SearchDisk(next, k, table, distances, depth + 1);
        }
    }

    /// <summary>Grid distance via coordinates local to the origin's base cell; null when the cells cannot be unfolded into one plane.</summary>
    public static long? Distance(H3Cell origin, H3Cell target)
    {
        if (origin.Resolution != target.Resolution)
        {
            return null;
        }

        var a = LocalIjk.Of(origin, origin);
        var b = LocalIjk.Of(origin, target);
        return a is null || b is null ? null : CoordIjk.Distance(a.Value, b.Value);
    }
}
