using DePin.Wireless.Core.Physics;

namespace DePin.Wireless.CoverageOracle.Spoofing;

/// <summary>
/// Answers "is any of these points within <c>radius</c> metres (great circle) of p?" without comparing p with every
/// point: points are bucketed in latitude bands one radius high and sorted by longitude within a band, so a query reads
/// three bands and, in each, only the longitudes that can be near enough. The prefilter is exact, not heuristic: by the
/// haversine formula hav(d/R) = hav(Δφ) + cos φ₁ cos φ₂ hav(Δλ), a point within d has |Δφ| ≤ d/R and
/// hav(Δλ) ≤ hav(d/R) / (cos φ₁ cos φ₂); candidates then get the same <see cref="GreatCircle.DistanceMeters"/> test a
/// linear scan would apply. With 100 000 hotspots the witness-graph island check went from a scan of every mesh hotspot
/// per island member (quadratic) to a few comparisons.
/// </summary>
public sealed class GeoProximityIndex
{
    // Widen every bound by a hair so floating-point rounding can never drop a point the exact test accepts.
    private const double Slack = 1e-9;

    private readonly double _radiusMeters;
    private readonly double _bandRadians;
    private readonly Dictionary<long, Band> _bands = [];

    public GeoProximityIndex(IEnumerable<GeoPoint> points, double radiusMeters)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (!(radiusMeters > 0) || double.IsInfinity(radiusMeters))
        {
            throw new ArgumentOutOfRangeException(nameof(radiusMeters), radiusMeters, "radius must be positive and finite");
        }

        _radiusMeters = radiusMeters;
        _bandRadians = Math.Min(radiusMeters / GreatCircle.H3EarthRadiusMeters, Math.PI);
        var grouped = new Dictionary<long, List<(double Longitude, GeoPoint Point)>>();
        foreach (var point in points)
        {
            var band = BandOf(point.LatitudeDegrees);
            if (!grouped.TryGetValue(band, out var list))
            {
                grouped[band] = list = [];
            }

            list.Add((ToRadians(point.LongitudeDegrees), point));
        }

        foreach (var (band, list) in grouped)
        {
            list.Sort((a, b) => a.Longitude.CompareTo(b.Longitude));
            _bands[band] = new Band([.. list.Select(e => e.Longitude)], [.. list.Select(e => e.Point)]);
        }
    }

    /// <summary>Whether some indexed point lies within the radius of <paramref name="query"/>.</summary>
    public bool AnyWithin(GeoPoint query)
    {
        var latitude = ToRadians(query.LatitudeDegrees);
        var longitude = ToRadians(query.LongitudeDegrees);
        var own = BandOf(query.LatitudeDegrees);
        var halfAngle = _radiusMeters / GreatCircle.H3EarthRadiusMeters / 2;
        var havRadius = Math.Sin(halfAngle) * Math.Sin(halfAngle);
        for (var band = own - 1; band <= own + 1; band++)
        {
            if (!_bands.TryGetValue(band, out var entries))
            {
                continue;
            }

            // The widest longitude gap the haversine bound allows between the query and any point of this band.
            var bandMaxAbsLatitude = Math.Max(Math.Abs(band * _bandRadians), Math.Abs((band + 1) * _bandRadians));
            var maxAbsLatitude = Math.Min(Math.Max(Math.Abs(latitude), bandMaxAbsLatitude) + Slack, Math.PI / 2);
            var cosine = Math.Cos(maxAbsLatitude);
            var ratio = cosine <= 0 ? double.PositiveInfinity : havRadius / (cosine * cosine);
            if (ratio >= 1)
            {
                if (Scan(entries, 0, entries.Longitudes.Length, query))
                {
                    return true;
                }

                continue;
            }

            var maxGap = (2 * Math.Asin(Math.Sqrt(ratio))) + Slack;
            if (ScanLongitudes(entries, longitude - maxGap, longitude + maxGap, query))
            {
                return true;
            }
        }

        return false;
    }

    private static double ToRadians(double degrees) => degrees * Math.PI / 180;

    private long BandOf(double latitudeDegrees) => (long)Math.Floor(ToRadians(latitudeDegrees) / _bandRadians);

    /// <summary>Longitudes in [from, to] (radians, possibly beyond ±π: the range wraps around the antimeridian).</summary>
    private bool ScanLongitudes(Band entries, double from, double to, GeoPoint query)
    {
        if (to - from >= 2 * Math.PI)
        {
            return Scan(entries, 0, entries.Longitudes.Length, query);
        }

        if (from < -Math.PI)
        {
            return ScanRange(entries, from + (2 * Math.PI), Math.PI, query) || ScanRange(entries, -Math.PI, to, query);
        }

        if (to > Math.PI)
        {
            return ScanRange(entries, from, Math.PI, query) || ScanRange(entries, -Math.PI, to - (2 * Math.PI), query);
        }

        return ScanRange(entries, from, to, query);
    }

    private bool ScanRange(Band entries, double from, double to, GeoPoint query)
    {
        var start = LowerBound(entries.Longitudes, from);
        var end = LowerBound(entries.Longitudes, Math.BitIncrement(to));
        return Scan(entries, start, end, query);
    }

    private bool Scan(Band entries, int start, int end, GeoPoint query)
    {
        for (var i = start; i < end; i++)
        {
            if (GreatCircle.DistanceMeters(query, entries.Points[i]) <= _radiusMeters)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>First index whose value is ≥ <paramref name="value"/>.</summary>
    private static int LowerBound(double[] sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (sorted[mid] < value)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private sealed record Band(double[] Longitudes, GeoPoint[] Points);
}
