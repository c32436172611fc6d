using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Observability;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.Mqtt;
using DePin.Wireless.NetworkServer.Pipeline;
using DePin.Wireless.NetworkServer.Storage;
using DePin.Wireless.Proto;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.NetworkServer.Server;

/// <summary>
/// `serve`: Kestrel with the hotspot endpoint (POST /v1/packet-reports, protobuf), the JSON admin API, /healthz
/// and /metrics; optional MQTT integration (events out, `.../command/down` in). Everything it owns is disposed with it.
/// </summary>
public sealed class NetworkServerHost : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<IDisposable> _disposables = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _background = [];
    private WebApplication? _app;

    private NetworkServerHost(NetworkServerOptions options) => Options = options;

    public NetworkServerOptions Options { get; }

    /// <summary>The session v1 sessions hotspots hold with this server (in memory: a restart forgets them).</summary>
    public SessionRegistry Sessions { get; private set; } = null!;

    /// <summary>The bound address, e.g. http://127.0.0.1:8700 (useful when Port is 0).</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1");

    public static async Task<NetworkServerHost> StartAsync(NetworkServerOptions options, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var host = new NetworkServerHost(options);
        try
        {
            await host.StartCoreAsync(loggers, cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(ILoggerFactory? externalLoggers, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Parse(Options.ListenAddress), Options.Port));
        if (externalLoggers is not null)
        {
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton(externalLoggers);
        }

        var app = builder.Build();
        _app = app;
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var time = TimeProvider.System;

        INetworkStore store = string.IsNullOrWhiteSpace(Options.Database)
            ? new InMemoryNetworkStore()
            : await OpenPostgresAsync(Options.Database, cancellationToken);
        var routes = new RouteCache(store);
        await routes.RefreshAsync(cancellationToken);

        var regions = new RegionPlanCache();
        IEventPublisher? mqttEvents = null;
        var queue = new DownlinkQueue(store, new DeferredEventPublisher(() => mqttEvents), regions, time);
        var events = mqttEvents = await StartMqttAsync(queue, loggers, cancellationToken);
        var sentDownlinks = new RecentDownlinks(time);
        var http = new HttpClient { BaseAddress = new Uri(Options.DataCreditsUrl!.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMilliseconds(Options.DataCreditsTimeoutMs) };
        var metrics = new MetricsRegistry();
        var envelopeOptions = new EnvelopeVerifierOptions { MaxAge = TimeSpan.FromSeconds(Options.EnvelopeMaxAgeSeconds) };
        var sessions = new SessionRegistry(SessionProtocol.NetworkServer, new SessionRegistryOptions
        {
            Ttl = TimeSpan.FromSeconds(Options.SessionTtlSeconds),
            MaxSessions = Options.MaxSessions,
            MaxSessionsPerSigner = Options.MaxSessionsPerHotspot,
        }, time, SystemRandomSource.Instance);
        Sessions = sessions;
        var openGuard = new InMemoryReplayGuard(time);
        var openVerifier = new EnvelopeVerifier(envelopeOptions, time, openGuard);
        _disposables.Add(openVerifier);
        var sessionOpens = new SessionOpenHandler(openVerifier, envelopeOptions, openGuard, sessions);
        var pipeline = UplinkPipelineFactory.Create(new UplinkPipelineParts(store, events, new HttpUplinkCharger(http), routes, time, loggers)
        {
            Identity = new NetworkServerIdentity { NetId = Options.ParsedNetId, RxDelaySeconds = Options.RxDelaySeconds, FrameCounterPolicy = Options.ParsedFrameCounterPolicy },
            Dedup = new DedupOptions { Window = TimeSpan.FromMilliseconds(Options.DedupWindowMs) },
            Envelopes = envelopeOptions,
            Sessions = sessions,
            Metrics = metrics,
            Mac = new MacResponderOptions { DevStatusRequestEveryUplinks = Options.DevStatusRequestEveryUplinks },
            Downlinks = new DownlinkPlannerOptions { Rx2PreferOnRx1DataRateBelow = Options.Rx2PreferOnRx1DataRateBelow },
            SentDownlinks = sentDownlinks,
        });
        var txAcks = new TxAckProcessor(
            new EnvelopeVerifier(new EnvelopeVerifierOptions { MaxAge = TimeSpan.FromSeconds(Options.EnvelopeMaxAgeSeconds) }, time, new InMemoryReplayGuard(time)),
            sentDownlinks, events, time);

        var logger = loggers.CreateLogger<NetworkServerHost>();
        MapEndpoints(app, pipeline, txAcks, new NetworkAdmin(store, queue), routes, metrics);
        MapSessionEndpoints(app, sessionOpens, metrics, logger);
        _background.Add(RefreshRoutesAsync(routes, logger, _stop.Token));
        var ackTimeouts = new AckTimeouts(store, events, time, TimeSpan.FromSeconds(Options.ConfirmedDownlinkTimeoutSeconds));
        _background.Add(ackTimeouts.RunAsync(TimeSpan.FromSeconds(Math.Clamp(Options.ConfirmedDownlinkTimeoutSeconds / 10, 1, 60)), logger, _stop.Token));
        await app.StartAsync(cancellationToken);
        var address = app.Urls.First();
        BaseAddress = new Uri(address);
    }

    private async Task<INetworkStore> OpenPostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        var store = await PostgresNetworkStore.OpenAsync(connectionString, cancellationToken);
        _owned.Add(store);
        return store;
    }

    private async Task<IEventPublisher> StartMqttAsync(DownlinkQueue queue, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!Options.Mqtt.Enabled)
        {
            // Without a broker, events stay in process (the devnet subscribes to them there).
            return new InProcessEventPublisher();
        }

        var client = new MqttClient(new MqttClientOptions
        {
            Host = Options.Mqtt.Host,
            Port = Options.Mqtt.Port,
            ClientId = Options.Mqtt.ClientId,
            UserName = Options.Mqtt.UserName,
            Password = Options.Mqtt.Password,
        }, loggers.CreateLogger<MqttClient>(), TimeProvider.System);
        _owned.Add(client);
        await client.ConnectAsync(cancellationToken);
        var dispatcher = new MqttMessageDispatcher(client.Messages, loggers.CreateLogger<MqttMessageDispatcher>());
        var listener = new DownlinkCommandListener(client, dispatcher, loggers.CreateLogger<DownlinkCommandListener>());
        var logger = loggers.CreateLogger<NetworkServerHost>();
        await listener.StartAsync((command, ct) => EnqueueFromMqttAsync(queue, command, logger, ct), cancellationToken);
        _background.Add(dispatcher.RunAsync(_stop.Token));
        return new MqttEventPublisher(client, new MqttEventPublisherOptions());
    }

    /// <summary>
    /// A command is queued only if the device belongs to the application named in the topic (the ACL lets an
    /// application publish only under its own id) and its payload fits the device's data rates.
    /// </summary>
    internal static async Task EnqueueFromMqttAsync(DownlinkQueue queue, ReceivedDownlinkCommand received, ILogger logger, CancellationToken cancellationToken)
    {
        var devEui = received.Command.DevEui;
        try
        {
            await queue.EnqueueAsync(new QueuedDownlink(Guid.NewGuid(), devEui, received.Command.FPort, received.Command.Data, received.Command.Confirmed), received.ApplicationId, cancellationToken);
        }
        catch (NetworkStoreException e)
        {
            logger.LogWarning("downlink command for {DevEui} of application {App} refused: {Problem}", devEui, received.ApplicationId, e.Message);
        }
    }

    private async Task RefreshRoutesAsync(RouteCache routes, ILogger logger, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, Options.RouteRefreshSeconds)));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await routes.RefreshAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "route refresh failed; keeping the previous routes");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private static void MapEndpoints(WebApplication app, UplinkPipeline pipeline, TxAckProcessor txAcks, NetworkAdmin admin, RouteCache routes, MetricsRegistry metrics)
    {
        app.MapPost("/v1/tx-acks", async (HttpRequest request, CancellationToken ct) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, ct);
            var result = await txAcks.HandleAsync(body.GetBuffer().AsMemory(0, (int)body.Length), ct);
            return result.Passed
                ? Results.Bytes(new ReportAccepted { ReceivedMs = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }.ToByteArray(), "application/x-protobuf")
                : Results.Json(new ErrorView($"{result.Reason}: {result.Detail}"), statusCode: result.Reason == "unknown_downlink" ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
        });
        app.MapPost("/v1/packet-reports", async (HttpRequest request, CancellationToken ct) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, ct);
            var bytes = body.GetBuffer().AsMemory(0, (int)body.Length);
            if (!SessionProtocol.IsFrameContentType(request.ContentType))
            {
                return Results.Bytes((await pipeline.HandleAsync(bytes, ct)).ToByteArray(), "application/x-protobuf");
            }

            // A session the server does not hold (restart, TTL, eviction) is 401 so the hotspot re-opens and resends;
            // every other refusal is an ordinary PacketReportResponse, as for envelopes.
            var verified = pipeline.VerifyFrame(bytes.Span);
            if (verified.Reason is "unknown_session" or "expired_session")
            {
                metrics.Counter("ns_session_reports_refused_total", "Session frames refused before the pipeline, by reason", ("reason", verified.Reason)).Increment();
                return Results.Json(new ErrorView(verified.Detail!), statusCode: StatusCodes.Status401Unauthorized);
            }

            return Results.Bytes((await pipeline.HandleVerifiedAsync(verified, ct)).ToByteArray(), "application/x-protobuf");
        });
        app.MapGet("/healthz", () => Results.Json(new HealthView("ok")));
        app.MapGet("/metrics", () => Results.Text(metrics.Render(), "text/plain; version=0.0.4"));

        app.MapPost("/v1/applications", (ApplicationView body, CancellationToken ct) =>
            Admin(async () =>
        {
            var added = await admin.AddApplicationAsync(body.Id, body.Name, ct);
            return new ApplicationView(added.Id.Value, added.Name);
        }));
        app.MapPost("/v1/organizations", (OrganizationRequest body, CancellationToken ct) => Admin(async () =>
        {
            var view = await admin.AddOrganizationAsync(body, ct);
            await routes.RefreshAsync(ct);
            return view;
        }));
        app.MapGet("/v1/organizations", (CancellationToken ct) => Admin(() => admin.ListOrganizationsAsync(ct)));
        app.MapPost("/v1/devices", (DeviceRequest body, CancellationToken ct) => Admin(() => admin.AddDeviceAsync(body, ct)));
        app.MapGet("/v1/devices", (string? applicationId, CancellationToken ct) => Admin(() => admin.ListDevicesAsync(applicationId, ct)));
        app.MapDelete("/v1/devices/{devEui}", (string devEui, CancellationToken ct) => Admin(async () =>
            await admin.RemoveDeviceAsync(devEui, ct) ? new RemovedView(devEui, true) : throw new NetworkStoreException("devEui", $"device {devEui} does not exist")));
        app.MapPost("/v1/devices/{devEui}/queue", (string devEui, DownlinkRequest body, CancellationToken ct) => Admin(async () => new QueuedView((await admin.EnqueueAsync(devEui, body, ct)).Id)));
    }

    /// <summary>
    /// POST /v1/sessions: a SignedEnvelope(SessionOpen) from any hotspot key (the network server, like its packet-report
    /// path, does not keep a hotspot registry: copies are charged to the device's organisation). Each accepted open is
    /// logged with its signed envelope (base64) and session id, so the hotspot ↔ session binding is auditable.
    /// </summary>
    private static void MapSessionEndpoints(WebApplication app, SessionOpenHandler opens, MetricsRegistry metrics, ILogger logger)
    {
        app.MapPost("/v1/sessions", async (HttpRequest request, CancellationToken ct) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, ct);
            var result = await opens.OpenAsync(body.ToArray(), null, ct);
            var error = result.Error ?? "";
            var outcome = result.IsAccepted ? "accepted" : error[..Math.Max(0, error.IndexOf(':', StringComparison.Ordinal))];
            metrics.Counter("ns_session_opens_total", "Session v1 opens, by outcome", ("outcome", outcome)).Increment();
            if (!result.IsAccepted)
            {
                return Results.Json(new ErrorView(error), statusCode: result.Status);
            }

            logger.LogInformation("session {SessionId} opened by hotspot {Hotspot} until {ExpiresAt}; signed SessionOpen {Envelope}",
                Convert.ToHexStringLower(result.Accepted!.SessionId.Span), result.Session!.Signer.ToAddress(), result.Session.ExpiresAt, Convert.ToBase64String(result.OpenEnvelope!.ToByteArray()));
            return Results.Bytes(result.Accepted.ToByteArray(), "application/x-protobuf");
        });
    }

    private static async Task<IResult> Admin<T>(Func<Task<T>> action)
    {
        try
        {
            return Results.Json(await action());
        }
        catch (NetworkStoreException e)
        {
            var notFound = e.Problem.EndsWith("does not exist", StringComparison.Ordinal);
            return Results.Json(new ErrorView(e.Message), statusCode: notFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        foreach (var task in _background)
        {
            await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        _stop.Dispose();
    }
}

public sealed record ApplicationView(string Id, string Name);

public sealed record HealthView(string Status);

public sealed record ErrorView(string Error);

public sealed record RemovedView(string DevEui, bool Removed);

public sealed record QueuedView(Guid Id);
