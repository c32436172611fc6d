using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using DePin.Wireless.Core.H3;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Poc;
using DePin.Wireless.CoverageOracle.Adapters;
using DePin.Wireless.CoverageOracle.Service;
using DePin.Wireless.CoverageOracle.Storage;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.CoverageOracle.VerifyRunner;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Benchmarks.Oracle;

/// <summary>
/// A synthetic Helium-sized day verified end to end from the report store: at scale 1, 300,000 hotspots in
/// groups of 15 spread over a continent (lat 30–48°, lng −120…−78°), each beaconing once per 6 h bucket
/// (1.2 M beacons) and heard by the 14 other members of its group (16.8 M witnesses), with entropy every minute.
/// Reports are written through <see cref="ReportFileStore"/> (length-delimited protobuf, gzip, 5-minute files)
/// exactly as ingest stores them, then verified by the code path of <c>verify --reports DIR --from --to</c>
/// (<see cref="RangeVerifier"/>, 60-minute chunks, outputs written). Ingest checks signatures before storing, so
/// stored reports carry placeholder signatures and this measures stored-report verification only (signatures:
/// see the ingest benchmark). Target: the full day in under 10 minutes on the 2-core machine.
/// Run: dotnet bench/Benchmarks/bin/Release/net10.0/Benchmarks.dll oracle-day [--scale 0.1] [--dir PATH]
/// </summary>
public static class HeliumDay
{
    private const int GroupSize = 15;
    private const int FullScaleGroups = 20_000;
    private const int BucketsPerDay = 4;
    private static readonly DateTimeOffset Day = new(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Roll = TimeSpan.FromMinutes(5);

    public static void Run(TextWriter output, string[] args)
    {
        var scale = Arg(args, "--scale") is { } s ? double.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 0.1;
        var directory = Arg(args, "--dir") ?? Path.Combine(Path.GetTempPath(), $"oracle-day-{scale}");
        var groups = Math.Max(1, (int)Math.Round(FullScaleGroups * scale));
        var process = Process.GetCurrentProcess();

        var generate = Stopwatch.StartNew();
        var cpu0 = process.TotalProcessorTime;
        var reports = Path.Combine(directory, "reports");
        var outputs = Path.Combine(directory, "out");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        var world = SyntheticWorld.Create(groups, new Random(2026));
        var (beacons, witnesses) = world.WriteReportsAsync(reports).GetAwaiter().GetResult();
        generate.Stop();
        process.Refresh();
        var generateCpu = process.TotalProcessorTime - cpu0;

        var registry = new RegistryView(world.Hotspots, new HashSet<string>(), new HashSet<(string, string)>());
        var options = new VerifierOptions();
        var history = HistorySeeding.FromPriorOutputs(outputs, Day, options, Roll);
        HistorySeeding.BootstrapReciprocity(history, registry.Hotspots, Day);
        GC.Collect();
        process.Refresh();
        var cpu1 = process.TotalProcessorTime;
        var verify = Stopwatch.StartNew();
        var summary = new RangeVerifier(options, Roll, TimeSpan.FromMinutes(60))
            .VerifyAsync(reports, outputs, Day, Day.AddDays(1), registry, history, null, CancellationToken.None).GetAwaiter().GetResult();
        verify.Stop();
        process.Refresh();
        var verifyCpu = process.TotalProcessorTime - cpu1;

        // Breakdown: the share of the verification spent reading, decompressing and parsing the stored witnesses.
        process.Refresh();
        var cpu2 = process.TotalProcessorTime;
        long parsed = 0;
        for (var hour = Day; hour < Day.AddDays(1); hour += TimeSpan.FromHours(1))
        {
            parsed += StoredReports.Read(reports, ReportPrefixes.Witness, hour, hour + TimeSpan.FromHours(1), Roll).Select(StoredReports.ToWitness).Count();
        }

        process.Refresh();
        var readCpu = process.TotalProcessorTime - cpu2;

        var result = new
        {
            scale,
            hotspots = world.Hotspots.Count,
            beacons_written = beacons,
            witnesses_written = witnesses,
            report_bytes = Directory.EnumerateFiles(reports).Sum(f => new FileInfo(f).Length),
            generate_wall_s = Math.Round(generate.Elapsed.TotalSeconds, 1),
            generate_cpu_s = Math.Round(generateCpu.TotalSeconds, 1),
            verify_wall_s = Math.Round(verify.Elapsed.TotalSeconds, 1),
            verify_cpu_s = Math.Round(verifyCpu.TotalSeconds, 1),
            witnesses_per_s_wall = Math.Round(summary.Witnesses / verify.Elapsed.TotalSeconds),
            witnesses_per_cpu_s = Math.Round(summary.Witnesses / verifyCpu.TotalSeconds),
            witness_read_parse_cpu_s = Math.Round(readCpu.TotalSeconds, 1),
            witnesses_read = parsed,
            peak_working_set_mb = process.PeakWorkingSet64 / (1024 * 1024),
            extrapolated_full_day_verify_wall_s = Math.Round(verify.Elapsed.TotalSeconds / scale, 0),
            extrapolated_full_day_verify_cpu_s = Math.Round(verifyCpu.TotalSeconds / scale, 0),
            verified = new { summary.Beacons, summary.ValidPocs, summary.Witnesses, summary.SelectedWitnesses, summary.InvalidBeacons, summary.InvalidWitnesses },
            load_average = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "",
        };
        output.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        if (!args.Contains("--keep"))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string? Arg(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    /// <summary>Hotspots, their planned beacons, and the writing of every report into the store.</summary>
    private sealed class SyntheticWorld
    {
        private readonly List<(ByteString Key, GeoPoint At)> _members = [];
        private readonly Random _random;

        private SyntheticWorld(Random random) => _random = random;

        public List<HotspotInfo> Hotspots { get; } = [];

        public static SyntheticWorld Create(int groups, Random random)
        {
            var world = new SyntheticWorld(random);
            var keyBytes = new byte[32];
            for (var g = 0; g < groups; g++)
            {
                var centre = new GeoPoint(30 + (random.NextDouble() * 18), -120 + (random.NextDouble() * 42));
                for (var m = 0; m < GroupSize; m++)
                {
                    // Members on a ring 2–9 km from the centre, evenly spread in bearing: neighbours are ≥ 0.8 km apart.
                    var at = GreatCircle.Destination(centre, (360.0 * m / GroupSize) + (random.NextDouble() * 8), 2000 + (random.NextDouble() * 7000));
                    random.NextBytes(keyBytes);
                    var key = PublicKey.FromKeyBytes(KeyType.Ed25519, keyBytes);
                    world._members.Add((ByteString.CopyFrom(key.Bytes), at));
                    world.Hotspots.Add(new HotspotInfo(key.ToAddress(), H3Grid.LatLngToCell(at.LatitudeDegrees, at.LongitudeDegrees, 12).Value, 30, 5, "US915", HotspotCapability.Full));
                }
            }

            return world;
        }

        public async Task<(long Beacons, long Witnesses)> WriteReportsAsync(string directory)
        {
            Directory.CreateDirectory(directory);
            var clock = new SettableClock(Day);
            await using var beaconStore = new ReportFileStore(new ReportFileStoreOptions { Directory = directory, Prefix = ReportPrefixes.Beacon }, clock);
            await using var witnessStore = new ReportFileStore(new ReportFileStoreOptions { Directory = directory, Prefix = ReportPrefixes.Witness }, clock);
            await using var entropyStore = new ReportFileStore(new ReportFileStoreOptions { Directory = directory, Prefix = ReportPrefixes.Entropy }, clock);
            using var oracle = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("oracle-day"));
            var oracleSigner = new EnvelopeSigner(oracle, clock, SeededRandomSource.FromLabel("oracle-day-nonces"));
            var (radio, dataRate) = new BeaconRegenerator().PlanFor("US915");

            // Each hotspot beacons once in each 6 h bucket, at a random time that leaves room for its witnesses.
            var beaconTimes = new List<(long Ms, int Hotspot)>(_members.Count * BucketsPerDay);
            var bucket = TimeSpan.FromHours(24.0 / BucketsPerDay);
            for (var h = 0; h < _members.Count; h++)
            {
                for (var b = 0; b < BucketsPerDay; b++)
                {
                    var at = Day + (bucket * b) + TimeSpan.FromMilliseconds(_random.NextInt64(60_000, (long)(bucket - TimeSpan.FromMinutes(5)).TotalMilliseconds));
                    beaconTimes.Add((at.ToUnixTimeMilliseconds(), h));
                }
            }

            beaconTimes.Sort();
            long beacons = 0, witnesses = 0;
            var next = 0;
            for (var window = Day; window < Day.AddDays(1); window += Roll)
            {
                clock.Now = window;
                var pending = new List<Task>();
                var windowEndMs = (window + Roll).ToUnixTimeMilliseconds();
                for (var minute = window; minute < window + Roll; minute += TimeSpan.FromMinutes(1))
                {
                    pending.Add(entropyStore.AppendAsync(Record(minute, oracleSigner.Sign(EntropyAt(minute)))));
                }

                for (; next < beaconTimes.Count && beaconTimes[next].Ms < windowEndMs; next++)
                {
                    var (ms, h) = beaconTimes[next];
                    var received = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                    var entropyTime = Day + TimeSpan.FromMinutes(Math.Floor((received - Day).TotalMinutes));
                    var entropy = EntropyAt(entropyTime);
                    var local = new byte[4];
                    _random.NextBytes(local);
                    var beacon = BeaconPayload.Generate(entropy.Data.Span, entropy.TimestampS, local, radio);
                    var report = new BeaconReport
                    {
                        HotspotKey = _members[h].Key,
                        LocalEntropy = ByteString.CopyFrom(local),
                        RemoteEntropy = entropy.Data,
                        RemoteEntropyTimestampS = entropy.TimestampS,
                        Data = ByteString.CopyFrom(beacon.Data),
                        FrequencyHz = (ulong)beacon.Frequency.Value,
                        Datarate = dataRate,
                        TxPowerDdbm = 270,
                    };
                    pending.Add(beaconStore.AppendAsync(Record(received, Envelope(_members[h].Key, received, report))));
                    beacons++;
                    var group = h / GroupSize * GroupSize;
                    for (var w = group; w < group + GroupSize; w++)
                    {
                        if (w == h)
                        {
                            continue;
                        }

                        var heard = received.AddMilliseconds(_random.Next(50, 1400));
                        var witness = new WitnessReport
                        {
                            HotspotKey = _members[w].Key,
                            Data = report.Data,
                            SignalDdbm = SignalDeciDbm(_members[h].At, _members[w].At, beacon.Frequency.Value),
                            SnrCdb = _random.Next(-1500, 1000),
                            FrequencyHz = report.FrequencyHz,
                            Datarate = dataRate,
                            TimestampNs = (ulong)heard.ToUnixTimeMilliseconds() * 1_000_000,
                        };
                        pending.Add(witnessStore.AppendAsync(Record(heard, Envelope(_members[w].Key, heard, witness))));
                        witnesses++;
                    }
                }

                await Task.WhenAll(pending);
            }

            return (beacons, witnesses);
        }

        /// <summary>Free-space signal less 12 dB of clutter, under the verifier's free-space ceiling (27 dBm, 3 dBi each end).</summary>
        private static int SignalDeciDbm(GeoPoint from, GeoPoint to, double frequencyHz)
        {
            var d = Math.Max(1, GreatCircle.DistanceMeters(from, to));
            var fspl = 20 * Math.Log10(4 * Math.PI * d * frequencyHz / 2.998e8);
            return (int)Math.Round((27 + 3 + 3 - fspl - 12) * 10);
        }

        private static Proto.Entropy EntropyAt(DateTimeOffset minute)
        {
            var seconds = (ulong)minute.ToUnixTimeSeconds();
            return new Proto.Entropy { Data = ByteString.CopyFrom(SHA256.HashData(BitConverter.GetBytes(seconds))), TimestampS = seconds, Version = 1 };
        }

        /// <summary>A stored envelope as ingest keeps it, with a placeholder signature: stored reports are not re-verified.</summary>
        private SignedEnvelope Envelope(ByteString key, DateTimeOffset at, IMessage payload)
        {
            var nonce = new byte[16];
            _random.NextBytes(nonce);
            return new SignedEnvelope
            {
                SignerKey = key,
                TimestampMs = (ulong)at.ToUnixTimeMilliseconds(),
                Nonce = ByteString.CopyFrom(nonce),
                PayloadType = payload.Descriptor.FullName,
                Payload = payload.ToByteString(),
                Signature = ByteString.CopyFrom(new byte[64]),
            };
        }

        private static IngestRecord Record(DateTimeOffset received, SignedEnvelope envelope) =>
            new() { ReceivedMs = (ulong)received.ToUnixTimeMilliseconds(), Envelope = envelope };
    }

    /// <summary>The store's clock: set to each 5-minute window while its reports are appended, so files roll as at ingest.</summary>
    private sealed class SettableClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
