using System.Globalization;

namespace DePin.Wireless.Core.Physics;

/// <summary>A point on the Earth's surface in WGS84 degrees (latitude −90..90, longitude −180..180).</summary>
public readonly record struct GeoPoint
{
    public GeoPoint(double latitudeDegrees, double longitudeDegrees)
    {
        if (!double.IsFinite(latitudeDegrees) || latitudeDegrees is < -90 or > 90)
        {
            throw new ArgumentOutOfRangeException(nameof(latitudeDegrees), $"latitude: {latitudeDegrees.ToString(CultureInfo.InvariantCulture)} is not within −90..90 degrees");
        }

        if (!double.IsFinite(longitudeDegrees) || longitudeDegrees is < -180 or > 180)
        {
            throw new ArgumentOutOfRangeException(nameof(longitudeDegrees), $"longitude: {longitudeDegrees.ToString(CultureInfo.InvariantCulture)} is not within −180..180 degrees");
        }

        LatitudeDegrees = latitudeDegrees;
        LongitudeDegrees = longitudeDegrees;
    }

    public double LatitudeDegrees { get; }

    public double LongitudeDegrees { get; }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{LatitudeDegrees:0.######},{LongitudeDegrees:0.######}");
}

/// <summary>
/// Great-circle geometry on a spherical Earth (haversine distance, initial bearing, destination point;
/// formulas as in Sinnott, "Virtues of the Haversine", Sky &amp; Telescope 68(2), 1984, and the Aviation Formulary).
/// </summary>
public static class GreatCircle
{
    /// <summary>
    /// H3's Earth radius, the WGS84 authalic (equal-area) sphere: 6371.007180918475 km
    /// (uber/h3 <c>src/h3lib/include/constants.h</c>, <c>EARTH_RADIUS_KM</c>). Used by default so our distances
    /// agree with H3's <c>greatCircleDistanceM</c>.
    /// </summary>
    public const double H3EarthRadiusMeters = 6_371_007.180918475;

    /// <summary>IUGG mean Earth radius R1 = (2a + b)/3 = 6,371,008.8 m (Moritz, "Geodetic Reference System 1980").</summary>
    public const double IuggMeanEarthRadiusMeters = 6_371_008.8;

    /// <summary>Haversine great-circle distance in metres.</summary>
    public static double DistanceMeters(GeoPoint from, GeoPoint to, double earthRadiusMeters = H3EarthRadiusMeters)
    {
        RequireRadius(earthRadiusMeters);
        var phi1 = ToRadians(from.LatitudeDegrees);
        var phi2 = ToRadians(to.LatitudeDegrees);
        var dPhi = phi2 - phi1;
        var dLambda = ToRadians(to.LongitudeDegrees - from.LongitudeDegrees);
        var sinHalfDPhi = Math.Sin(dPhi / 2);
        var sinHalfDLambda = Math.Sin(dLambda / 2);
        var a = (sinHalfDPhi * sinHalfDPhi) + (Math.Cos(phi1) * Math.Cos(phi2) * sinHalfDLambda * sinHalfDLambda);

        // Clamp: rounding can push a a hair above 1 for antipodal points.
        var c = 2 * Math.Asin(Math.Sqrt(Math.Min(1.0, a)));
        return earthRadiusMeters * c;
    }

    /// <summary>Initial bearing (forward azimuth) from <paramref name="from"/> towards <paramref name="to"/>, degrees clockwise from true north, 0..360.</summary>
    public static double InitialBearingDegrees(GeoPoint from, GeoPoint to)
    {
        var phi1 = ToRadians(from.LatitudeDegrees);
        var phi2 = ToRadians(to.LatitudeDegrees);
        var dLambda = ToRadians(to.LongitudeDegrees - from.LongitudeDegrees);
        var y = Math.Sin(dLambda) * Math.Cos(phi2);
        var x = (Math.Cos(phi1) * Math.Sin(phi2)) - (Math.Sin(phi1) * Math.Cos(phi2) * Math.Cos(dLambda));
        return NormalizeDegrees(ToDegrees(Math.Atan2(y, x)));
    }

    /// <summary>The point reached by travelling <paramref name="distanceMeters"/> along a great circle starting at <paramref name="bearingDegrees"/>.</summary>
    public static GeoPoint Destination(GeoPoint start, double bearingDegrees, double distanceMeters, double earthRadiusMeters = H3EarthRadiusMeters)
    {
        if (!double.IsFinite(bearingDegrees))
        {
            throw new ArgumentOutOfRangeException(nameof(bearingDegrees), $"bearing: {bearingDegrees} is not a finite number of degrees");
        }

        if (!double.IsFinite(distanceMeters) || distanceMeters < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(distanceMeters), $"distance: {distanceMeters} m must be finite and not negative");
        }

        RequireRadius(earthRadiusMeters);
        var delta = distanceMeters / earthRadiusMeters;
        var theta = ToRadians(bearingDegrees);
        var phi1 = ToRadians(start.LatitudeDegrees);
        var lambda1 = ToRadians(start.LongitudeDegrees);
        var sinPhi2 = (Math.Sin(phi1) * Math.Cos(delta)) + (Math.Cos(phi1) * Math.Sin(delta) * Math.Cos(theta));
        var phi2 = Math.Asin(Math.Clamp(sinPhi2, -1.0, 1.0));
        var lambda2 = lambda1 + Math.Atan2(Math.Sin(theta) * Math.Sin(delta) * Math.Cos(phi1), Math.Cos(delta) - (Math.Sin(phi1) * sinPhi2));
        var longitude = ((ToDegrees(lambda2) + 540) % 360) - 180;
        return new GeoPoint(Math.Clamp(ToDegrees(phi2), -90, 90), longitude);
    }

    private static double ToRadians(double degrees) => degrees * Math.PI / 180.0;

    private static double ToDegrees(double radians) => radians * 180.0 / Math.PI;

    private static double NormalizeDegrees(double degrees) => ((degrees % 360) + 360) % 360;

    private static void RequireRadius(double earthRadiusMeters)
    {
        if (!double.IsFinite(earthRadiusMeters) || earthRadiusMeters <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(earthRadiusMeters), $"earth radius: {earthRadiusMeters} m must be positive");
        }
    }
}
