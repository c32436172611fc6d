namespace DePin.Wireless.Core.H3;

/// <summary>
/// The H3 v4 hexagonal grid: indexing of positions, cell geometry and hierarchy/neighbourhood queries.
/// Results match the reference implementation (Uber H3 v4.5.0 as shipped in h3-js 4.5.0).
/// </summary>
public static class H3Grid
{
    public const int MaxResolution = 15;

    /// <summary>Mean Earth radius used by H3 for areas (km).</summary>
    public const double EarthRadiusKm = 6371.007180918475;

    /// <summary>The cell of resolution <paramref name="res"/> containing the position (degrees). Does not allocate.</summary>
    public static H3Cell LatLngToCell(double latDegrees, double lngDegrees, int res)
    {
        if ((uint)res > MaxResolution)
        {
            throw new ArgumentOutOfRangeException(nameof(res), res, "resolution must be 0..15");
        }

        if (!double.IsFinite(latDegrees))
        {
            throw new ArgumentOutOfRangeException(nameof(latDegrees), latDegrees, "latitude must be finite");
        }

        if (!double.IsFinite(lngDegrees))
        {
            throw new ArgumentOutOfRangeException(nameof(lngDegrees), lngDegrees, "longitude must be finite");
        }

        var p = Vec3.FromLatLngRadians(LatLng.ToRadians(latDegrees), LatLng.ToRadians(lngDegrees));
        return CellIndexing.FromFaceIjk(FaceProjection.ToFaceIjk(p, res), res);
    }

    public static H3Cell LatLngToCell(LatLng position, int res) => LatLngToCell(position.Lat, position.Lng, res);

    /// <summary>Centre of the cell in degrees.</summary>
    public static LatLng CellToLatLng(H3Cell cell)
    {
        RequireValid(cell);
        return LatLng.FromVec3(FaceProjection.FromFaceIjk(CellIndexing.ToFaceIjk(cell), cell.Resolution));
    }

    /// <summary>
    /// Writes the boundary vertices counter-clockwise (5 or 6 corners plus any icosahedron-edge crossing
    /// vertices; at most 10) and returns how many were written.
    /// </summary>
    public static int CellToBoundary(H3Cell cell, Span<LatLng> destination)
    {
        RequireValid(cell);
        if (destination.Length < CellBoundaryBuilder.MaxVertices)
        {
            throw new ArgumentException($"destination must hold {CellBoundaryBuilder.MaxVertices} vertices", nameof(destination));
        }

        Span<Vec3> points = stackalloc Vec3[CellBoundaryBuilder.MaxVertices];
        var n = CellBoundaryBuilder.Build(cell, points);
        for (var i = 0; i < n; i++)
        {
            destination[i] = LatLng.FromVec3(points[i]);
        }

        return n;
    }

    public static LatLng[] CellToBoundary(H3Cell cell)
    {
        Span<LatLng> buffer = stackalloc LatLng[CellBoundaryBuilder.MaxVertices];
        var n = CellToBoundary(cell, buffer);
        return buffer[..n].ToArray();
    }

    public static int GetResolution(H3Cell cell) => cell.Resolution;

    public static bool IsPentagon(H3Cell cell) => cell.IsPentagon;

    public static H3Cell CellToParent(H3Cell cell, int parentRes)
    {
        RequireValid(cell);
        if (parentRes < 0 || parentRes > cell.Resolution)
        {
            throw new ArgumentOutOfRangeException(nameof(parentRes), parentRes, $"parent resolution must be 0..{cell.Resolution}");
        }

        var parent = cell.WithResolution(parentRes);
        for (var r = parentRes + 1; r <= cell.Resolution; r++)
        {
            parent = parent.WithDigit(r, Digits.Invalid);
        }

        return parent;
    }

    /// <summary>Children at <paramref name="childRes"/> in ascending digit order (pentagons skip the deleted k sub-sequence).</summary>
    public static H3Cell[] CellToChildren(H3Cell cell, int childRes)
    {
        RequireValid(cell);
        var res = cell.Resolution;
        if (childRes < res || childRes > MaxResolution)
        {
            throw new ArgumentOutOfRangeException(nameof(childRes), childRes, $"child resolution must be {res}..15");
        }

        var levels = childRes - res;
        var pentagon = cell.IsPentagon;
        var total = (int)Math.Pow(7, levels);
        var result = new List<H3Cell>(pentagon ? 1 + 5 * (total - 1) / 6 : total);
        var basis = cell.WithResolution(childRes);
        for (var n = 0; n < total; n++)
        {
            var child = basis;
            var rest = n;
            var firstNonZero = 0;
            for (var r = childRes; r > res; r--)
            {
                child = child.WithDigit(r, rest % 7);
                rest /= 7;
            }

            for (var r = res + 1; r <= childRes && firstNonZero == 0; r++)
            {
                firstNonZero = child.Digit(r);
            }

            if (!(pentagon && firstNonZero == Digits.K))
            {
                result.Add(child);
            }
        }

        return [.. result];
    }

    /// <summary>All cells within grid distance k, in the reference's output order.</summary>
    public static H3Cell[] GridDisk(H3Cell origin, int k)
    {
        RequireValid(origin);
        if (k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "k must be non-negative");
        }

        var size = GridTraversal.MaxDiskSize(k);
        var slots = new ulong[size];
        var distances = new int[size];
        GridTraversal.Disk(origin, k, slots, distances);
        var result = new List<H3Cell>(size);
        foreach (var v in slots)
        {
            if (v != 0)
            {
                result.Add(new H3Cell(v));
            }
        }

        return [.. result];
    }

    /// <summary>
    /// Writes the disk into <paramref name="destination"/> (length ≥ 3k(k+1)+1) without allocating and returns the count.
    /// </summary>
    public static int GridDisk(H3Cell origin, int k, Span<H3Cell> destination)
    {
        RequireValid(origin);
        var size = GridTraversal.MaxDiskSize(k);
        if (destination.Length < size)
        {
            throw new ArgumentException($"destination must hold {size} cells", nameof(destination));
        }

        var slots = System.Runtime.InteropServices.MemoryMarshal.Cast<H3Cell, ulong>(destination[..size]);
        slots.Clear();
        Span<int> distances = size <= 1024 ? stackalloc int[size] : new int[size];
        GridTraversal.Disk(origin, k, slots, distances);
        var count = 0;
        for (var i = 0; i < size; i++)
        {
            if (slots[i] != 0)
            {
                slots[count++] = slots[i];
            }
        }

        return count;
    }

    /// <summary>Number of grid steps between two cells of one resolution, or null when the reference cannot compute it (too far apart or across pentagon distortion).</summary>
    public static long? GridDistance(H3Cell origin, H3Cell target)
    {
        RequireValid(origin);
        RequireValid(target);
        return GridTraversal.Distance(origin, target);
    }

    /// <summary>Exact spherical area of the cell polygon in km² (signed spherical excess of the boundary loop).</summary>
    public static double CellAreaKm2(H3Cell cell)
    {
        RequireValid(cell);
        Span<Vec3> boundary = stackalloc Vec3[CellBoundaryBuilder.MaxVertices];
        var n = CellBoundaryBuilder.Build(cell, boundary);
        return SphericalArea.LoopRadians2(boundary[..n]) * EarthRadiusKm * EarthRadiusKm;
    }

    private static void RequireValid(H3Cell cell)
    {
        var reason = cell.CheckValidity();
        if (reason is not null)
        {
            throw new ArgumentException($"cell {cell} is invalid: {reason}", nameof(cell));
        }
    }
}
