namespace DePin.Wireless.Core.H3;

/// <summary>
/// Area of a spherical polygon loop (unit sphere, steradians) as a sum of per-edge terms of Cagnoli's
/// formula, accumulated with Kahan compensation; clockwise loops are normalised into [0, 4π].
/// </summary>
internal static class SphericalArea
{
    public static double LoopRadians2(ReadOnlySpan<Vec3> loop)
    {
        double sum = 0, compensation = 0;
        for (var i = 0; i < loop.Length; i++)
        {
            var a = loop[i];
            var b = loop[(i + 1) % loop.Length];
            Add(ref sum, ref compensation, EdgeTerm(a.LatitudeRadians, a.LongitudeRadians, b.LatitudeRadians, b.LongitudeRadians));
        }

        if (sum < 0.0)
        {
            Add(ref sum, ref compensation, 4.0 * Math.PI);
        }

        return sum;
    }

    /// <summary>Signed area between the edge x→y and the south pole, via half co-latitude angles.</summary>
    private static double EdgeTerm(double latX, double lngX, double latY, double lngY)
    {
        latX = latX / 2.0 + Math.PI / 4.0;
        latY = latY / 2.0 + Math.PI / 4.0;
        var sa = Math.Sin(latX) * Math.Sin(latY);
        var ca = Math.Cos(latX) * Math.Cos(latY);
        var d = lngY - lngX;
        return -2.0 * Math.Atan2(sa * Math.Sin(d), sa * Math.Cos(d) + ca);
    }

    private static void Add(ref double sum, ref double compensation, double x)
    {
        var y = x - compensation;
        var t = sum + y;
        compensation = (t - sum) - y;
        sum = t;
    }
}
