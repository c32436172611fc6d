using System.Net;
using System.Text.Json;
using DePin.Wireless.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.NetworkServer.Tests.Server;

/// <summary>
/// A Kestrel endpoint speaking DataCredits' POST /v1/charge contract, so HttpUplinkCharger and serve are tested over
/// real HTTP. It buys copies until a per-packet limit, like the ledger, and answers a configurable refusal otherwise.
/// </summary>
internal sealed class DataCreditsStub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<JsonElement> _requests = [];

    private DataCreditsStub(WebApplication app, int port)
    {
        _app = app;
        Url = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri Url { get; }

    /// <summary>Every refusal reason returned instead of buying; null buys.</summary>
    public string? Refuse { get; set; }

    public int StatusCode { get; set; } = 200;

    public IReadOnlyList<JsonElement> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<DataCreditsStub> StartAsync()
    {
        var port = FreePort.Tcp();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var stub = new DataCreditsStub(app, port);
        app.MapPost("/v1/charge", async (HttpRequest request) =>
        {
            var body = await JsonDocument.ParseAsync(request.Body);
            lock (stub._requests)
            {
                stub._requests.Add(body.RootElement.Clone());
            }

            if (stub.StatusCode != 200)
            {
                return Results.Json(new { error = "ledger unavailable" }, statusCode: stub.StatusCode);
            }

            return stub.Refuse is { } reason
                ? Results.Json(new { bought = false, reason, dc = 0 })
                : Results.Json(new { bought = true, reason = (string?)null, dc = 1 });
        });
        await app.StartAsync();
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
