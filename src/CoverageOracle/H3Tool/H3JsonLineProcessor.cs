using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DePin.Wireless.Core.H3;

namespace DePin.Wireless.CoverageOracle.H3Tool;

/// <summary>One parsed request line of the h3 tool.</summary>
public sealed record H3Query(double Lat, double Lng, int Res, H3Cell? Other);

/// <summary>
/// Answers JSON-lines H3 queries: each input line {"lat","lng","res","other"?} yields exactly one output
/// line, either the cell description or {"error": "..."} naming the field and the problem.
/// </summary>
public sealed class H3JsonLineProcessor
{
    // Output is consumed as data, not embedded in HTML: keep quotes and non-ASCII readable.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<int> ProcessAsync(TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        var lines = 0;
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            lines++;
            await output.WriteLineAsync(ProcessLine(line).AsMemory(), cancellationToken);
        }

        await output.FlushAsync(cancellationToken);
        return lines;
    }

    public string ProcessLine(string line)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            if (TryParse(line, out var query, out var error))
            {
                WriteAnswer(writer, query);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteString("error", error);
                writer.WriteEndObject();
            }
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static bool TryParse(string line, out H3Query query, out string error)
    {
        query = new H3Query(0, 0, 0, null);
        if (string.IsNullOrWhiteSpace(line))
        {
            error = "empty line: expected a JSON object {\"lat\",\"lng\",\"res\",\"other\"?}";
            return false;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            error = $"bad JSON: {e.Message}";
            return false;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"bad JSON: expected an object, got {root.ValueKind}";
                return false;
            }

            if (!TryNumber(root, "lat", out var lat, out error) || !TryNumber(root, "lng", out var lng, out error))
            {
                return false;
            }

            if (lat is < -90 or > 90)
            {
                error = $"field 'lat': {lat} is outside -90..90";
                return false;
            }

            if (!root.TryGetProperty("res", out var resElement) || resElement.ValueKind != JsonValueKind.Number || !resElement.TryGetInt32(out var res))
            {
                error = "field 'res': missing or not an integer";
                return false;
            }

            if (res is < 0 or > H3Grid.MaxResolution)
            {
                error = $"field 'res': {res} is outside 0..15";
                return false;
            }

            H3Cell? other = null;
            if (root.TryGetProperty("other", out var otherElement) && otherElement.ValueKind != JsonValueKind.Null)
            {
                if (otherElement.ValueKind != JsonValueKind.String)
                {
                    error = "field 'other': must be an H3 cell string";
                    return false;
                }

                if (!H3Cell.TryParse(otherElement.GetString(), out var parsed, out var cellError))
                {
                    error = $"field 'other': {cellError}";
                    return false;
                }

                other = parsed;
            }

            query = new H3Query(lat, lng, res, other);
            error = "";
            return true;
        }
    }

    private static bool TryNumber(JsonElement root, string name, out double value, out string error)
    {
        value = 0;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.Number)
        {
            error = $"field '{name}': missing or not a number";
            return false;
        }

        value = element.GetDouble();
        if (!double.IsFinite(value))
        {
            error = $"field '{name}': {value} is not finite";
            return false;
        }

        error = "";
        return true;
    }

    private static void WriteAnswer(Utf8JsonWriter w, H3Query q)
    {
        var cell = H3Grid.LatLngToCell(q.Lat, q.Lng, q.Res);
        w.WriteStartObject();
        w.WriteString("cell", cell.ToString());
        var center = H3Grid.CellToLatLng(cell);
        w.WriteStartArray("center");
        w.WriteNumberValue(center.Lat);
        w.WriteNumberValue(center.Lng);
        w.WriteEndArray();
        w.WriteStartArray("boundary");
        foreach (var p in H3Grid.CellToBoundary(cell))
        {
            w.WriteStartArray();
            w.WriteNumberValue(p.Lat);
            w.WriteNumberValue(p.Lng);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteBoolean("isPentagon", cell.IsPentagon);
        if (q.Res > 0)
        {
            w.WriteString("parent", H3Grid.CellToParent(cell, q.Res - 1).ToString());
        }

        if (q.Res <= 13)
        {
            WriteCells(w, "children", H3Grid.CellToChildren(cell, q.Res + 1));
        }

        WriteCells(w, "disk1", H3Grid.GridDisk(cell, 1));
        w.WriteNumber("disk2Count", H3Grid.GridDisk(cell, 2).Length);
        if (q.Other is { } other)
        {
            var distance = other.Resolution == cell.Resolution ? H3Grid.GridDistance(cell, other) : null;
            if (distance is { } d)
            {
                w.WriteNumber("distance", d);
            }
            else
            {
                w.WriteNull("distance");
                w.WriteString("distanceError", other.Resolution != cell.Resolution
                    ? $"field 'other': resolution {other.Resolution} differs from res {cell.Resolution}"
                    : "field 'other': grid distance undefined (cells too far apart or across pentagon distortion)");
            }
        }

        w.WriteEndObject();
    }

    private static void WriteCells(Utf8JsonWriter w, string name, H3Cell[] cells)
    {
        w.WriteStartArray(name);
        foreach (var c in cells)
        {
            w.WriteStringValue(c.ToString());
        }

        w.WriteEndArray();
    }
}
