using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DePin.Wireless.CoverageOracle.Map;

/// <summary>
/// The map's HTTP surface: JSON under /api (epochs, coverage cells, hotspots, witness links), /healthz,
/// and the built page at "/" (see web/README.md for the contract the page relies on).
/// </summary>
public static class CoverageMapEndpoints
{
    private const string GeoJsonType = "application/geo+json"; // RFC 7946 §12
    private const string JsonType = "application/json";

    public static void Map(IEndpointRouteBuilder app, ICoverageSource source, string staticRoot)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(staticRoot);

        app.MapGet("/api/epochs", (HttpContext context) => WriteEpochsAsync(context, source));
        app.MapGet("/api/coverage", (HttpContext context) =>
            WriteCollectionAsync(context, source, s => s.Cells, CoverageGeoJson.WriteCellFeature));
        app.MapGet("/api/hotspots", (HttpContext context) =>
            WriteCollectionAsync(context, source, s => s.Hotspots, CoverageGeoJson.WriteHotspotFeature));
        app.MapGet("/api/witness-links", (HttpContext context) =>
            WriteCollectionAsync(context, source, s => s.Links, CoverageGeoJson.WriteLinkFeature));
        app.MapGet("/api/{**rest}", (HttpContext context, string rest) =>
            WriteErrorAsync(context, 404, $"no API route 'api/{rest}': use api/epochs, api/coverage, api/hotspots or api/witness-links"));

        var page = new StaticPage(staticRoot);
        app.MapGet("/", page.ServeAsync);
        app.MapGet("/{**path}", page.ServeAsync);
    }

    private static async Task WriteEpochsAsync(HttpContext context, ICoverageSource source)
    {
        var epochs = source.Epochs();
        context.Response.StatusCode = 200;
        context.Response.ContentType = JsonType;
        await using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            CoverageGeoJson.WriteEpochs(json, epochs);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private static async Task WriteCollectionAsync<T>(
        HttpContext context, ICoverageSource source, Func<EpochSnapshot, IReadOnlyList<T>> items, Action<Utf8JsonWriter, T> writeFeature)
    {
        var values = context.Request.Query["epoch"];
        if (values.Count > 1)
        {
            await WriteErrorAsync(context, 400, "epoch: given more than once");
            return;
        }

        var selection = EpochSelector.Select(source, values.Count == 1 ? values[0] : null);
        if (selection.Snapshot is null)
        {
            await WriteErrorAsync(context, selection.StatusCode, selection.Error!);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = GeoJsonType;
        context.Response.Headers["X-Epoch"] = selection.Snapshot.Info.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await FeatureCollectionStream.WriteAsync(context.Response.BodyWriter, items(selection.Snapshot), writeFeature, context.RequestAborted);
    }

    internal static async Task WriteErrorAsync(HttpContext context, int statusCode, string message)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = JsonType;
        await using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            CoverageGeoJson.WriteError(json, message);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    internal static Task WriteTextAsync(HttpContext context, int statusCode, string text)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text + "\n", context.RequestAborted);
    }
}
