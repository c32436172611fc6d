using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.OverlayNG;

namespace DePin.Wireless.Core.H3;

/// <summary>
/// Conversions between NetTopologySuite geometries (X = longitude, Y = latitude, degrees) and H3 cell sets.
/// Containment follows the reference: a cell belongs to a polygon when its centre lies inside the polygon
/// treated as planar in longitude/latitude (holes excluded); polygons spanning more than 180° of longitude
/// are taken to cross the antimeridian.
/// </summary>
public static class H3Polygons
{
    /// <summary>Average hexagon edge length at resolution 0 (km); each finer resolution divides it by √7.</summary>
    private const double Res0EdgeKm = 1281.256011;
    private const double KmPerDegree = 111.2;

    /// <summary>Cells of resolution <paramref name="res"/> whose centres lie inside the polygon, ascending by index.</summary>
    public static H3Cell[] PolygonToCells(Polygon polygon, int res)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        if ((uint)res > H3Grid.MaxResolution)
        {
            throw new ArgumentOutOfRangeException(nameof(res), res, "resolution must be 0..15");
        }

        if (polygon.IsEmpty)
        {
            return [];
        }

        var transmeridian = polygon.EnvelopeInternal.Width > 180;
        var planar = transmeridian ? ShiftWest(polygon) : polygon;
        var inside = PreparedGeometryFactory.Prepare(planar);
        var factory = planar.Factory;
        bool Contains(H3Cell cell)
        {
            var c = H3Grid.CellToLatLng(cell);
            var lng = transmeridian && c.Lng < 0 ? c.Lng + 360 : c.Lng;
            return inside.Contains(factory.CreatePoint(new Coordinate(lng, c.Lat)));
        }

        var seeds = BoundaryCandidates(polygon, res);
        var found = new HashSet<H3Cell>();
        var visited = new HashSet<H3Cell>();
        var queue = new Queue<H3Cell>();
        foreach (var seed in seeds)
        {
            if (visited.Add(seed) && Contains(seed))
            {
                found.Add(seed);
                queue.Enqueue(seed);
            }
        }

        // Flood fill the interior from the cells found next to the boundary.
        while (queue.TryDequeue(out var cell))
        {
            foreach (var neighbor in H3Grid.GridDisk(cell, 1))
            {
                if (visited.Add(neighbor) && Contains(neighbor))
                {
                    found.Add(neighbor);
                    queue.Enqueue(neighbor);
                }
            }
        }

        var result = found.ToArray();
        Array.Sort(result, (a, b) => a.Value.CompareTo(b.Value));
        return result;
    }

    /// <summary>
    /// Cells within two steps of points sampled along every ring at a quarter of the average edge length.
    /// Where the boundary passes between an inside and an outside centre, one of those two cells contains
    /// the crossing point, so a nearby sample's 2-disk reaches an inside cell of every interior component.
    /// </summary>
    private static HashSet<H3Cell> BoundaryCandidates(Polygon polygon, int res)
    {
        var stepDegrees = Res0EdgeKm / Math.Pow(Math.Sqrt(7), res) / KmPerDegree / 4;
        var sampled = new HashSet<H3Cell>();
        foreach (var ring in new[] { polygon.Shell }.Concat(polygon.Holes))
        {
            var pts = ring.Coordinates;
            for (var i = 0; i + 1 < pts.Length; i++)
            {
                var a = pts[i];
                var b = pts[i + 1];
                var dLng = b.X - a.X;
                if (dLng > 180)
                {
                    dLng -= 360;
                }
                else if (dLng < -180)
                {
                    dLng += 360;
                }

                var length = Math.Sqrt(dLng * dLng + (b.Y - a.Y) * (b.Y - a.Y));
                var steps = Math.Max(1, (int)Math.Ceiling(length / stepDegrees));
                for (var s = 0; s <= steps; s++)
                {
                    var t = (double)s / steps;
                    var lat = Math.Clamp(a.Y + t * (b.Y - a.Y), -90, 90);
                    sampled.Add(H3Grid.LatLngToCell(lat, a.X + t * dLng, res));
                }
            }
        }

        var candidates = new HashSet<H3Cell>();
        foreach (var cell in sampled)
        {
            candidates.UnionWith(H3Grid.GridDisk(cell, 2));
        }

        return candidates;
    }

    private static Polygon ShiftWest(Polygon polygon)
    {
        var copy = (Polygon)polygon.Copy();
        copy.Apply(new ShiftNegativeLongitudes());
        copy.GeometryChanged();
        return copy;
    }

    /// <summary>The cell as a closed polygon ring (counter-clockwise as the reference orders vertices).</summary>
    public static Polygon CellToPolygon(H3Cell cell, GeometryFactory? factory = null, bool unwrapAntimeridian = true)
    {
        factory ??= NtsGeometryServices.Instance.CreateGeometryFactory(4326);
        var boundary = H3Grid.CellToBoundary(cell);
        var crosses = unwrapAntimeridian && boundary.Max(p => p.Lng) - boundary.Min(p => p.Lng) > 180;
        var ring = new Coordinate[boundary.Length + 1];
        for (var i = 0; i < boundary.Length; i++)
        {
            var lng = crosses && boundary[i].Lng < 0 ? boundary[i].Lng + 360 : boundary[i].Lng;
            ring[i] = new Coordinate(lng, boundary[i].Lat);
        }

        ring[^1] = ring[0].Copy();
        return factory.CreatePolygon(ring);
    }

    /// <summary>
    /// The outline of a set of cells (same resolution or mixed) as a MultiPolygon with holes, dissolving
    /// shared edges. Vertices are snapped to a 1e-9 degree grid so that edges shared by neighbouring cells
    /// (computed independently, equal up to last-bit rounding) coincide. Sets reaching across the
    /// antimeridian are expressed with longitudes beyond 180.
    /// </summary>
    public static MultiPolygon CellsToMultiPolygon(IEnumerable<H3Cell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var factory = new GeometryFactory(new PrecisionModel(1e9), 4326);
        var distinct = cells.Distinct().ToArray();
        if (distinct.Length == 0)
        {
            return factory.CreateMultiPolygon();
        }

        var polygons = distinct.Select(c => CellToPolygon(c, factory)).ToList();
        var spansWorld = polygons.Max(p => p.EnvelopeInternal.MaxX) - polygons.Min(p => p.EnvelopeInternal.MinX) > 180;
        var parts = polygons.Select(p => spansWorld ? ShiftWest(p) : p).Select(p => (Geometry)factory.CreatePolygon(
            factory.CreateLinearRing(p.Shell.Coordinates.Select(c => new Coordinate(factory.PrecisionModel.MakePrecise(c.X), factory.PrecisionModel.MakePrecise(c.Y))).ToArray())));
        var union = OverlayNGRobust.Union((Geometry)factory.CreateGeometryCollection(parts.ToArray()));
        return union switch
        {
            MultiPolygon mp => mp,
            Polygon p => factory.CreateMultiPolygon([p]),
            _ => factory.CreateMultiPolygon(Enumerable.Range(0, union.NumGeometries).Select(i => union.GetGeometryN(i)).OfType<Polygon>().ToArray()),
        };
    }

    private sealed class ShiftNegativeLongitudes : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var x = seq.GetX(i);
                if (x < 0)
                {
                    seq.SetX(i, x + 360);
                }
            }
        }
    }
}
