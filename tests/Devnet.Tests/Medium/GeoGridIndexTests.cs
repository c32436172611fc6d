using DePin.Wireless.Core.Physics;
using DePin.Wireless.Devnet.Medium;

namespace DePin.Wireless.Devnet.Tests.Medium;

public sealed class GeoGridIndexTests
{
    public static TheoryData<double, double, double, double> Areas => new()
    {
        // centre lat, centre lng, spread (degrees), cell size (m)
        { 52.0, 5.0, 0.5, 5_000 },
        { -33.9, 151.2, 2.0, 20_000 },
        { 0.0, 179.9, 1.0, 10_000 },
        { 10.0, -179.95, 0.6, 3_000 },
        { 89.5, 0.0, 1.0, 10_000 },
        { -89.8, 40.0, 0.5, 2_000 },
        { 65.0, 25.0, 3.0, 50_000 },
    };

    [Theory]
    [MemberData(nameof(Areas))]
    public void Query_returns_exactly_the_brute_force_result(double latitude, double longitude, double spread, double cellSize)
    {
        var random = new Random(1234);
        var index = new GeoGridIndex(cellSize, latitude);
        for (var i = 0; i < 3_000; i++)
        {
            index.Add(RandomPoint(random, latitude, longitude, spread));
        }

        var grid = new List<int>();
        var brute = new List<int>();
        for (var q = 0; q < 200; q++)
        {
            var centre = RandomPoint(random, latitude, longitude, spread);
            var radius = random.NextDouble() < 0.1 ? 0 : Math.Pow(10, 2 + (random.NextDouble() * 3.5));
            grid.Clear();
            brute.Clear();
            index.Query(centre, radius, grid);
            index.QueryBruteForce(centre, radius, brute);
            grid.Sort();
            Assert.Equal(brute, grid);
        }
    }

    [Fact]
    public void Points_exactly_on_the_radius_and_at_the_centre_are_included()
    {
        var centre = new GeoPoint(40, -3);
        var index = new GeoGridIndex(1_000, 40);
        var onCircle = GreatCircle.Destination(centre, 77, 2_500);
        index.Add(onCircle);
        index.Add(centre);
        var results = new List<int>();

        index.Query(centre, GreatCircle.DistanceMeters(centre, onCircle), results);

        Assert.Equal([0, 1], results.Order().ToArray());
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        Assert.Equal("cellSizeMeters", Assert.Throws<ArgumentOutOfRangeException>(() => new GeoGridIndex(0)).ParamName);
        var index = new GeoGridIndex(1_000);
        Assert.Equal("radiusMeters", Assert.Throws<ArgumentOutOfRangeException>(() => index.Query(new GeoPoint(0, 0), -1, [])).ParamName);
    }

    private static GeoPoint RandomPoint(Random random, double latitude, double longitude, double spread)
    {
        var lat = Math.Clamp(latitude + ((random.NextDouble() - 0.5) * 2 * spread), -90, 90);
        var lng = longitude + ((random.NextDouble() - 0.5) * 2 * spread);
        lng = ((lng + 540) % 360) - 180;
        return new GeoPoint(lat, lng);
    }
}
