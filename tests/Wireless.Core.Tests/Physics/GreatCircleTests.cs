using DePin.Wireless.Core.Physics;

namespace DePin.Wireless.Core.Tests.Physics;

public class GreatCircleTests
{
    private const double SphericalMeanRadius = 6_371_000;

    // Worked example of C. Veness, "Calculate distance, bearing and more between Latitude/Longitude points"
    // (movable-type.co.uk): Land's End 50°03′59″N 005°42′53″W → John o' Groats 58°38′38″N 003°04′12″W,
    // 968.9 km with R = 6371 km, initial bearing 009°07′11″.
    private static readonly GeoPoint LandsEnd = new(50 + (3 / 60.0) + (59 / 3600.0), -(5 + (42 / 60.0) + (53 / 3600.0)));
    private static readonly GeoPoint JohnOGroats = new(58 + (38 / 60.0) + (38 / 3600.0), -(3 + (4 / 60.0) + (12 / 3600.0)));

    [Fact]
    public void Haversine_matches_a_published_distance()
    {
        Assert.Equal(968.9, Math.Round(GreatCircle.DistanceMeters(LandsEnd, JohnOGroats, SphericalMeanRadius) / 1000, 1));
    }

    [Fact]
    public void Default_radius_is_h3s_authalic_radius()
    {
        var quarterMeridian = GreatCircle.DistanceMeters(new GeoPoint(0, 0), new GeoPoint(90, 0));
        Assert.Equal(Math.PI / 2 * 6_371_007.180918475, quarterMeridian, 6);
        Assert.Equal(111_195.05, GreatCircle.DistanceMeters(new GeoPoint(0, 0), new GeoPoint(0, 1)), 2);
        Assert.Equal(0, GreatCircle.DistanceMeters(JohnOGroats, JohnOGroats));
        Assert.Equal(Math.PI * GreatCircle.H3EarthRadiusMeters, GreatCircle.DistanceMeters(new GeoPoint(0, 0), new GeoPoint(0, 180)), 6);
    }

    [Fact]
    public void Initial_bearing_matches_the_published_example()
    {
        var expected = 9 + (7 / 60.0) + (11 / 3600.0);
        Assert.Equal(expected, GreatCircle.InitialBearingDegrees(LandsEnd, JohnOGroats), 3);
        Assert.Equal(90, GreatCircle.InitialBearingDegrees(new GeoPoint(0, 0), new GeoPoint(0, 1)), 9);
        Assert.Equal(270, GreatCircle.InitialBearingDegrees(new GeoPoint(0, 1), new GeoPoint(0, 0)), 9);
        Assert.Equal(180, GreatCircle.InitialBearingDegrees(new GeoPoint(10, 5), new GeoPoint(-10, 5)), 9);
    }

    [Fact]
    public void Destination_matches_the_published_example()
    {
        // Same source: 53°19′14″N 001°43′47″W, bearing 096°01′18″, 124.8 km → 53°11′18″N 000°08′00″E.
        var start = new GeoPoint(53 + (19 / 60.0) + (14 / 3600.0), -(1 + (43 / 60.0) + (47 / 3600.0)));
        var end = GreatCircle.Destination(start, 96 + (1 / 60.0) + (18 / 3600.0), 124_800, SphericalMeanRadius);
        Assert.Equal(53 + (11 / 60.0) + (18 / 3600.0), end.LatitudeDegrees, 3);
        Assert.Equal(8 / 60.0, end.LongitudeDegrees, 3);
    }

    [Fact]
    public void Destination_inverts_distance_and_bearing()
    {
        var start = new GeoPoint(37.7749, -122.4194);
        var end = GreatCircle.Destination(start, 33, 12_345);
        Assert.Equal(12_345, GreatCircle.DistanceMeters(start, end), 6);
        Assert.Equal(33, GreatCircle.InitialBearingDegrees(start, end), 6);
        Assert.Equal(start, GreatCircle.Destination(start, 77, 0));

        // Crossing the antimeridian wraps longitude into −180..180.
        var east = GreatCircle.Destination(new GeoPoint(0, 179.9), 90, 50_000);
        Assert.InRange(east.LongitudeDegrees, -180, -179);
    }

    [Fact]
    public void Rejects_invalid_coordinates_and_negative_distance()
    {
        Assert.Contains("latitude", Assert.Throws<ArgumentOutOfRangeException>(() => new GeoPoint(91, 0)).Message, StringComparison.Ordinal);
        Assert.Contains("longitude", Assert.Throws<ArgumentOutOfRangeException>(() => new GeoPoint(0, -181)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GeoPoint(double.NaN, 0));
        Assert.Contains("distance", Assert.Throws<ArgumentOutOfRangeException>(() => GreatCircle.Destination(LandsEnd, 0, -1)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => GreatCircle.DistanceMeters(LandsEnd, JohnOGroats, 0));
    }
}
