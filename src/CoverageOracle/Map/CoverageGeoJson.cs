using System.Globalization;
using System.Text.Json;
using DePin.Wireless.Core.H3;

namespace DePin.Wireless.CoverageOracle.Map;

/// <summary>
/// The map's JSON documents, one feature at a time: cells as H3 polygons (through <see cref="H3GeoJson"/>),
/// hotspots as points and witness links as lines between cell centres, all RFC 7946 [lng, lat].
/// </summary>
public static class CoverageGeoJson
{
    public static void WriteEpochs(Utf8JsonWriter writer, IEnumerable<EpochInfo> epochs)
    {
        writer.WriteStartArray();
        foreach (var e in epochs)
        {
            writer.WriteStartObject();
            writer.WriteNumber("epoch", e.Epoch);
            writer.WriteString("start", e.Start.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteString("end", e.End.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>A cell polygon with "score" (0..1) and "hotspots" besides H3GeoJson's "h3" and "resolution".</summary>
    public static void WriteCellFeature(Utf8JsonWriter writer, CellCoverage cell) =>
        H3GeoJson.WriteFeature(writer, new H3CellFeature(cell.Cell, new Dictionary<string, object?>
        {
            ["score"] = cell.Score,
            ["hotspots"] = cell.Hotspots,
        }));

    /// <summary>A point at the hotspot's cell centre; the reward is text because base units exceed a double's precision.</summary>
    public static void WriteHotspotFeature(Utf8JsonWriter writer, HotspotSummary hotspot)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        writer.WriteString("id", hotspot.Address);
        writer.WriteStartObject("geometry");
        writer.WriteString("type", "Point");
        writer.WritePropertyName("coordinates");
        WriteCentre(writer, hotspot.Cell);
        writer.WriteEndObject();
        writer.WriteStartObject("properties");
        writer.WriteString("address", hotspot.Address);
        writer.WriteString("cell", hotspot.Cell.ToString());
        writer.WriteString("reward", hotspot.Reward.ToString(CultureInfo.InvariantCulture));
        writer.WriteString("status", hotspot.Penalised ? "penalised" : "valid");
        writer.WriteStartArray("reasons");
        foreach (var reason in hotspot.Reasons)
        {
            writer.WriteStringValue(reason);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>A line from the beaconer's cell centre to the witness's cell centre.</summary>
    public static void WriteLinkFeature(Utf8JsonWriter writer, WitnessLink link)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        writer.WriteStartObject("geometry");
        writer.WriteString("type", "LineString");
        writer.WriteStartArray("coordinates");
        WriteCentre(writer, link.BeaconerCell);
        WriteCentre(writer, link.WitnessCell);
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartObject("properties");
        writer.WriteString("beaconer", link.Beaconer);
        writer.WriteString("witness", link.Witness);
        writer.WriteNumber("rssi", link.Rssi);
        writer.WriteNumber("snr", link.Snr);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static void WriteError(Utf8JsonWriter writer, string message)
    {
        writer.WriteStartObject();
        writer.WriteString("error", message);
        writer.WriteEndObject();
    }

    private static void WriteCentre(Utf8JsonWriter writer, H3Cell cell)
    {
        var centre = H3Grid.CellToLatLng(cell);
        writer.WriteStartArray();
        writer.WriteNumberValue(centre.Lng);
        writer.WriteNumberValue(centre.Lat);
        writer.WriteEndArray();
    }
}
