using DePin.Wireless.Core.H3;
using DePin.Wireless.CoverageOracle.Adapters;
using DePin.Wireless.CoverageOracle.Density;

namespace DePin.Wireless.CoverageOracle.Tests.Density;

/// <summary>The sorted-array calculator gives exactly the reference (dictionary) calculator's scales.</summary>
public class HexDensityPropertyTests
{
    private readonly HexDensityCalculator _fast = new(new H3HexHierarchy(), new HexDensityOptions());
    private readonly ReferenceHexDensityCalculator _reference = new(new H3HexHierarchy(), new HexDensityOptions());

    /// <summary>
    /// Random hotspot sets from sparse to very dense (down to a few hundred metres square, where every level clips
    /// and neighbour allowances apply), including hotspots sharing a res-12 cell and several separate clusters.
    /// </summary>
    [Theory]
    [InlineData(1, 50, 2.0)]
    [InlineData(2, 3_000, 0.5)]
    [InlineData(3, 20_000, 0.3)]
    [InlineData(4, 40_000, 0.05)]
    [InlineData(5, 5_000, 0.005)]
    public void Fast_calculator_equals_the_reference_bit_for_bit(int seed, int count, double spanDegrees)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, 3).Select(_ => ((random.NextDouble() * 140) - 70, (random.NextDouble() * 340) - 170)).ToArray();
        var hotspots = new Dictionary<string, ulong>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var (lat, lng) = centres[i % centres.Length];
            var cell = H3Grid.LatLngToCell(lat + (random.NextDouble() * spanDegrees), lng + (random.NextDouble() * spanDegrees), 12).Value;
            hotspots[$"h{i}"] = cell;
            if (i % 97 == 0)
            {
                hotspots[$"twin{i}"] = cell;
            }
        }

        var expected = _reference.Compute(hotspots);
        var actual = _fast.Compute(hotspots);

        Assert.Equal(expected.Count, actual.Count);
        var clipped = 0;
        foreach (var (id, scale) in expected)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(scale), BitConverter.DoubleToInt64Bits(actual[id]));
            clipped += scale < 1 ? 1 : 0;
        }

        Assert.True(clipped > 0, "the sample must exercise clipping");
    }

    [Fact]
    public void Scales_come_back_in_input_order()
    {
        var cells = new[] { H3Grid.LatLngToCell(52, 5, 12).Value, H3Grid.LatLngToCell(10, 10, 12).Value, H3Grid.LatLngToCell(52, 5, 12).Value };
        var scales = _fast.ComputeScales(cells);
        Assert.Equal([0.5, 1.0, 0.5], scales);
    }

    [Fact]
    public void No_hotspots_give_no_scales()
    {
        Assert.Empty(_fast.Compute(new Dictionary<string, ulong>()));
    }
}
