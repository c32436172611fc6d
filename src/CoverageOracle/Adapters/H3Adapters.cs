using DePin.Wireless.Core.H3;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.CoverageOracle.Density;
using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.CoverageOracle.Adapters;

/// <summary>The verifier's geometry over <see cref="H3Grid"/>: grid distance of the parents, great-circle distance of the centres.</summary>
public sealed class H3PocGeometry : IPocGeometry
{
    public int? GridDistance(ulong cellA, ulong cellB, int resolution)
    {
        var a = ParentOrSelf(new H3Cell(cellA), resolution);
        var b = ParentOrSelf(new H3Cell(cellB), resolution);
        return H3Grid.GridDistance(a, b) is { } d && d <= int.MaxValue ? (int)d : null;
    }

    public double CenterDistanceMeters(ulong cellA, ulong cellB)
    {
        var a = H3Grid.CellToLatLng(new H3Cell(cellA));
        var b = H3Grid.CellToLatLng(new H3Cell(cellB));
        return GreatCircle.DistanceMeters(new GeoPoint(a.Lat, a.Lng), new GeoPoint(b.Lat, b.Lng));
    }

    private static H3Cell ParentOrSelf(H3Cell cell, int resolution) =>
        cell.Resolution > resolution ? H3Grid.CellToParent(cell, resolution) : cell;
}

/// <summary>
/// Hex density's hierarchy over <see cref="H3Grid"/>. Parents are taken with bit operations (H3 index layout:
/// resolution in bits 52–55, 3-bit digits per resolution from bit 42 down, unused digits 7) without re-validating
/// the cell each time: hex density takes millions of parents of cells that came from the registry.
/// </summary>
public sealed class H3HexHierarchy : IHexHierarchy
{
    private const int ResolutionOffset = 52;
    private const ulong ResolutionMask = 0xFUL << ResolutionOffset;

    public int Resolution(ulong cell) => new H3Cell(cell).Resolution;

    public ulong Parent(ulong cell, int resolution)
    {
        var own = (int)((cell & ResolutionMask) >> ResolutionOffset);
        if (resolution < 0 || resolution > own)
        {
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, $"parent resolution must be 0..{own}");
        }

        var unusedDigits = (1UL << ((H3Grid.MaxResolution - resolution) * 3)) - 1;
        return (cell & ~ResolutionMask) | ((ulong)resolution << ResolutionOffset) | unusedDigits;
    }

    public int Disk1(ulong cell, Span<ulong> destination) =>
        H3Grid.GridDisk(new H3Cell(cell), 1, System.Runtime.InteropServices.MemoryMarshal.Cast<ulong, H3Cell>(destination));
}
