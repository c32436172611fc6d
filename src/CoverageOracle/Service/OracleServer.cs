using System.Net;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Observability;
using DePin.Wireless.CoverageOracle.Adapters;
using DePin.Wireless.CoverageOracle.Coverage;
using DePin.Wireless.CoverageOracle.Denylist;
using DePin.Wireless.CoverageOracle.Density;
using DePin.Wireless.CoverageOracle.EntropyFeed;
using DePin.Wireless.CoverageOracle.Ingest;
using DePin.Wireless.CoverageOracle.Map;
using DePin.Wireless.CoverageOracle.Registry;
using DePin.Wireless.CoverageOracle.Rewards;
using DePin.Wireless.CoverageOracle.Storage;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.CoverageOracle.Spoofing;
using DePin.Wireless.CoverageOracle.VerifyRunner;
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
    private readonly OracleOptions _options;
    private readonly TimeProvider _time;
    private readonly MetricsRegistry _metrics;

    private OracleServer(WebApplication app, EntropyService entropy, KeyPair key, EnvelopeVerifier verifier, List<IAsyncDisposable> owned, Uri address,
        OracleOptions options, TimeProvider time, MetricsRegistry metrics, DenylistMonitor? denylist, ContinuousVerifier? verification)
    {
        _app = app;
        _entropy = entropy;
        _key = key;
        _verifier = verifier;
        _owned = owned;
        Address = address;
        _options = options;
        _time = time;
        _metrics = metrics;
        Denylist = denylist;
        Verification = verification;
    }

    /// <summary>The signed denylist in force (null when none is configured).</summary>
    public DenylistMonitor? Denylist { get; }

    /// <summary>The verify → epoch close → map pipeline (null when <see cref="OracleOptions.Verify"/> is off or no map is given).</summary>
    public ContinuousVerifier? Verification { get; }

    public Uri Address { get; }

    /// <summary>The session v1 sessions hotspots hold with this oracle (in memory: a restart forgets them).</summary>
    public SessionRegistry Sessions { get; private init; } = null!;

    public PublicKey OracleKey => _key.PublicKey;

    public EntropyService Entropy => _entropy;

    /// <param name="coverage">Where verified epochs are published for the map; null: no verification while serving.</param>
    public static async Task<OracleServer> CreateAsync(OracleOptions options, TimeProvider time, IRandomSource random, InMemoryCoverageSource? coverage, IReadOnlyList<Action<IEndpointRouteBuilder>> endpointModules, CancellationToken cancellationToken)
    {
        options.Validate();
        // The denylist is checked before anything is created: a bad file refuses to start with nothing loaded.
        var denylist = string.IsNullOrWhiteSpace(options.DenylistFile)
            ? null
            : DenylistMonitor.Open(options.DenylistFile, DenylistFile.ParseAuthority(options.DenylistKey, "DenylistKey"));
        var owned = new List<IAsyncDisposable>();
        var key = KeyFile.ReadOrCreate(options.OracleKeyFile, KeyType.Ed25519, random);
        var (registry, registryDenylist) = await OpenRegistryAsync(options, owned, cancellationToken).ConfigureAwait(false);
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

        var sessionRegistry = new SessionRegistry(SessionProtocol.CoverageOracle, new SessionRegistryOptions
        {
            Ttl = TimeSpan.FromSeconds(options.SessionTtlSeconds),
            MaxSessions = options.MaxSessions,
            MaxSessionsPerSigner = options.MaxSessionsPerHotspot,
        }, time, random);
        var frames = new SessionFrameVerifier(sessionRegistry, envelopeOptions, time);
        var sessions = new SessionEndpoint(new SessionOpenHandler(verifier, envelopeOptions, replayGuard, sessionRegistry), registry, Store(ReportPrefixes.SessionOpen), time, metrics);
        var beacons = new ReportIngestor<BeaconReport>("beacon", verifier, envelopeOptions, replayGuard, registry, ReportValidation.Check, Store(ReportPrefixes.Beacon), time, metrics, frames);
        var witnesses = new ReportIngestor<WitnessReport>("witness", verifier, envelopeOptions, replayGuard, registry, ReportValidation.Check, Store(ReportPrefixes.Witness), time, metrics, frames);
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
        MapOracleEndpoints(app, entropy, sessions, beacons, witnesses, metrics);
        foreach (var module in endpointModules)
        {
            module(app);
        }

        var address = new Uri($"http://{options.ListenAddress}:{options.Port}");
        var verification = coverage is not null && options.Verify ? CreateVerification(options, registry, registryDenylist, denylist, coverage, time) : null;
        return new OracleServer(app, entropy, key, verifier, owned, address, options, time, metrics, denylist, verification) { Sessions = sessionRegistry };
    }

    private static ContinuousVerifier CreateVerification(OracleOptions options, IHotspotRegistry registry, RegistryView registryDenylist, DenylistMonitor? denylist, InMemoryCoverageSource coverage, TimeProvider time)
    {
        async Task<RegistryView> ViewAsync(CancellationToken ct)
        {
            var view = registryDenylist with { Hotspots = await registry.ListAsync(ct).ConfigureAwait(false) };
            return denylist is null ? view : view.With(denylist.Current);
        }

        var dataCredits = string.IsNullOrWhiteSpace(options.DataCreditsUrl)
            ? null
            : new HttpDataTransferShares(new HttpClient { BaseAddress = new Uri(options.DataCreditsUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) });
        Task<IReadOnlyDictionary<string, ulong>> DataCreditsAsync(RewardEpoch epoch, CancellationToken ct) =>
            dataCredits?.ForEpochAsync(epoch, ct) ?? Task.FromResult<IReadOnlyDictionary<string, ulong>>(new Dictionary<string, ulong>());

        var continuous = new ContinuousVerifierOptions
        {
            Window = TimeSpan.FromSeconds(options.VerifyWindowSeconds),
            Settle = TimeSpan.FromSeconds(options.VerifySettleSeconds),
            BootstrapReciprocity = options.BootstrapReciprocity,
            EpochEmission = System.Numerics.BigInteger.Parse(options.EpochEmission, System.Globalization.CultureInfo.InvariantCulture),
        };
        var closer = new EpochCloser(new HexDensityCalculator(new H3HexHierarchy(), new HexDensityOptions()), new CoverageScorer(new CoverageScoreOptions()), new RewardPoolOptions(), new SpoofingOptions());
        return new ContinuousVerifier(continuous, new VerifierOptions(), options.ReportsDirectory, ViewAsync, DataCreditsAsync, closer, coverage, time);
    }

    /// <summary>Publishes the first entropy, starts listening, and runs until cancelled.</summary>
    public async Task RunAsync(Action<Exception> onError, Action onListening, CancellationToken cancellationToken)
    {
        await _entropy.TickAsync(cancellationToken).ConfigureAwait(false);
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        onListening();
        try
        {
            var loops = new List<Task> { _entropy.RunAsync(onError, cancellationToken) };
            if (Denylist is not null)
            {
                loops.Add(RunDenylistAsync(Denylist, onError, cancellationToken));
            }

            if (Verification is not null)
            {
                loops.Add(Verification.RunAsync(TimeSpan.FromSeconds(_options.VerifyPollSeconds), onError, cancellationToken));
            }

            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        finally
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private Task RunDenylistAsync(DenylistMonitor denylist, Action<Exception> onError, CancellationToken cancellationToken)
    {
        var version = _metrics.Gauge("oracle_denylist_version", "Version of the signed denylist in force");
        version.Set(denylist.Current.Version);
        return denylist.RunAsync(TimeSpan.FromSeconds(_options.DenylistPollSeconds), _time, (outcome, current, error) =>
        {
            _metrics.Counter("oracle_denylist_reloads_total", "Changed denylist files loaded or refused", ("outcome", outcome == DenylistReload.Loaded ? "loaded" : "refused")).Increment();
            version.Set(current.Version);
            if (error is not null)
            {
                onError(new InvalidDataException($"{error}; keeping version {current.Version}"));
            }
        }, cancellationToken);
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

    private static void MapOracleEndpoints(IEndpointRouteBuilder app, EntropyService entropy, SessionEndpoint sessions, ReportIngestor<BeaconReport> beacons, ReportIngestor<WitnessReport> witnesses, MetricsRegistry metrics)
    {
        app.MapGet("/v1/entropy", () => entropy.CurrentEnvelope is { } bytes
            ? Results.Bytes(bytes, Protobuf)
            : Results.Json(new { error = "entropy: none published yet" }, statusCode: 503));
        app.MapPost("/v1/sessions", async (HttpRequest request, CancellationToken ct) =>
        {
            var (body, problem) = await ReadProtobufBodyAsync(request, ct).ConfigureAwait(false);
            if (problem is not null)
            {
                return problem;
            }

            var opened = await sessions.OpenAsync(body, ct).ConfigureAwait(false);
            return opened.IsAccepted
                ? Results.Bytes(Google.Protobuf.MessageExtensions.ToByteArray(opened.Accepted!), Protobuf)
                : Results.Json(new { error = opened.Error }, statusCode: opened.Status);
        });
        app.MapPost("/v1/beacon-reports", (HttpRequest request, CancellationToken ct) => IngestAsync(request, beacons, ct));
        app.MapPost("/v1/witness-reports", (HttpRequest request, CancellationToken ct) => IngestAsync(request, witnesses, ct));
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/metrics", () => Results.Text(metrics.Render(), "text/plain; version=0.0.4"));
    }

    /// <summary>
    /// A report body: a SessionFrame when the Content-Type is <see cref="SessionProtocol.FrameContentType"/>,
    /// otherwise (plain application/x-protobuf or none) a SignedEnvelope as before.
    /// </summary>
    private static async Task<IResult> IngestAsync<T>(HttpRequest request, ReportIngestor<T> ingestor, CancellationToken cancellationToken)
        where T : class, Google.Protobuf.IMessage<T>, new()
    {
        var (body, problem) = await ReadProtobufBodyAsync(request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = SessionProtocol.IsFrameContentType(request.ContentType)
            ? await ingestor.IngestFrameAsync(body, cancellationToken).ConfigureAwait(false)
            : await ingestor.IngestAsync(body, cancellationToken).ConfigureAwait(false);
        return outcome.Accepted
            ? Results.Bytes(Google.Protobuf.MessageExtensions.ToByteArray(new ReportAccepted { ReceivedMs = outcome.ReceivedMs }), Protobuf)
            : Results.Json(new { error = outcome.Error }, statusCode: outcome.Status);
    }

    /// <summary>The body of a protobuf request, or the error answer (415 for another Content-Type, 413 when too large).</summary>
    private static async Task<(ReadOnlyMemory<byte> Body, IResult? Problem)> ReadProtobufBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentType is { } type && !type.StartsWith(Protobuf, StringComparison.OrdinalIgnoreCase))
        {
            return (default, Results.Json(new { error = $"Content-Type: \"{type}\", expected {Protobuf}" }, statusCode: 415));
        }

        using var body = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (default, Results.Json(new { error = "body: larger than MaxBodyBytes" }, statusCode: 413));
        }

        return (body.ToArray(), null);
    }

    /// <summary>The registry, and the denylist and denied edges its snapshot file carries (none in PostgreSQL).</summary>
    private static async Task<(IHotspotRegistry Registry, RegistryView Denylist)> OpenRegistryAsync(OracleOptions options, List<IAsyncDisposable> owned, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.DatabaseConnectionString))
        {
            var dataSource = NpgsqlDataSource.Create(options.DatabaseConnectionString);
            owned.Add(dataSource);
            var registry = new PostgresHotspotRegistry(dataSource);
            await registry.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return (registry, new RegistryView([], new HashSet<string>(), new HashSet<(string, string)>()));
        }

        var snapshot = await RegistryFile.LoadAsync(options.RegistryFile!, cancellationToken).ConfigureAwait(false);
        return (snapshot.Registry, new RegistryView([], snapshot.Denylist, snapshot.DeniedEdges));
    }
}

/// <summary>File name prefixes of the report store.</summary>
public static class ReportPrefixes
{
    public const string Beacon = "beacon_report";
    public const string Witness = "witness_report";
    public const string Entropy = "entropy";

    /// <summary>Accepted session opens: the hotspot-signed SessionOpen envelope with the session_id it was given (audit trail of session reports).</summary>
    public const string SessionOpen = "session_open";
    public const string Poc = "poc";
    public const string InvalidBeacon = "invalid_beacon";
    public const string InvalidWitness = "invalid_witness";
}
