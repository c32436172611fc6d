using DePin.Wireless.Devnet.Run;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.Devnet.Serving;

/// <summary>
/// A minimal Kestrel host on 127.0.0.1: the built map page from <c>AppContext.BaseDirectory/map</c> at <c>/</c>, and the
/// run's files at <c>/api/coverage</c>, <c>/api/hotspots</c>, <c>/api/witness-links</c> and <c>/api/epochs</c>
/// (the run is one epoch, 0), which is what the page asks for.
/// </summary>
public sealed class StaticFileMapHost : IDevnetMapHost
{
    public const string MapFolder = "map";

    private const string GeoJson = "application/geo+json";

    private WebApplication? _app;

    public async Task<Uri> StartAsync(string runDirectory, int port, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65_535);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(FormattableString.Invariant($"http://127.0.0.1:{port}"));
        var app = builder.Build();
        var full = Path.GetFullPath(runDirectory);
        MapFile(app, "/api/coverage", Path.Combine(full, RunOutputWriter.CoverageFile), GeoJson);
        MapFile(app, "/api/hotspots", Path.Combine(full, RunOutputWriter.HotspotsFile), GeoJson);
        MapFile(app, "/api/witness-links", Path.Combine(full, RunOutputWriter.LinksFile), GeoJson);
        MapFile(app, "/api/summary", Path.Combine(full, RunOutputWriter.SummaryFile), "application/json");
        var started = File.GetLastWriteTimeUtc(Path.Combine(full, RunOutputWriter.SummaryFile));
        app.MapGet("/api/epochs", () => Results.Json(new[] { new { epoch = 0, start = started.ToString("O", System.Globalization.CultureInfo.InvariantCulture) } }));

        var page = Path.Combine(AppContext.BaseDirectory, MapFolder);
        if (Directory.Exists(page))
        {
            var files = new PhysicalFileProvider(page);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }
        else
        {
            app.MapGet("/", () => Results.Text($"The map page was not built ({page} is missing; run scripts/build-web.sh). The data is at /api/coverage.", "text/plain"));
        }

        await app.StartAsync(cancellationToken);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static void MapFile(WebApplication app, string route, string path, string contentType) =>
        app.MapGet(route, () => File.Exists(path) ? Results.File(path, contentType) : Results.NotFound($"{Path.GetFileName(path)} not written"));
}
