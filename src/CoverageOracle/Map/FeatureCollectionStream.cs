using System.IO.Pipelines;
using System.Text.Json;

namespace DePin.Wireless.CoverageOracle.Map;

/// <summary>
/// Writes a FeatureCollection to a pipe, flushing every <see cref="FlushEvery"/> features so a large
/// epoch streams to the client instead of being buffered whole.
/// </summary>
public static class FeatureCollectionStream
{
    public const int FlushEvery = 256;

    public static async Task WriteAsync<T>(
        PipeWriter output, IEnumerable<T> items, Action<Utf8JsonWriter, T> writeFeature, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(writeFeature);
        await using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("type", "FeatureCollection");
        json.WriteStartArray("features");
        var written = 0;
        foreach (var item in items)
        {
            writeFeature(json, item);
            if (++written % FlushEvery == 0)
            {
                json.Flush();
                await output.FlushAsync(cancellationToken);
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        await output.FlushAsync(cancellationToken);
    }
}
