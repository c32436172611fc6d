using DePin.Wireless.Core.Physics;

namespace DePin.Wireless.Devnet.Medium;

/// <summary>
/// Uniform latitude/longitude grid for "which points lie within r metres of here". Cells are about
/// <c>cellSizeMeters</c> square at the reference latitude. A query visits the cells covering the exact bounding box of
/// the spherical cap (J. P. Matuschek, "Finding Points Within a Distance of a Latitude/Longitude Using Bounding
/// Coordinates", 2010: Δlat = r/R, Δlng = asin(sin(r/R)/cos(lat)), whole longitude range when the cap holds a pole),
/// then keeps the points whose haversine distance is ≤ r — so results equal a brute-force scan, across the
/// antimeridian and near the poles. Insertion is O(1); a query costs the points in the visited cells.
/// </summary>
public sealed class GeoGridIndex
{
    private readonly Dictionary<long, List<int>> cells = [];
    private readonly List<GeoPoint> positions = [];
    private readonly double cellLatitudeDegrees;
    private readonly double cellLongitudeDegrees;
    private readonly int rows;
    private readonly int columns;

    public GeoGridIndex(double cellSizeMeters, double referenceLatitudeDegrees = 0, double earthRadiusMeters = GreatCircle.H3EarthRadiusMeters)
    {
        if (!double.IsFinite(cellSizeMeters) || cellSizeMeters <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(cellSizeMeters), $"grid index: cell size {cellSizeMeters} m must be positive");
        }

        if (!double.IsFinite(referenceLatitudeDegrees) || referenceLatitudeDegrees is < -90 or > 90)
        {
            throw new ArgumentOutOfRangeException(nameof(referenceLatitudeDegrees), $"grid index: reference latitude {referenceLatitudeDegrees} is not within −90..90");
        }

        if (!double.IsFinite(earthRadiusMeters) || earthRadiusMeters <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(earthRadiusMeters), $"grid index: earth radius {earthRadiusMeters} m must be positive");
        }

        EarthRadiusMeters = earthRadiusMeters;
        CellSizeMeters = cellSizeMeters;
        cellLatitudeDegrees = Math.Min(180.0, cellSizeMeters / earthRadiusMeters * 180.0 / Math.PI);
        rows = Math.Max(1, (int)Math.Ceiling(180.0 / cellLatitudeDegrees));

        // Whole number of columns so wrapping at ±180° lands on real cell boundaries.
        var cosine = Math.Max(Math.Cos(referenceLatitudeDegrees * Math.PI / 180.0), 1e-6);
        var wanted = cellLatitudeDegrees / cosine;
        columns = Math.Max(1, (int)Math.Min(360.0 / wanted, 1 << 24));
        cellLongitudeDegrees = 360.0 / columns;
    }

    public double CellSizeMeters { get; }

    public double EarthRadiusMeters { get; }

    public int Count => positions.Count;

    public int CellCount => cells.Count;

    public GeoPoint PositionOf(int item) => positions[item];

    /// <summary>Adds a point; its item number is the insertion index (0, 1, 2, …), which is returned.</summary>
    public int Add(GeoPoint position)
    {
        var item = positions.Count;
        positions.Add(position);
        var key = KeyOf(RowOf(position.LatitudeDegrees), ColumnOf(position.LongitudeDegrees));
        if (!cells.TryGetValue(key, out var list))
        {
            list = [];
            cells[key] = list;
        }

        list.Add(item);
        return item;
    }

    /// <summary>Appends to <paramref name="results"/> every item within <paramref name="radiusMeters"/> (great-circle) of <paramref name="centre"/>, in cell order.</summary>
    public void Query(GeoPoint centre, double radiusMeters, List<int> results) => Query(centre, radiusMeters, results, null);

    /// <summary>As <see cref="Query(GeoPoint, double, List{int})"/>, also appending each item's distance in metres to <paramref name="distances"/>.</summary>
    public void Query(GeoPoint centre, double radiusMeters, List<int> results, List<double>? distances)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (double.IsNaN(radiusMeters) || radiusMeters < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(radiusMeters), $"grid index: radius {radiusMeters} m must be ≥ 0");
        }

        var angular = radiusMeters / EarthRadiusMeters;
        if (angular >= Math.PI)
        {
            QueryAllCells(centre, radiusMeters, results, distances);
            return;
        }

        // A hair of slack so rounding in the bounding box never loses a point exactly on the radius.
        var slackDegrees = 1e-9;
        var latitude = centre.LatitudeDegrees;
        var deltaLatitude = (angular * 180.0 / Math.PI) + slackDegrees;
        var minLatitude = latitude - deltaLatitude;
        var maxLatitude = latitude + deltaLatitude;
        var firstRow = RowOf(Math.Max(minLatitude, -90));
        var lastRow = RowOf(Math.Min(maxLatitude, 90));
        if (minLatitude <= -90 || maxLatitude >= 90)
        {
            VisitRows(firstRow, lastRow, 0, columns - 1, centre, radiusMeters, results, distances);
            return;
        }

        var cosLatitude = Math.Cos(latitude * Math.PI / 180.0);
        var sinRatio = Math.Sin(angular) / cosLatitude;
        if (sinRatio >= 1)
        {
            VisitRows(firstRow, lastRow, 0, columns - 1, centre, radiusMeters, results, distances);
            return;
        }

        var deltaLongitude = (Math.Asin(sinRatio) * 180.0 / Math.PI) + slackDegrees;
        var firstColumn = (int)Math.Floor((centre.LongitudeDegrees - deltaLongitude + 180.0) / cellLongitudeDegrees);
        var lastColumn = (int)Math.Floor((centre.LongitudeDegrees + deltaLongitude + 180.0) / cellLongitudeDegrees);
        if (lastColumn - firstColumn + 1 >= columns)
        {
            VisitRows(firstRow, lastRow, 0, columns - 1, centre, radiusMeters, results, distances);
            return;
        }

        VisitRows(firstRow, lastRow, firstColumn, lastColumn, centre, radiusMeters, results, distances);
    }

    /// <summary>Brute-force reference: every item within the radius, in insertion order.</summary>
    public void QueryBruteForce(GeoPoint centre, double radiusMeters, List<int> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        for (var i = 0; i < positions.Count; i++)
        {
            if (GreatCircle.DistanceMeters(centre, positions[i], EarthRadiusMeters) <= radiusMeters)
            {
                results.Add(i);
            }
        }
    }

    private void QueryAllCells(GeoPoint centre, double radiusMeters, List<int> results, List<double>? distances) =>
        VisitRows(0, rows - 1, 0, columns - 1, centre, radiusMeters, results, distances);

    private void VisitRows(int firstRow, int lastRow, int firstColumn, int lastColumn, GeoPoint centre, double radiusMeters, List<int> results, List<double>? distances)
    {
        for (var row = firstRow; row <= lastRow; row++)
        {
            for (var rawColumn = firstColumn; rawColumn <= lastColumn; rawColumn++)
            {
                var column = ((rawColumn % columns) + columns) % columns;
                if (!cells.TryGetValue(KeyOf(row, column), out var list))
                {
                    continue;
                }

                foreach (var item in list)
                {
                    var distance = GreatCircle.DistanceMeters(centre, positions[item], EarthRadiusMeters);
                    if (distance <= radiusMeters)
                    {
                        results.Add(item);
                        distances?.Add(distance);
                    }
                }
            }
        }
    }

    private int RowOf(double latitudeDegrees) =>
        Math.Clamp((int)Math.Floor((latitudeDegrees + 90.0) / cellLatitudeDegrees), 0, rows - 1);

    private int ColumnOf(double longitudeDegrees) =>
        Math.Clamp((int)Math.Floor((longitudeDegrees + 180.0) / cellLongitudeDegrees), 0, columns - 1);

    private long KeyOf(int row, int column) => ((long)row * columns) + column;
}
