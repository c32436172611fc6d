using System.Text.Json;
using NetTopologySuite.Geometries;

namespace DePin.Wireless.Core.H3;

/// <summary>A cell and the properties to publish with it.</summary>
public sealed record H3CellFeature(H3Cell Cell, IReadOnlyDictionary<string, object?>? Properties = null);

/// <summary>
/// Writes cell sets as RFC 7946 GeoJSON: one Polygon feature per cell ([lng, lat] positions, closed,
/// counter-clockwise) with an "h3" property plus the caller's properties; or a dissolved outline.
/// </summary>
public static class H3GeoJson
{
    public static void WriteFeatureCollection(Utf8JsonWriter writer, IEnumerable<H3CellFeature> features)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(features);
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteStartArray("features");
        foreach (var feature in features)
        {
            WriteFeature(writer, feature);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteFeature(Utf8JsonWriter writer, H3CellFeature feature)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        writer.WriteString("id", feature.Cell.ToString());
        writer.WriteStartObject("geometry");
        writer.WriteString("type", "Polygon");
        writer.WriteStartArray("coordinates");
        Span<LatLng> boundary = stackalloc LatLng[10];
        var n = H3Grid.CellToBoundary(feature.Cell, boundary);
        writer.WriteStartArray();
        for (var i = 0; i <= n; i++)
        {
            WritePosition(writer, boundary[i % n].Lng, boundary[i % n].Lat);
        }

        writer.WriteEndArray();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartObject("properties");
        writer.WriteString("h3", feature.Cell.ToString());
        writer.WriteNumber("resolution", feature.Cell.Resolution);
        foreach (var (name, value) in feature.Properties ?? new Dictionary<string, object?>())
        {
            if (name is "h3" or "resolution")
            {
                throw new ArgumentException($"property '{name}' is reserved for the cell itself", nameof(feature));
            }

            WriteProperty(writer, name, value);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>A single feature whose geometry is a dissolved outline (e.g. from <see cref="H3Polygons.CellsToMultiPolygon"/>).</summary>
    public static void WriteOutlineFeature(Utf8JsonWriter writer, MultiPolygon outline, IReadOnlyDictionary<string, object?>? properties = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(outline);
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        writer.WriteStartObject("geometry");
        writer.WriteString("type", "MultiPolygon");
        writer.WriteStartArray("coordinates");
        foreach (var polygon in outline.Geometries.Cast<Polygon>())
        {
            writer.WriteStartArray();
            WriteRing(writer, polygon.Shell, counterClockwise: true);
            foreach (var hole in polygon.Holes)
            {
                WriteRing(writer, hole, counterClockwise: false);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartObject("properties");
        foreach (var (name, value) in properties ?? new Dictionary<string, object?>())
        {
            WriteProperty(writer, name, value);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteRing(Utf8JsonWriter writer, LineString ring, bool counterClockwise)
    {
        var coordinates = ring.Coordinates;
        // RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise.
        if (NetTopologySuite.Algorithm.Orientation.IsCCW(coordinates) != counterClockwise)
        {
            coordinates = coordinates.Reverse().ToArray();
        }

        writer.WriteStartArray();
        foreach (var c in coordinates)
        {
            WritePosition(writer, c.X, c.Y);
        }

        writer.WriteEndArray();
    }

    private static void WritePosition(Utf8JsonWriter writer, double lng, double lat)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(lng);
        writer.WriteNumberValue(lat);
        writer.WriteEndArray();
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNull(name);
                break;
            case string s:
                writer.WriteString(name, s);
                break;
            case bool b:
                writer.WriteBoolean(name, b);
                break;
            case int i:
                writer.WriteNumber(name, i);
                break;
            case long l:
                writer.WriteNumber(name, l);
                break;
            case decimal m:
                writer.WriteNumber(name, m);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumber(name, d);
                break;
            case float f when float.IsFinite(f):
                writer.WriteNumber(name, f);
                break;
            case H3Cell cell:
                writer.WriteString(name, cell.ToString());
                break;
            default:
                throw new ArgumentException($"property '{name}': value {value} of type {value.GetType().Name} is not a string, boolean, finite number or null");
        }
    }
}
