using DePin.Wireless.CoverageOracle.Adapters;
using DePin.Wireless.Core.Primitives;
using System.Diagnostics;
using DePin.Wireless.Core.H3;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Poc;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.CoverageOracle.Registry;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.Devnet.Medium;
using DePin.Wireless.Devnet.Poc;
using DePin.Wireless.Devnet.World;
using DePin.Wireless.HotspotHost.Beaconing;
using DePin.Wireless.HotspotHost.Witnessing;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Devnet.Run;

/// <summary>
/// One devnet run on simulated time: a generated city of hotspots and devices on the radio medium, the oracle's
/// entropy every 60 s, hotspots beaconing once per 6 h window and witnessing what they hear, reports sealed into
/// sessions (or signed as envelopes) and checked by the oracle, PoC verification per 5-minute ingest window — the
/// oracle's half on a <see cref="PocOracleStage"/> one step behind — and one reward epoch at the end.
/// Deterministic for a seed: only <see cref="RunResult.WallClockSeconds"/> and the timings depend on the machine.
/// </summary>
public sealed partial class DevnetSimulation : IDisposable
{
    /// <summary>Beacons are verified in windows of this length (by ingest receive time), as Helium's verifier does.</summary>
    public static readonly TimeSpan VerificationWindow = TimeSpan.FromMinutes(5);

    /// <summary>A window is verified once this much simulated time has passed after its end, so late witnesses are in.</summary>
    public static readonly TimeSpan VerificationGrace = TimeSpan.FromSeconds(60);

    /// <summary>A relay pair re-transmits this long after the listener finished hearing the beacon (tunnel + turnaround).</summary>
    public static readonly TimeSpan RelayDelay = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan Step = EntropyOracle.Interval;

    private readonly RunOptions _options;
    private readonly RegionPlan _plan;
    private readonly PocBeaconPlan _beaconPlan;
    private readonly BeaconRadioParameters _beaconRadio;
    private readonly string _beaconDataRate;
    private readonly double _beaconSensitivityDbm;
    private readonly SimulationClock _clock;
    private readonly RadioMedium _medium;
    private readonly DevnetVerifierLookups _lookups = new();
    private readonly PocVerifier _verifier;
    private readonly EntropyOracle _oracle;
    private readonly ReportIngest _ingest;
    private readonly List<SimHotspot> _hotspots = [];
    private readonly List<SimDevice> _devices = [];
    private readonly PriorityQueue<SimEvent, (long Time, long Order)> _events = new();
    private readonly KeyedRandom _latencyRandom = new();
    private readonly ulong _latencyKey;
    private readonly Dictionary<byte[], int> _beaconOwner = new(ByteContentComparer.Instance);
    private readonly Dictionary<DataRate, string> _dataRateNames = [];
    private readonly List<OutgoingReport> _outgoing = [];
    private readonly PocTally _tally;
    private readonly PocOracleStage _oracleStage;
    private readonly PhaseTimings _timings = new();
    private long _eventOrder;
    private long _reportSequence;
    private long _uplinksSent;
    private long _uplinkCopies;
    private EntropyRecord? _currentEntropy;
    private long _envelopes;
    private long _beaconsSent;

    public DevnetSimulation(RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _plan = RegionPlans.Get(options.Region);
        _beaconPlan = _plan.PocBeacon();
        var regenerator = new BeaconRegenerator();
        (_beaconRadio, _beaconDataRate) = regenerator.PlanFor(options.Region);
        var mediumOptions = new RadioMediumOptions { Seed = options.Seed, Region = _plan };
        _beaconSensitivityDbm = LinkBudget.Sensitivity(_beaconPlan.DataRate, mediumOptions.Propagation.NoiseFigureDb).Value;
        _clock = new SimulationClock(mediumOptions.Epoch);
        _medium = new RadioMedium(mediumOptions);
        _oracle = new EntropyOracle(options.Seed, _clock);
        _ingest = new ReportIngest(options.Seed, options.MaxParallelism, options.ReportAuthentication, options.Hotspots);
        _latencyKey = SeedMixer.Combine((ulong)(uint)options.Seed, SeedMixer.Key("ingest-latency"));
        var history = new PocHistory();
        _verifier = new PocVerifier(new VerifierOptions(), _lookups, regenerator, new H3PocGeometry(), history);

        var world = _timings.Measure("world generation", () => WorldGenerator.Generate(WorldOptions.ForNetwork(options.Centre, options.Hotspots, options.Devices), options.Seed));
        using (_timings.Measure("onboarding (keys, registry, radios)"))
        {
            OnboardHotspots(world, history);

            // The hotspot's public key as its reports carry it, built once per hotspot (ByteStrings are immutable).
            _signerKeys = _hotspots.Select(h => ByteString.CopyFrom(h.Key.PublicKey.Bytes)).ToArray();
            AddDevices(world);
            if (world.Devices.Count > 0)
            {
                _packetSessions?.OpenAll(_hotspots, _clock.Epoch, options.MaxParallelism);
            }
        }

        _tally = new PocTally(_hotspots);
        _oracleStage = new PocOracleStage(_ingest, _lookups, _verifier, _tally, _clock.Epoch, options.MaxParallelism);
    }

    public IReadOnlyList<SimHotspot> Hotspots => _hotspots;

    /// <summary>Where the time went so far (construction and <see cref="Run"/>); machine-dependent.</summary>
    public PhaseTimings Timings => _timings;

    public RunResult Run(IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var end = SimTime.Zero + TimeSpan.FromHours(_options.Hours);
        for (var stepStart = SimTime.Zero; stepStart < end; stepStart += Step)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var stepEnd = stepStart + Step;
            _clock.Set(stepStart);
            EntropyRecord entropy;
            using (_timings.Measure("entropy"))
            {
                entropy = _oracle.Publish(_clock.ToUtc(stepStart));
                _currentEntropy = entropy;
            }

            using (_timings.Measure("events (beacons, uplinks, relays)"))
            {
                RunEvents(stepEnd);
            }

            ResolveAndHandle(stepEnd);

            // The oracle stage checks this step's reports and verifies windows behind the simulation, on its own
            // worker: a window is verified once every report made up to 60 s after its end has been applied, which
            // the stage guarantees by applying each step's reports one step later (see PocOracleStage).
            HandStepToOracle(entropy, stepEnd - VerificationGrace - Step);

            progress?.Report((stepEnd - SimTime.Zero).TotalHours);
        }

        // Let packets still on the air at the end land; nothing new starts.
        _clock.Set(end);
        ResolveAndHandle(end + TimeSpan.FromSeconds(30));
        using (_timings.Measure("network server (final copies)"))
        {
            PumpServer(end + TimeSpan.FromSeconds(30));
            FinishSigning();
        }

        FinishOracle();
        _timings.AddOverlapped("oracle stage: report checks (thread time)", _oracleStage.CheckTime);
        _timings.AddOverlapped("oracle stage: PoC verification (thread time)", _oracleStage.VerifyTime);

        using (_timings.Measure("settlement and result"))
        {
            return BuildResult(stopwatch.Elapsed.TotalSeconds);
        }
    }

    private void ResolveAndHandle(SimTime until)
    {
        var receptions = _timings.Measure("medium (resolve receptions)", () => _medium.ResolveUntil(until));
        using (_timings.Measure(PacketReportPhase))
        {
            HandleReceptions(receptions);
        }
    }

    public void Dispose()
    {
        // A run abandoned mid-way (cancellation) may still be checking reports with the hotspots' keys.
        try
        {
            _oracleStage.Drain();
            FinishSigning();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The run is being torn down; its failure was already reported where Run threw.
        }

        foreach (var hotspot in _hotspots)
        {
            hotspot.Dispose();
        }

        foreach (var device in _devices)
        {
            device.Dispose();
        }

        _oracle.Dispose();
        _ingest.Dispose();
        _packetSessions?.Dispose();
    }

    private void OnboardHotspots(SimulatedWorld world, PocHistory history)
    {
        var registry = new InMemoryHotspotRegistry();
        var adversaries = AdversaryPlan.Plan(world.Hotspots, _options.Adversaries, _options.Seed);
        var epoch = _clock.Epoch;
        var identities = CreateIdentities(world, adversaries);
        for (var i = 0; i < world.Hotspots.Count; i++)
        {
            var placed = world.Hotspots[i];
            var adversary = adversaries.GetValueOrDefault(i);
            var radioPosition = adversary?.RadioPosition ?? placed.Position;
            placed = placed with { Position = radioPosition };
            var role = adversary?.Role ?? HotspotRole.Honest;

            // Attackers ignore regulations: the relay transmitter is not held to the duty cycle.
            var radioId = _medium.Register(placed.ToRegistration() with { EnforceDutyCycle = role != HotspotRole.RelayTransmitter });
            var (identity, key, address, cell) = identities[i];
            registry.OnboardAsync(new HotspotOnboarding(address, key.PublicKey.ToByteArray(), "devnet-owner", _options.Region, HotspotCapability.Full)).GetAwaiter().GetResult();
            registry.AssertLocationAsync(new LocationAssertion(address, cell, (int)Math.Round(placed.AntennaGainDbi * 10), (int)Math.Round(placed.HeightMeters))).GetAwaiter().GetResult();
            _lookups.AddHotspot(registry.GetAsync(address).GetAwaiter().GetResult()!);

            // Warm start (README): as if every hotspot had a valid witness and a witnessed beacon just before the
            // run, so HIP-106 reciprocity (48 h look-back) does not reject the whole network on its first day.
            history.Restore(address, null, epoch.AddSeconds(-1), epoch.AddSeconds(-1));

            var schedule = new BeaconSchedule(new VerifierOptions().BeaconInterval, new Random(SeedMixer.DeriveSeed(_options.Seed, "beacon-schedule", i)));
            var hotspot = new SimHotspot
            {
                Index = i,
                Radio = placed,
                RadioId = radioId,
                Key = key,
                Address = address,
                AssertedCell = cell,
                Role = role,
                Partner = adversary?.Partner,
                AdversaryGroup = adversary?.Group,
                Schedule = schedule,
                Recognizer = new BeaconRecognizer(Math.Min(BeaconPayload.PreferredSize, _beaconRadio.MaxPayloadSize)),
                Random = identity.Derive("local-entropy"),
                NextBeacon = schedule.NextBeaconTime(epoch, null),
            };
            _hotspots.Add(hotspot);
            Enqueue(ToSim(hotspot.NextBeacon), new SimEvent(SimEventKind.Beacon, i));
        }
    }

    /// <summary>
    /// Each hotspot's seeded identity, Ed25519 key, address and asserted H3 cell, computed on all cores: each depends
    /// only on (seed, index, position), so the result is the same whatever the scheduling.
    /// </summary>
    private (SeededRandomSource Identity, KeyPair Key, string Address, ulong Cell)[] CreateIdentities(SimulatedWorld world, IReadOnlyDictionary<int, AdversaryPlacement> adversaries)
    {
        var identities = new (SeededRandomSource, KeyPair, string, ulong)[world.Hotspots.Count];
        Parallel.For(0, identities.Length, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelism }, i =>
        {
            var asserted = adversaries.GetValueOrDefault(i)?.AssertedPosition ?? world.Hotspots[i].Position;
            var identity = SeededRandomSource.FromLabel(FormattableString.Invariant($"devnet/{_options.Seed}/hotspot/{i}"));
            var key = KeyPair.Generate(KeyType.Ed25519, identity.Derive("key"));
            var cell = H3Grid.LatLngToCell(asserted.LatitudeDegrees, asserted.LongitudeDegrees, RegistryValidation.AssertedResolution).Value;
            identities[i] = (identity, key, key.PublicKey.ToAddress(), cell);
        });
        return identities;
    }

    private SimTime ToSim(DateTimeOffset time) => SimTime.FromTimeSpan(time - _clock.Epoch);

    private DateTimeOffset ToUtc(SimTime time) => _clock.ToUtc(time);

    private static ulong UnixNanoseconds(DateTimeOffset epoch, SimTime time) =>
        (ulong)(((epoch - DateTimeOffset.UnixEpoch).Ticks * 100) + time.Nanoseconds);

    private void Enqueue(SimTime at, SimEvent simEvent)
    {
        if (at < SimTime.Zero + TimeSpan.FromHours(_options.Hours))
        {
            _events.Enqueue(simEvent, (at.Nanoseconds, _eventOrder++));
        }
    }

    private TimeSpan IngestLatency(int hotspot, long sequence)
    {
        _latencyRandom.Reset(SeedMixer.Combine(_latencyKey, (ulong)hotspot, (ulong)sequence));
        var (min, max) = _options.IngestLatency;
        return min + ((max - min) * _latencyRandom.NextDouble());
    }

    private OutgoingReport Report(SimHotspot hotspot, IMessage payload, SimTime signedAt, WitnessOrigin? origin = null)
    {
        var sequence = _reportSequence++;
        var signed = ToUtc(signedAt);
        var report = new OutgoingReport(hotspot, payload, signed, signed + IngestLatency(hotspot.Index, sequence), sequence, origin);
        _outgoing.Add(report);
        return report;
    }
}

internal enum SimEventKind
{
    Beacon,
    Uplink,
    Relay,

    /// <summary>Resolve the medium up to now (a beacon just ended) so its receptions are handled in time.</summary>
    Resolve,

    /// <summary>A packet report reaches the network server, or a dedup window closes: let the server catch up.</summary>
    ServerWake,

    /// <summary>A hotspot transmits a downlink in a receive window (<see cref="SimEvent.Data"/> is the plan).</summary>
    Downlink,

    /// <summary>A downlink has ended: the device gets what it demodulated and turns its receiver off.</summary>
    ReceiveWindowEnd,

    /// <summary>An under-funded organisation's payer burns tokens again.</summary>
    TopUp,
}

/// <summary>Something a radio does at a simulated instant. For relays, the payload and the beacon's owner.</summary>
internal sealed record SimEvent(SimEventKind Kind, int Actor, byte[]? Payload = null, Hz Frequency = default, object? Data = null);
