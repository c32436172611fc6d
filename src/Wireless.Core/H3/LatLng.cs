namespace DePin.Wireless.Core.H3;

/// <summary>A geographic position in degrees (WGS84 latitude/longitude, treated as a sphere by H3).</summary>
public readonly record struct LatLng(double Lat, double Lng)
{
    /// <summary>Degrees to radians the way the reference (h3-js) converts: (deg · π) / 180.</summary>
    internal static double ToRadians(double degrees) => degrees * Math.PI / 180;

    /// <summary>Radians to degrees the way the reference converts: (rad · 180) / π.</summary>
    internal static double ToDegrees(double radians) => radians * 180 / Math.PI;

    internal static LatLng FromVec3(Vec3 v) => new(ToDegrees(v.LatitudeRadians), ToDegrees(v.LongitudeRadians));

    public override string ToString() => FormattableString.Invariant($"({Lat}, {Lng})");
}
