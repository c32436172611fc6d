namespace DePin.Wireless.Core.H3;

/// <summary>A point or direction in 3D; points on the unit sphere stand for geographic positions.</summary>
internal readonly record struct Vec3(double X, double Y, double Z)
{
    public static Vec3 FromLatLngRadians(double lat, double lng)
    {
        var (sinLat, cosLat) = Math.SinCos(lat);
        var (sinLng, cosLng) = Math.SinCos(lng);
        return new Vec3(cosLng * cosLat, sinLng * cosLat, sinLat);
    }

    public double LatitudeRadians => Math.Asin(Z);

    public double LongitudeRadians => Math.Atan2(Y, X);

    public static Vec3 Combine(double a, Vec3 u, double b, Vec3 v) =>
        new(a * u.X + b * v.X, a * u.Y + b * v.Y, a * u.Z + b * v.Z);

    public static Vec3 Cross(Vec3 u, Vec3 v) =>
        new(u.Y * v.Z - u.Z * v.Y, u.Z * v.X - u.X * v.Z, u.X * v.Y - u.Y * v.X);

    public static double Dot(Vec3 u, Vec3 v) => u.X * v.X + u.Y * v.Y + u.Z * v.Z;

    public static double DistanceSquared(Vec3 u, Vec3 v)
    {
        var d = Combine(1.0, u, -1.0, v);
        return Dot(d, d);
    }

    public Vec3 Normalized()
    {
        var norm = Math.Sqrt(Dot(this, this));
        var s = norm > 0.0 ? 1.0 / norm : 0.0;
        return new Vec3(X * s, Y * s, Z * s);
    }
}
