using System.Net;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Observability;
using DePin.Wireless.CoverageOracle.EntropyFeed;
using DePin.Wireless.CoverageOracle.Ingest;
using DePin.Wireless.CoverageOracle.Registry;
using DePin.Wireless.CoverageOracle.Storage;
using DePin.Wireless.Proto;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DePin.Wireless.CoverageOracle.Service;

/// <summary>
/// The running oracle: entropy published every interval, signed report ingest, /healthz and /metrics, over
/// Kestrel. Extra endpoint modules (the coverage map's /api/* and page) are mounted through the
/// <c>endpointModules</c> argument of <see cref="CreateAsync"/>.
/// </summary>
public sealed class OracleServer : IAsyncDisposable
{
    private const string Protobuf = "application/x-protobuf";

    private readonly WebApplication _app;
    private readonly EntropyService _entropy;
    private readonly List<IAsyncDisposable> _owned;
    private readonly KeyPair _key;
    private readonly EnvelopeVerifier _verifier;

    private OracleServer(WebApplication app, EntropyService entropy, KeyPair key, EnvelopeVerifier verifier, List<IAsyncDisposable> owned, Uri address)
    {
        _app = app;
        _entropy = entropy;
        _key = key;
        _verifier = verifier;
        _owned = owned;
        Address = address;
    }

    public Uri Address { get; }

    public PublicKey OracleKey => _key.PublicKey;

    public EntropyService Entropy => _entropy;

    public static async Task<OracleServer> CreateAsync(OracleOptions options, TimeProvider time, IRandomSource random, IReadOnlyList<Action<IEndpointRouteBuilder>> endpointModules, CancellationToken cancellationToken)
    {
        options.Validate();
        var owned = new List<IAsyncDisposable>();
        var key = KeyFile.ReadOrCreate(options.OracleKeyFile, KeyType.Ed25519, random);
        var registry = await OpenRegistryAsync(options, owned, cancellationToken).ConfigureAwait(false);
        var metrics = new MetricsRegistry();
        var envelopeOptions = new EnvelopeVerifierOptions
        {
            MaxAge = TimeSpan.FromSeconds(options.EnvelopeMaxAgeSeconds),
            MaxFutureSkew = TimeSpan.FromSeconds(options.EnvelopeMaxFutureSkewSeconds),
        };
        var replayGuard = new InMemoryReplayGuard(time, options.ReplayGuardCapacity);
        var verifier = new EnvelopeVerifier(envelopeOptions, time, replayGuard);

        ReportFileStore Store(string prefix)
        {
            var store = new ReportFileStore(new ReportFileStoreOptions { Directory = options.ReportsDirectory, Prefix = prefix }, time);
            owned.Add(store);
            return store;
        }

        var beacons = new ReportIngestor<BeaconReport>("beacon", verifier, envelopeOptions, replayGuard, registry, ReportValidation.Check, Store(ReportPrefixes.Beacon), time, metrics);
        var witnesses = new ReportIngestor<WitnessReport>("witness", verifier, envelopeOptions, replayGuard, registry, ReportValidation.Check, Store(ReportPrefixes.Witness), time, metrics);
        var chain = string.IsNullOrWhiteSpace(options.ChainRpcUrl) ? null : new JsonRpcChainHead(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, new Uri(options.ChainRpcUrl));
        var entropy = new EntropyService(
            new EntropyServiceOptions { Interval = TimeSpan.FromSeconds(options.EntropyIntervalSeconds), Lifespan = TimeSpan.FromSeconds(options.EntropyLifespanSeconds) },
            new EntropySource(random, chain),
            new EnvelopeSigner(key, time, random),
            Store(ReportPrefixes.Entropy),
            time);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Parse(options.ListenAddress), options.Port);
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
        });
        var app = builder.Build();
        MapOracleEndpoints(app, entropy, beacons, witnesses, metrics);
        foreach (var module in endpointModules)
        {
            module(app);
        }

        var address = new Uri($"http://{options.ListenAddress}:{options.Port}");
        return new OracleServer(app, entropy, key, verifier, owned, address);
    }

    /// <summary>Publishes the first entropy, starts listening, and runs until cancelled.</summary>
    public async Task RunAsync(Action<Exception> onError, Action onListening, CancellationToken cancellationToken)
    {
        await _entropy.TickAsync(cancellationToken).ConfigureAwait(false);
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        onListening();
        try
        {
            await _entropy.RunAsync(onError, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        foreach (var d in _owned)
        {
            await d.DisposeAsync().ConfigureAwait(false);
        }

        _verifier.Dispose();
        _key.Dispose();
    }

    private static void MapOracleEndpoints(IEndpointRouteBuilder app, EntropyService entropy, ReportIngestor<BeaconReport> beacons, ReportIngestor<WitnessReport> witnesses, MetricsRegistry metrics)
    {
        app.MapGet("/v1/entropy", () => entropy.CurrentEnvelope is { } bytes
            ? Results.Bytes(bytes, Protobuf)
            : Results.Json(new { error = "entropy: none published yet" }, statusCode: 503));
        app.MapPost("/v1/beacon-reports", (HttpRequest request, CancellationToken ct) => IngestAsync(request, beacons.IngestAsync, ct));
        app.MapPost("/v1/witness-reports", (HttpRequest request, CancellationToken ct) => IngestAsync(request, witnesses.IngestAsync, ct));
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/metrics", () => Results.Text(metrics.Render(), "text/plain; version=0.0.4"));
    }

    private static async Task<IResult> IngestAsync(HttpRequest request, Func<ReadOnlyMemory<byte>, CancellationToken, Task<IngestOutcome>> ingest, CancellationToken cancellationToken)
    {
        if (request.ContentType is { } type && !type.StartsWith(Protobuf, StringComparison.OrdinalIgnoreCase))
        {
            return Results.Json(new { error = $"Content-Type: \"{type}\", expected {Protobuf}" }, statusCode: 415);
        }

        using var body = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Results.Json(new { error = "body: larger than MaxBodyBytes" }, statusCode: 413);
        }

        var outcome = await ingest(body.GetBuffer().AsMemory(0, (int)body.Length), cancellationToken).ConfigureAwait(false);
        return outcome.Accepted
            ? Results.Bytes(Google.Protobuf.MessageExtensions.ToByteArray(new ReportAccepted { ReceivedMs = outcome.ReceivedMs }), Protobuf)
            : Results.Json(new { error = outcome.Error }, statusCode: outcome.Status);
    }

    private static async Task<IHotspotRegistry> OpenRegistryAsync(OracleOptions options, List<IAsyncDisposable> owned, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.DatabaseConnectionString))
        {
            var dataSource = NpgsqlDataSource.Create(options.DatabaseConnectionString);
            owned.Add(dataSource);
            var registry = new PostgresHotspotRegistry(dataSource);
            await registry.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return registry;
        }

        return (await RegistryFile.LoadAsync(options.RegistryFile!, cancellationToken).ConfigureAwait(false)).Registry;
    }
}

/// <summary>File name prefixes of the report store.</summary>
public static class ReportPrefixes
{
    public const string Beacon = "beacon_report";
    public const string Witness = "witness_report";
    public const string Entropy = "entropy";
    public const string Poc = "poc";
    public const string InvalidBeacon = "invalid_beacon";
    public const string InvalidWitness = "invalid_witness";
}
