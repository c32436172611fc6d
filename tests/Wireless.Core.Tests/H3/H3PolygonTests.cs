using System.Text;
using System.Text.Json;
using DePin.Wireless.Core.H3;
using NetTopologySuite.Geometries;

namespace DePin.Wireless.Core.Tests.H3;

public sealed class H3PolygonTests
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    private static Polygon ToPolygon(double[][][] loops)
    {
        LinearRing Ring(double[][] loop) =>
            Factory.CreateLinearRing(loop.Append(loop[0]).Select(p => new Coordinate(p[1], p[0])).ToArray());
        return Factory.CreatePolygon(Ring(loops[0]), loops.Skip(1).Select(Ring).ToArray());
    }

    [Fact]
    public void PolygonToCells_matches_reference_centre_containment()
    {
        Assert.NotEmpty(H3Fixtures.Polygons);
        foreach (var p in H3Fixtures.Polygons)
        {
            var cells = H3Polygons.PolygonToCells(ToPolygon(p.Loops), p.Res).Select(c => c.ToString()).ToArray();
            Assert.True(p.Cells.Length > 0, "fixture polygon without cells");
            Assert.Equal(p.Cells, cells);
        }
    }

    [Fact]
    public void PolygonToCells_handles_a_polygon_across_the_antimeridian()
    {
        var polygon = Factory.CreatePolygon([new(179.5, -1), new(-179.5, -1), new(-179.5, 1), new(179.5, 1), new(179.5, -1)]);
        var cells = H3Polygons.PolygonToCells(polygon, 5);
        Assert.NotEmpty(cells);
        Assert.All(cells, c =>
        {
            var centre = H3Grid.CellToLatLng(c);
            Assert.True(Math.Abs(centre.Lng) >= 179.5 && Math.Abs(centre.Lat) <= 1, $"{c} centre {centre} outside");
        });
        // Cells from both hemispheres of longitude are present.
        Assert.Contains(cells, c => H3Grid.CellToLatLng(c).Lng > 0);
        Assert.Contains(cells, c => H3Grid.CellToLatLng(c).Lng < 0);
    }

    [Fact]
    public void PolygonToCells_rejects_bad_resolution()
    {
        var polygon = Factory.CreatePolygon([new(0, 0), new(1, 0), new(1, 1), new(0, 0)]);
        Assert.Equal("res", Assert.Throws<ArgumentOutOfRangeException>(() => H3Polygons.PolygonToCells(polygon, 16)).ParamName);
    }

    [Fact]
    public void CellsToMultiPolygon_matches_reference_outlines()
    {
        Assert.NotEmpty(H3Fixtures.MultiPolygons);
        foreach (var m in H3Fixtures.MultiPolygons)
        {
            var outline = H3Polygons.CellsToMultiPolygon(m.Cells.Select(c => H3Cell.Parse(c)));
            Assert.True(outline.IsValid);
            Assert.Equal(m.Polygons.Length, outline.NumGeometries);
            Assert.Equal(m.Polygons.Select(p => p.Length - 1).Order(), outline.Geometries.Cast<Polygon>().Select(p => p.NumInteriorRings).Order());

            var expected = m.Polygons.Sum(p => PlanarArea(p[0]) - p.Skip(1).Sum(PlanarArea));
            var perimeter = m.Polygons.Sum(p => p.Sum(Perimeter));
            Assert.True(Math.Abs(outline.Area - expected) <= 4e-9 * perimeter, $"area {outline.Area:R} vs {expected:R}");

            // Every reference vertex lies on our outline.
            foreach (var vertex in m.Polygons.SelectMany(p => p).SelectMany(l => l))
            {
                var distance = outline.Boundary.Distance(Factory.CreatePoint(new Coordinate(vertex[1], vertex[0])));
                Assert.True(distance <= 2e-9, $"vertex ({vertex[0]}, {vertex[1]}) is {distance} degrees off the outline");
            }
        }
    }

    [Fact]
    public void GeoJson_writes_cells_with_properties_as_closed_lng_lat_polygons()
    {
        var cell = H3Grid.LatLngToCell(37.7749, -122.4194, 9);
        var pentagon = H3Cell.Parse("8009fffffffffff");
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            H3GeoJson.WriteFeatureCollection(writer, [
                new H3CellFeature(cell, new Dictionary<string, object?> { ["score"] = 0.75, ["hotspots"] = 3, ["name"] = "sf", ["active"] = true, ["note"] = null }),
                new H3CellFeature(pentagon),
            ]);
        }

        using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray()));
        var features = doc.RootElement.GetProperty("features");
        Assert.Equal("FeatureCollection", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal(2, features.GetArrayLength());
        var first = features[0];
        Assert.Equal("89283082803ffff", first.GetProperty("properties").GetProperty("h3").GetString());
        Assert.Equal(0.75, first.GetProperty("properties").GetProperty("score").GetDouble());
        Assert.Equal(3, first.GetProperty("properties").GetProperty("hotspots").GetInt32());
        Assert.True(first.GetProperty("properties").GetProperty("active").GetBoolean());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("properties").GetProperty("note").ValueKind);
        var ring = first.GetProperty("geometry").GetProperty("coordinates")[0];
        Assert.Equal(7, ring.GetArrayLength());
        Assert.Equal(ring[0].ToString(), ring[6].ToString());
        var boundary = H3Grid.CellToBoundary(cell);
        Assert.Equal(boundary[0].Lng, ring[0][0].GetDouble());
        Assert.Equal(boundary[0].Lat, ring[0][1].GetDouble());
        Assert.Equal(6, features[1].GetProperty("geometry").GetProperty("coordinates")[0].GetArrayLength());
    }

    [Fact]
    public void GeoJson_rejects_unsupported_property_values_naming_the_property()
    {
        using var stream = new MemoryStream();
        using var writer = new Utf8JsonWriter(stream);
        var cell = H3Grid.LatLngToCell(0, 0, 3);
        var ex = Assert.Throws<ArgumentException>(() => H3GeoJson.WriteFeature(writer, new H3CellFeature(cell, new Dictionary<string, object?> { ["bad"] = double.NaN })));
        Assert.Contains("property 'bad'", ex.Message);
    }

    [Fact]
    public void GeoJson_outline_feature_orients_rings_per_rfc7946()
    {
        var ring = H3Grid.GridDisk(H3Grid.LatLngToCell(10, 10, 6), 2).Where(c => H3Grid.GridDistance(c, H3Grid.LatLngToCell(10, 10, 6)) == 2);
        var outline = H3Polygons.CellsToMultiPolygon(ring);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            H3GeoJson.WriteOutlineFeature(writer, outline, new Dictionary<string, object?> { ["cells"] = 12 });
        }

        using var doc = JsonDocument.Parse(stream.ToArray());
        var polygon = doc.RootElement.GetProperty("geometry").GetProperty("coordinates")[0];
        Assert.Equal(2, polygon.GetArrayLength()); // shell and one hole
        Coordinate[] Ring(JsonElement r) => r.EnumerateArray().Select(p => new Coordinate(p[0].GetDouble(), p[1].GetDouble())).ToArray();
        Assert.True(NetTopologySuite.Algorithm.Orientation.IsCCW(Ring(polygon[0])));
        Assert.False(NetTopologySuite.Algorithm.Orientation.IsCCW(Ring(polygon[1])));
    }

    private static double PlanarArea(double[][] loop)
    {
        double sum = 0;
        for (var i = 0; i < loop.Length; i++)
        {
            var a = loop[i];
            var b = loop[(i + 1) % loop.Length];
            sum += a[1] * b[0] - b[1] * a[0];
        }

        return Math.Abs(sum / 2);
    }

    private static double Perimeter(double[][] loop) =>
        loop.Select((a, i) => (a, b: loop[(i + 1) % loop.Length])).Sum(e => Math.Sqrt(Math.Pow(e.a[0] - e.b[0], 2) + Math.Pow(e.a[1] - e.b[1], 2)));
}
