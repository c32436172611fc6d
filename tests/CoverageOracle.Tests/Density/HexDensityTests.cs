using DePin.Wireless.Core.H3;
using DePin.Wireless.CoverageOracle.Adapters;
using DePin.Wireless.CoverageOracle.Density;

namespace DePin.Wireless.CoverageOracle.Tests.Density;

/// <summary>HIP-17 with HIP-104 parameters, against examples worked by hand on real H3 cells.</summary>
public class HexDensityTests
{
    private static readonly H3Cell Res7 = H3Grid.LatLngToCell(52.0, 5.0, 7);
    private readonly HexDensityCalculator _calculator = new(new H3HexHierarchy(), new HexDensityOptions());

    /// <summary>A res-12 location inside <paramref name="cell"/> (its first res-12 descendant).</summary>
    private static ulong Inside(H3Cell cell, int index = 0) => H3Grid.CellToChildren(cell, 12)[index].Value;

    [Fact]
    public void Lone_hotspot_keeps_full_scale()
    {
        var scales = _calculator.Compute(new Dictionary<string, ulong> { ["a"] = Inside(Res7) });
        Assert.Equal(1.0, scales["a"], 12);
    }

    [Fact]
    public void Three_hotspots_in_three_res9_cells_of_one_res8_cell_get_a_third_each()
    {
        // Res 10 and 9: each cell holds 1 (target = max = 1, factor 1). Res 8: unclipped 1 + 1 + 1 = 3, limit
        // min(1, 1 × (max(1 − 2, 0) + 1)) = 1, factor 1/3. Res 7..4 targets (5, 25, 100, 500) exceed 1: factor 1.
        var res9 = H3Grid.CellToChildren(H3Grid.CellToChildren(Res7, 8)[0], 9);
        var hotspots = new Dictionary<string, ulong> { ["a"] = Inside(res9[0]), ["b"] = Inside(res9[1]), ["c"] = Inside(res9[2]) };
        var scales = _calculator.Compute(hotspots);
        Assert.All(hotspots.Keys, id => Assert.Equal(1.0 / 3, scales[id], 12));
    }

    [Fact]
    public void Clipping_compounds_down_the_resolutions()
    {
        // b and c share a res-10 cell (res-12 descendants 0 and 5 of the same res-9 cell): res 10 clips 2 → 1,
        // factor 1/2. Res 9: their cell holds 1, a's cell holds 1. Res 8: 1 + 1 = 2 → 1, factor 1/2.
        // a = 1/2; b = c = 1/2 × 1/2 = 1/4; together they still earn one unit.
        var res9 = H3Grid.CellToChildren(H3Grid.CellToChildren(Res7, 8)[0], 9);
        var hotspots = new Dictionary<string, ulong> { ["a"] = Inside(res9[0]), ["b"] = Inside(res9[1]), ["c"] = Inside(res9[1], 5) };
        Assert.Equal(H3Grid.CellToParent(new H3Cell(hotspots["b"]), 10), H3Grid.CellToParent(new H3Cell(hotspots["c"]), 10));
        var scales = _calculator.Compute(hotspots);
        Assert.Equal(0.5, scales["a"], 12);
        Assert.Equal(0.25, scales["b"], 12);
        Assert.Equal(0.25, scales["c"], 12);
    }

    [Fact]
    public void Seven_res8_cells_in_one_res7_cell_are_clipped_to_the_target_of_5_without_dense_neighbours()
    {
        // Each res-8 child holds one hotspot (clipped value 1, factor 1). The res-7 cell sums to 7; only it
        // reaches the target of 5 in its disk, so occupied = 1 ≤ N = 4 and the limit is min(10, 5 × 1) = 5:
        // factor 5/7 for all seven.
        var hotspots = H3Grid.CellToChildren(Res7, 8).Select((c, i) => (Id: $"h{i}", Cell: Inside(c))).ToDictionary(x => x.Id, x => x.Cell);
        Assert.Equal(7, hotspots.Count);
        var scales = _calculator.Compute(hotspots);
        Assert.All(hotspots.Keys, id => Assert.Equal(5.0 / 7, scales[id], 12));
    }

    [Fact]
    public void Dense_neighbourhood_raises_the_res7_limit_by_the_neighbour_allowance()
    {
        // The centre res-7 cell again holds 7, and four of its neighbours hold 5 each (one hotspot in five res-8
        // children). The centre's disk then has 5 cells at or over the target: occupied = 5 > N = 4, so its limit
        // is min(10, 5 × (5 − 4 + 1)) = 10 ≥ 7 and its hotspots keep factor 1 at res 7. A neighbour sees at most
        // itself, the centre and two ring neighbours (≤ 4), so its limit is 5 = its value: factor 1.
        var hotspots = new Dictionary<string, ulong>();
        foreach (var (c, i) in H3Grid.CellToChildren(Res7, 8).Select((c, i) => (c, i)))
        {
            hotspots[$"centre{i}"] = Inside(c);
        }

        var neighbours = H3Grid.GridDisk(Res7, 1).Where(n => n != Res7).Take(4).ToArray();
        foreach (var (n, j) in neighbours.Select((n, j) => (n, j)))
        {
            foreach (var (c, i) in H3Grid.CellToChildren(n, 8).Take(5).Select((c, i) => (c, i)))
            {
                hotspots[$"n{j}_{i}"] = Inside(c);
            }
        }

        // Res 6 (target 25, max 50, N 4): the res-7 clipped values (7 and 5s) roll up into their res-6 parents; a
        // parent over 25 is clipped to 25 (no res-6 cell can have 5 dense neighbours with 27 hotspots in all).
        var res6Sum = new Dictionary<H3Cell, int>();
        foreach (var (cell, value) in neighbours.Select(n => (n, 5)).Append((Res7, 7)))
        {
            var p = H3Grid.CellToParent(cell, 6);
            res6Sum[p] = res6Sum.GetValueOrDefault(p) + value;
        }

        double Res6Factor(H3Cell res7) => Math.Min(25.0, res6Sum[H3Grid.CellToParent(res7, 6)]) / res6Sum[H3Grid.CellToParent(res7, 6)];

        var scales = _calculator.Compute(hotspots);
        Assert.Equal(27, hotspots.Count);
        Assert.Equal(Res6Factor(Res7), scales["centre0"], 12);
        Assert.Equal(Res6Factor(neighbours[0]), scales["n0_0"], 12);
        Assert.True(scales["centre0"] > 5.0 / 7); // better than alone: the neighbour allowance applied
    }

    [Fact]
    public void Inactive_hotspot_gets_the_default_scale()
    {
        var scales = _calculator.Compute(new Dictionary<string, ulong>());
        Assert.Equal(0.2, _calculator.ScaleOrDefault(scales, "absent"));
    }
}

public class H3HexHierarchyTests
{
    [Fact]
    public void Bitwise_parent_equals_H3Grid_parent_at_every_resolution()
    {
        var hierarchy = new H3HexHierarchy();
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
        {
            var cell = H3Grid.LatLngToCell((random.NextDouble() * 170) - 85, (random.NextDouble() * 360) - 180, 12);
            for (var r = 0; r <= 12; r++)
            {
                Assert.Equal(H3Grid.CellToParent(cell, r).Value, hierarchy.Parent(cell.Value, r));
            }
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => hierarchy.Parent(H3Grid.LatLngToCell(1, 1, 5).Value, 6));
    }
}
