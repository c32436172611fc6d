using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Observability;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.HotspotHost.Beaconing;
using DePin.Wireless.HotspotHost.Configuration;
using DePin.Wireless.HotspotHost.Forwarding;
using DePin.Wireless.HotspotHost.Identity;
using DePin.Wireless.HotspotHost.Services;
using DePin.Wireless.HotspotHost.Witnessing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePin.Wireless.HotspotHost.Runtime;

/// <summary>Everything a <see cref="HotspotRuntime"/> is built from; the devnet passes its simulated radio, clock and handlers.</summary>
public sealed record HotspotRuntimeSettings
{
    public required HotspotOptions Options { get; init; }

    public required ISecureElement Key { get; init; }

    public required IRadio Radio { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Randomness for nonces, local entropy and beacon timing; seed it for reproducible runs.</summary>
    public IRandomSource Random { get; init; } = SystemRandomSource.Instance;

    /// <summary>Transport for both services (an in-process handler in the devnet); null = a SocketsHttpHandler.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    public ILoggerFactory Loggers { get; init; } = NullLoggerFactory.Instance;
}

/// <summary>
/// The hotspot daemon as an object: one radio receive loop dispatching beacons to the <see cref="Witnesser"/> and every
/// other frame to the <see cref="PacketForwarder"/>, the beaconer, and the delivery queues. No static state: several
/// runtimes can share a process (the devnet runs hundreds).
/// </summary>
public sealed class HotspotRuntime : IAsyncDisposable
{
    private readonly HotspotRuntimeSettings _settings;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly CoverageOracleClient _oracle;
    private readonly ReportChannel _packetReports;
    private bool _started;
    private bool _disposed;

    public HotspotRuntime(HotspotRuntimeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        HotspotConfigLoader.Validate(settings.Options);
        _settings = settings;
        var options = settings.Options;
        var time = settings.Time;
        _logger = settings.Loggers.CreateLogger<HotspotRuntime>();
        Region = RegionPlans.Get(options.Region);
        State = new HotspotState(new MetricsRegistry());
        Signer = new EnvelopeSigner(settings.Key.PublicKey, settings.Key.Sign, time, settings.Random);
        _http = new HttpClient(settings.HttpHandler ?? new SocketsHttpHandler(), disposeHandler: settings.HttpHandler is null) { Timeout = options.ServiceTimeout };
        NetworkServer = new ServiceClient(_http, BaseUrl(options.NetworkServerUrl), new ServiceHealth("network-server", time));
        var oracleKey = options.OraclePublicKey is { Length: > 0 } address ? PublicKey.ParseAddress(address) : default;
        var oracleHttp = new ServiceClient(_http, BaseUrl(options.OracleUrl), new ServiceHealth("coverage-oracle", time));
        var authentication = options.Services.ParsedAuthentication;
        _oracle = new CoverageOracleClient(oracleHttp, oracleKey, time, options.Beaconing.EntropyMaxAge,
            new ReportChannel(oracleHttp, SessionProtocol.CoverageOracle, authentication, Signer, SessionRandom(settings.Random, SessionProtocol.CoverageOracle), time, settings.Loggers.CreateLogger<ReportChannel>()));
        _packetReports = new ReportChannel(NetworkServer, SessionProtocol.NetworkServer, authentication, Signer, SessionRandom(settings.Random, SessionProtocol.NetworkServer), time, settings.Loggers.CreateLogger<ReportChannel>());
        BeaconRadio = BeaconRadio.For(Region, options.AntennaGainDbi);
        Clock = ConcentratorClock.For(settings.Radio, time);
        var queueOptions = options.Forwarding.ToQueueOptions();
        Witnesser = new Witnesser(BeaconRadio.PayloadLength, Signer, _oracle, State, queueOptions, time, settings.Loggers.CreateLogger<Witnesser>());
        var downlinks = new DownlinkTransmitter(settings.Radio, State, settings.Loggers.CreateLogger<DownlinkTransmitter>());
        Forwarder = new PacketForwarder(Signer, NetworkServer, _packetReports, downlinks, State, Region.Name, queueOptions, options.Forwarding.Concurrency, time, settings.Loggers.CreateLogger<PacketForwarder>());
        if (options.Beaconing.Enabled)
        {
            var scheduleRandom = new Random(BitConverter.ToInt32(RandomBytes(settings.Random, 4)));
            Beaconer = new Beaconer(settings.Radio, _oracle, Signer, Witnesser, new BeaconSchedule(options.Beaconing.Interval, scheduleRandom), BeaconRadio, Clock, settings.Random, State, time, options.Beaconing.RetryDelay, settings.Loggers.CreateLogger<Beaconer>());
        }
    }

    public RegionPlan Region { get; }

    public HotspotState State { get; }

    public EnvelopeSigner Signer { get; }

    public ServiceClient NetworkServer { get; }

    public ServiceClient Oracle => _oracle.Http;

    public BeaconRadio BeaconRadio { get; }

    /// <summary>The radio's µs counter for reports of our own transmissions (read, or estimated from received frames).</summary>
    public ConcentratorClock Clock { get; }

    public Witnesser Witnesser { get; }

    public PacketForwarder Forwarder { get; }

    /// <summary>Null when beaconing is disabled.</summary>
    public Beaconer? Beaconer { get; }

    public IRadio Radio => _settings.Radio;

    /// <summary>Starts the radio and all loops; returns once the radio is receiving (the daemon is ready).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            throw new InvalidOperationException("hotspot runtime already started");
        }

        _started = true;
        State.RadioState = "starting";
        await _settings.Radio.StartAsync(cancellationToken);
        State.RadioState = "receiving";
        var stop = _stop.Token;
        _loops.Add(Task.Run(() => ReceiveLoopAsync(stop), CancellationToken.None));
        _loops.Add(Task.Run(() => Forwarder.Queue.RunAsync(stop), CancellationToken.None));
        _loops.Add(Task.Run(() => Forwarder.TxAcks.RunAsync(stop), CancellationToken.None));
        _loops.Add(Task.Run(() => Witnesser.Queue.RunAsync(stop), CancellationToken.None));
        if (Beaconer is { } beaconer)
        {
            _loops.Add(Task.Run(() => beaconer.RunAsync(stop), CancellationToken.None));
        }

        _logger.LogInformation("hotspot {Address} ready: region {Region}, beacon {DataRate} at {Power} dBm", Signer.Signer, Region.Name, BeaconRadio.Plan.DataRate, BeaconRadio.PowerDbm);
    }

    /// <summary>Routes one received frame: beacons to the witnesser, data frames to the forwarder, bad-CRC frames nowhere.</summary>
    public void Dispatch(RxFrame frame)
    {
        if (frame.Crc == RxCrcStatus.Bad || frame.Payload.Length == 0)
        {
            return;
        }

        Clock.Observe(frame);
        if (Witnesser.Observe(frame) == WitnessDecision.NotABeacon)
        {
            Forwarder.Forward(frame);
        }
    }

    public HotspotStatus Status()
    {
        var counters = Forwarder.Queue.Counters;
        return new HotspotStatus(
            Signer.Signer.ToAddress(),
            Region.Name,
            State.RadioState,
            State.RecentPacketList(),
            (long)State.PacketsReceived.Value,
            State.LastBeacon,
            Beaconer?.NextBeaconAt,
            (long)State.WitnessesSent.Value,
            State.LastDownlink is { } d ? new DownlinkStatus(d.DownlinkId, d.SentIn, d.Rx1.Status.ToString(), d.Rx2?.Status.ToString()) : null,
            [NetworkServer.Health.Snapshot(), Oracle.Health.Snapshot()],
            counters,
            Witnesser.Queue.Counters);
    }

    /// <summary>Prometheus text: the stage counters plus queue gauges refreshed at each scrape.</summary>
    public string RenderMetrics()
    {
        var metrics = State.Metrics;
        var forward = Forwarder.Queue.Counters;
        metrics.Gauge("hotspot_forward_queue_depth", "Packet reports waiting for delivery").Set(forward.Depth);
        metrics.Gauge("hotspot_forward_delivered", "Packet reports delivered").Set(forward.Delivered);
        metrics.Gauge("hotspot_forward_retried", "Packet report delivery retries").Set(forward.Retried);
        metrics.Gauge("hotspot_forward_dropped_overflow", "Packet reports dropped because the queue was full").Set(forward.DroppedOverflow);
        metrics.Gauge("hotspot_forward_dropped_expired", "Packet reports dropped as too old to deliver").Set(forward.DroppedExpired);
        metrics.Gauge("hotspot_forward_rejected", "Packet reports refused by the network server").Set(forward.Rejected);
        metrics.Gauge("hotspot_witness_queue_depth", "Witness reports waiting for delivery").Set(Witnesser.Queue.Counters.Depth);
        return metrics.Render();
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var frame in _settings.Radio.ReceiveAllAsync(cancellationToken))
            {
                Dispatch(frame);
            }

            State.RadioState = "stopped";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            State.RadioState = "stopped";
        }
        catch (Exception e)
        {
            State.RadioState = $"failed: {e.Message}";
            _logger.LogError(e, "radio receive loop failed");
        }
    }

    private static Uri BaseUrl(string url) => new(url.EndsWith('/') ? url : url + "/");

    /// <summary>
    /// The session channels' ephemeral-key source: a seeded source (tests, devnet) is a sequence the envelope signer
    /// also draws from under its own lock, so each channel gets its own derived stream; the system source is shared.
    /// </summary>
    private static IRandomSource SessionRandom(IRandomSource random, string audience) =>
        random is SeededRandomSource seeded ? seeded.Derive("session-ephemeral/" + audience) : random;

    private static byte[] RandomBytes(IRandomSource random, int count)
    {
        var bytes = new byte[count];
        random.Fill(bytes);
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        State.RadioState = "stopped";
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
        }

        await _settings.Radio.DisposeAsync();
        Forwarder.Queue.Dispose();
        Forwarder.TxAcks.Dispose();
        Witnesser.Queue.Dispose();
        _oracle.Dispose();
        _packetReports.Dispose();
        _http.Dispose();
        _stop.Dispose();
    }
}

public sealed record DownlinkStatus(string Id, string? SentIn, string Rx1, string? Rx2);

/// <summary>The /status document.</summary>
public sealed record HotspotStatus(
    string Address,
    string Region,
    string RadioState,
    IReadOnlyList<PacketSummary> LastPackets,
    long PacketsReceived,
    BeaconSummary? LastBeacon,
    DateTimeOffset? NextBeaconAt,
    long WitnessesSent,
    DownlinkStatus? LastDownlink,
    IReadOnlyList<ServiceHealthSnapshot> Services,
    DeliveryCounters ForwardQueue,
    DeliveryCounters WitnessQueue);
