using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using DePin.Wireless.HotspotHost.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.HotspotHost.Status;

/// <summary>
/// The local operations port (Kestrel on loopback): <c>/healthz</c> (200 "ok" while the radio receives, 503 otherwise),
/// <c>/status</c> (JSON <see cref="HotspotStatus"/>) and <c>/metrics</c> (Prometheus text).
/// </summary>
public sealed class StatusServer : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private readonly WebApplication _app;

    private StatusServer(WebApplication app) => _app = app;

    /// <summary>Where the server listens (after <see cref="StartAsync"/>).</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public static StatusServer Create(HotspotRuntime runtime, string address, int port, ILoggerFactory loggers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(address), port));
        var app = builder.Build();
        app.MapGet("/healthz", () => runtime.State.RadioState == "receiving"
            ? Results.Text("ok\n")
            : Results.Text($"radio {runtime.State.RadioState}\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/status", () => Results.Json(runtime.Status(), Json));
        app.MapGet("/metrics", () => Results.Text(runtime.RenderMetrics(), "text/plain; version=0.0.4"));
        return new StatusServer(app);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _app.StartAsync(cancellationToken);
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
