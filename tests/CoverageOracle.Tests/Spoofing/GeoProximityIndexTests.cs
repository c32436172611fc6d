using DePin.Wireless.Core.Physics;
using DePin.Wireless.CoverageOracle.Spoofing;

namespace DePin.Wireless.CoverageOracle.Tests.Spoofing;

/// <summary>The proximity index answers exactly as a scan of every point with the same great-circle test.</summary>
public sealed class GeoProximityIndexTests
{
    [Theory]
    [InlineData(0.0, 0.0, 3.0, 50_000.0)] // mid-latitude spread, radius about the island reach
    [InlineData(0.0, 179.5, 1.0, 20_000.0)] // across the antimeridian
    [InlineData(89.5, 0.0, 2.0, 2_000.0)] // around the pole, where longitude bounds vanish
    [InlineData(52.3, 4.9, 0.3, 2_000.0)] // a city, small radius
    [InlineData(-45.0, -170.0, 40.0, 150_000.0)] // continental spread across the antimeridian
    public void Answers_equal_a_brute_force_scan(double centreLatitude, double centreLongitude, double spreadDegrees, double radiusMeters)
    {
        var random = new Random(7);
        GeoPoint Near() => new(
            Math.Clamp(centreLatitude + ((random.NextDouble() - 0.5) * 2 * spreadDegrees), -90, 90),
            Wrap(centreLongitude + ((random.NextDouble() - 0.5) * 2 * spreadDegrees)));
        var points = Enumerable.Range(0, 400).Select(_ => Near()).ToList();
        var index = new GeoProximityIndex(points, radiusMeters);
        var hits = 0;
        for (var q = 0; q < 2000; q++)
        {
            var query = Near();
            var expected = points.Any(p => GreatCircle.DistanceMeters(query, p) <= radiusMeters);
            Assert.Equal(expected, index.AnyWithin(query));
            hits += expected ? 1 : 0;
        }

        Assert.InRange(hits, 1, 1999); // both answers occur, so the comparison means something
    }

    [Fact]
    public void A_point_exactly_at_the_radius_counts_and_an_empty_index_has_none()
    {
        var origin = new GeoPoint(10, 20);
        var east = GreatCircle.Destination(origin, 90, 5_000);
        var distance = GreatCircle.DistanceMeters(origin, east);
        Assert.True(new GeoProximityIndex([east], distance).AnyWithin(origin));
        Assert.False(new GeoProximityIndex([east], distance * 0.999).AnyWithin(origin));
        Assert.False(new GeoProximityIndex([], 1_000).AnyWithin(origin));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GeoProximityIndex([], 0));
    }

    private static double Wrap(double longitude) => longitude > 180 ? longitude - 360 : longitude < -180 ? longitude + 360 : longitude;
}
