using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.CoverageOracle.Map;

/// <summary>Where and how the map server listens.</summary>
public sealed class CoverageMapServerOptions
{
    /// <summary>Loopback by default: the map is a local viewer unless the operator chooses otherwise.</summary>
    public IPAddress BindAddress { get; set; } = IPAddress.Loopback;

    /// <summary>TCP port; 0 lets the kernel pick a free one (see <see cref="CoverageMapServer.Url"/>).</summary>
    public int Port { get; set; }

    /// <summary>The built page; the project copies web/dist there as map/.</summary>
    public string StaticRoot { get; set; } = Path.Combine(AppContext.BaseDirectory, "map");

    /// <summary>Logging for the host; by default it logs nothing (callers add providers, e.g. the console).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }
}

/// <summary>
/// Hosts <see cref="CoverageMapEndpoints"/> on Kestrel, for the oracle's serve command and the devnet.
/// Start with <see cref="StartAsync"/>, read the bound <see cref="Url"/>, dispose to stop.
/// </summary>
public sealed class CoverageMapServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private CoverageMapServer(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    /// <summary>The base URL actually bound, e.g. http://127.0.0.1:43121/ (the page is at this URL).</summary>
    public Uri Url { get; }

    public static async Task<CoverageMapServer> StartAsync(ICoverageSource source, CoverageMapServerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Port is < 0 or > IPEndPoint.MaxPort)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Port, $"Port {options.Port} is not within 0..{IPEndPoint.MaxPort}");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(options.BindAddress, options.Port));
        var app = builder.Build();
        // The host that embeds the map (the oracle, the devnet) owns /healthz; the standalone server adds its own.
        app.MapGet("/healthz", () => Results.Text("ok"));
        CoverageMapEndpoints.Map(app, source, options.StaticRoot);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new CoverageMapServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Completes when the host shuts down (for a serve command that runs until Ctrl+C).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => app.WaitForShutdownAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }
}
