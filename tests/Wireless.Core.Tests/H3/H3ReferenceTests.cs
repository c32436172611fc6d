using DePin.Wireless.Core.H3;

namespace DePin.Wireless.Core.Tests.H3;

/// <summary>Every function against the h3-js 4.5.0 reference fixtures: ids exactly, degrees within 1e-9, areas to relative 1e-9.</summary>
public sealed class H3ReferenceTests
{
    private const double DegreeTolerance = 1e-9;
    private const double RelativeAreaTolerance = 1e-9;

    [Fact]
    public void Fixtures_cover_every_resolution_and_all_special_regions()
    {
        var cases = H3Fixtures.Cases;
        Assert.True(cases.Count >= 10_000, $"only {cases.Count} cases");
        Assert.Equal(Enumerable.Range(0, 16), cases.Select(c => c.Res).Distinct().Order());
        Assert.Equal(["antimeridian", "pentagon-centre", "pentagon-near", "pole", "random"], cases.Select(c => c.Kind).Distinct().Order());
        Assert.Equal(12 * 16, cases.Count(c => c.IsPentagon && c.Kind == "pentagon-centre"));
    }

    [Fact]
    public void LatLngToCell_matches_reference() =>
        AssertAll(c => H3Grid.LatLngToCell(c.Lat, c.Lng, c.Res).ToString() == c.Cell, c => $"got {H3Grid.LatLngToCell(c.Lat, c.Lng, c.Res)}");

    [Fact]
    public void CellToLatLng_matches_reference() =>
        AssertAll(
            c =>
            {
                var p = H3Grid.CellToLatLng(H3Cell.Parse(c.Cell));
                return Near(p, c.Center);
            },
            c => $"got {H3Grid.CellToLatLng(H3Cell.Parse(c.Cell))}");

    [Fact]
    public void CellToBoundary_matches_reference_vertex_for_vertex() =>
        AssertAll(
            c =>
            {
                var b = H3Grid.CellToBoundary(H3Cell.Parse(c.Cell));
                return b.Length == c.Boundary.Length && b.Select((p, i) => Near(p, c.Boundary[i])).All(x => x);
            },
            c => $"got [{string.Join(", ", H3Grid.CellToBoundary(H3Cell.Parse(c.Cell)))}]");

    [Fact]
    public void Resolution_and_pentagon_flag_match_reference() =>
        AssertAll(c => H3Cell.Parse(c.Cell) is var cell && cell.Resolution == c.Resolution && cell.IsPentagon == c.IsPentagon && cell.IsValid, _ => "mismatch");

    [Fact]
    public void CellToParent_matches_reference() =>
        AssertAll(
            c => c.Res == 0 || (H3Grid.CellToParent(H3Cell.Parse(c.Cell), c.Res - 1).ToString() == c.Parent
                && (c.Parent2 is null || H3Grid.CellToParent(H3Cell.Parse(c.Cell), Math.Max(0, c.Res - 3)).ToString() == c.Parent2)),
            c => $"got {H3Grid.CellToParent(H3Cell.Parse(c.Cell), c.Res - 1)}");

    [Fact]
    public void CellToChildren_matches_reference_in_order() =>
        AssertAll(
            c => c.Children is null || H3Grid.CellToChildren(H3Cell.Parse(c.Cell), c.Res + 1).Select(x => x.ToString()).SequenceEqual(c.Children),
            c => $"got [{string.Join(",", H3Grid.CellToChildren(H3Cell.Parse(c.Cell), c.Res + 1))}]");

    [Fact]
    public void GridDisk_matches_reference_in_order() =>
        AssertAll(
            c => Disk(c.Cell, 1).SequenceEqual(c.Disk1) && Disk(c.Cell, 2).SequenceEqual(c.Disk2),
            c => $"got k1 [{string.Join(",", Disk(c.Cell, 1))}] k2 count {Disk(c.Cell, 2).Length}");

    [Fact]
    public void GridDisk_span_overload_matches_array_overload()
    {
        Span<H3Cell> buffer = stackalloc H3Cell[19];
        foreach (var c in H3Fixtures.Cases.Where((_, i) => i % 7 == 0))
        {
            var n = H3Grid.GridDisk(H3Cell.Parse(c.Cell), 2, buffer);
            Assert.Equal(c.Disk2, buffer[..n].ToArray().Select(x => x.ToString()));
        }
    }

    [Fact]
    public void GridDistance_matches_reference_including_failures() =>
        AssertAll(
            c => H3Grid.GridDistance(H3Cell.Parse(c.Cell), H3Cell.Parse(c.Other)) == c.Distance,
            c => $"got {H3Grid.GridDistance(H3Cell.Parse(c.Cell), H3Cell.Parse(c.Other))?.ToString() ?? "null"} expected {c.Distance?.ToString() ?? "null"}");

    /// <summary>
    /// Relative 1e-9, plus the rounding scale of the edge-term sum itself (8 ε Σ|edge term|): the sum
    /// cancels heavily for small cells and for cells touching a pole or the antimeridian, so last-bit
    /// differences between libms (the reference runs musl's in WebAssembly) are amplified there.
    /// For ordinary cells up to resolution 11 the extra term is far below 1e-9 relative.
    /// </summary>
    [Fact]
    public void CellAreaKm2_matches_reference() =>
        AssertAll(
            c =>
            {
                var tolerance = RelativeAreaTolerance * c.Area
                    + 8 * Math.Pow(2, -52) * EdgeTermMagnitude(c.Boundary) * H3Grid.EarthRadiusKm * H3Grid.EarthRadiusKm;
                return Math.Abs(H3Grid.CellAreaKm2(H3Cell.Parse(c.Cell)) - c.Area) <= tolerance;
            },
            c => $"got {H3Grid.CellAreaKm2(H3Cell.Parse(c.Cell)):R} expected {c.Area:R}");

    [Fact]
    public void CellAreaKm2_matches_reference_to_relative_1e9_for_ordinary_cells_up_to_res_11()
    {
        var ordinary = H3Fixtures.Cases.Where(c => c.Res <= 11 && Math.Abs(c.Lat) < 80 && Math.Abs(c.Lng) < 170).ToList();
        Assert.True(ordinary.Count > 4000);
        foreach (var c in ordinary)
        {
            var area = H3Grid.CellAreaKm2(H3Cell.Parse(c.Cell));
            Assert.True(Math.Abs(area - c.Area) <= RelativeAreaTolerance * c.Area, $"{c.Cell}: {area:R} vs {c.Area:R}");
        }
    }

    /// <summary>Σ |edge term| of the reference boundary (radians), the scale of the rounding error of its area sum.</summary>
    private static double EdgeTermMagnitude(double[][] boundary)
    {
        double total = 0;
        for (var i = 0; i < boundary.Length; i++)
        {
            var a = boundary[i];
            var b = boundary[(i + 1) % boundary.Length];
            var la = a[0] * Math.PI / 180 / 2 + Math.PI / 4;
            var lb = b[0] * Math.PI / 180 / 2 + Math.PI / 4;
            var d = (b[1] - a[1]) * Math.PI / 180;
            var sa = Math.Sin(la) * Math.Sin(lb);
            total += Math.Abs(2 * Math.Atan2(sa * Math.Sin(d), sa * Math.Cos(d) + Math.Cos(la) * Math.Cos(lb))) + Math.Abs(d);
        }

        return total;
    }

    private static string[] Disk(string cell, int k) => H3Grid.GridDisk(H3Cell.Parse(cell), k).Select(x => x.ToString()).ToArray();

    /// <summary>
    /// Within 1e-9 degrees of arc on the sphere (chord between unit vectors). Plain Δlat/Δlng would be
    /// meaningless near a pole, where a last-bit libm difference in x/y/z swings the longitude (and, via
    /// asin near 1, the latitude) far while the point itself moves by ~1e-16 radians. The reference takes
    /// latitude as asin(z), whose last-bit uncertainty is ε / cos(lat) radians, so that is added.
    /// </summary>
    private static bool Near(LatLng actual, double[] expected)
    {
        static (double X, double Y, double Z) Unit(double lat, double lng)
        {
            var φ = lat * Math.PI / 180;
            var λ = lng * Math.PI / 180;
            return (Math.Cos(φ) * Math.Cos(λ), Math.Cos(φ) * Math.Sin(λ), Math.Sin(φ));
        }

        var u = Unit(actual.Lat, actual.Lng);
        var v = Unit(expected[0], expected[1]);
        var chord = Math.Sqrt((u.X - v.X) * (u.X - v.X) + (u.Y - v.Y) * (u.Y - v.Y) + (u.Z - v.Z) * (u.Z - v.Z));
        return chord <= DegreeTolerance * Math.PI / 180 + 4 * Math.Pow(2, -52) / Math.Cos(expected[0] * Math.PI / 180);
    }

    private static void AssertAll(Func<H3Case, bool> check, Func<H3Case, string> describe)
    {
        var failures = new List<string>();
        var total = 0;
        foreach (var c in H3Fixtures.Cases)
        {
            total++;
            bool ok;
            string detail;
            try
            {
                ok = check(c);
                detail = ok ? "" : describe(c);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException or FormatException)
            {
                ok = false;
                detail = e.GetType().Name + ": " + e.Message;
            }

            if (!ok)
            {
                failures.Add($"{c.Kind} ({c.Lat:R}, {c.Lng:R}) res {c.Res} cell {c.Cell}: {detail}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count}/{total} cases failed:\n{string.Join("\n", failures.Take(15))}");
    }
}
