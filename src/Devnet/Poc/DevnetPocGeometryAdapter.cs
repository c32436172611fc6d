using DePin.Wireless.Core.H3;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.Devnet.Poc;

/// <summary>
/// The devnet's own <see cref="IPocGeometry"/> over Core's H3 grid. Kept tiny on purpose: the coverage oracle's
/// shared adapter replaces it when it lands.
/// </summary>
public sealed class DevnetPocGeometryAdapter : IPocGeometry
{
    public int? GridDistance(ulong cellA, ulong cellB, int resolution)
    {
        var a = H3Grid.CellToParent(new H3Cell(cellA), resolution);
        var b = H3Grid.CellToParent(new H3Cell(cellB), resolution);
        return H3Grid.GridDistance(a, b) is { } d && d <= int.MaxValue ? (int)d : null;
    }

    public double CenterDistanceMeters(ulong cellA, ulong cellB)
    {
        var a = H3Grid.CellToLatLng(new H3Cell(cellA));
        var b = H3Grid.CellToLatLng(new H3Cell(cellB));
        return GreatCircle.DistanceMeters(new GeoPoint(a.Lat, a.Lng), new GeoPoint(b.Lat, b.Lng));
    }
}
