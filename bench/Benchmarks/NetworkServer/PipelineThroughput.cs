using System.Diagnostics;
using DePin.Wireless.Benchmarks.DataCredits;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.NetworkServer.Pipeline;
using DePin.Wireless.NetworkServer.Storage;
using DePin.Wireless.Proto;
using DePin.Wireless.TestSupport;
using Google.Protobuf;

namespace DePin.Wireless.Benchmarks.NetworkServer;

/// <summary>
/// Throughput of the post-dedup uplink pipeline (<see cref="DataUplinkProcessor"/>: session lookup, MIC under the
/// 32-bit FCnt, atomic FCnt advance, decryption, MAC/ADR, uplink event serialised to ChirpStack JSON, downlink
/// decision) with wall-clock rate and process CPU time per uplink (and PostgreSQL's CPU time), because on the shared
/// machine the wall clock mostly measures the other load.
/// Run: dotnet run -c Release --project bench/Benchmarks -- ns-throughput [inmemory|postgres|postgres-durable] [workers] [uplinks per round]
/// </summary>
public static class PipelineThroughput
{
    private const int Devices = 10_000;
    private const int Rounds = 5;
    private static readonly AesKey NwkSKey = AesKey.Parse("44024241ed4ce9a68c6a8bc055233fd3");
    private static readonly AesKey AppSKey = AesKey.Parse("ec925802ae430ca77fd3dd73cb2cc588");

    public static void Run(string[] args, TextWriter output) => RunAsync(args, output).GetAwaiter().GetResult();

    private static async Task RunAsync(string[] args, TextWriter output)
    {
        var mode = args.Length > 1 ? args[1] : "inmemory";
        var workers = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1;
        var framesPerRound = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 50_000;
        if (framesPerRound % Devices != 0)
        {
            throw new ArgumentException($"uplinks per round: must be a multiple of {Devices}");
        }
        PostgresServer? server = null;
        INetworkStore store;
        if (mode.StartsWith("postgres", StringComparison.Ordinal))
        {
            server = await PostgresServer.StartAsync(durable: mode == "postgres-durable");
            store = await PostgresNetworkStore.OpenAsync(await server.CreateDatabaseAsync("nsbench"), CancellationToken.None);
        }
        else
        {
            store = new InMemoryNetworkStore();
        }

        try
        {
            await ProvisionAsync(store);
            var events = new InProcessEventPublisher();
            using var subscription = events.Subscribe("application/+/device/+/event/up");
            var drain = DrainAsync(subscription);
            var processor = new DataUplinkProcessor(store, events, new MacCommandResponder(), new RegionPlanCache(), new NetworkServerIdentity(), TimeProvider.System);
            var cpu = server is null ? null : new ProcessCpuMeter(server.DataDirectory);
            output.WriteLine($"// {mode}, {workers} concurrent worker(s), {Devices} ABP devices, {framesPerRound} uplinks per round, 20-byte payload, ADR on (weak link: no LinkADRReq, history stored each uplink), one copy each");
            using var hotspot = KeyPair.Generate(KeyType.Ed25519, new SeededRandomSource([7]));
            uint nextFCnt = 0;
            var rates = new List<double>();
            var cpuPer = new List<double>();
            var pgPer = new List<double>();
            for (var round = -1; round < Rounds; round++)
            {
                var frames = Build(hotspot.PublicKey, framesPerRound, ref nextFCnt);
                var process = Process.GetCurrentProcess();
                var (clientStart, pgStart) = cpu?.Read() ?? (process.TotalProcessorTime, TimeSpan.Zero);
                var watch = Stopwatch.StartNew();
                await ProcessAllAsync(processor, frames, workers);
                watch.Stop();
                process.Refresh();
                var (clientEnd, pgEnd) = cpu?.Read() ?? (process.TotalProcessorTime, TimeSpan.Zero);
                if (round < 0)
                {
                    continue; // warm-up: tier-1 JIT, connection pool, caches
                }

                rates.Add(frames.Length / watch.Elapsed.TotalSeconds);
                cpuPer.Add((clientEnd - clientStart).TotalMicroseconds / frames.Length);
                pgPer.Add((pgEnd - pgStart).TotalMicroseconds / frames.Length);
                output.WriteLine($"round {round}: {rates[^1],9:N0} uplinks/s wall, CPU {cpuPer[^1]:F2} µs/uplink this process{(cpu is null ? "" : $", {pgPer[^1]:F2} µs PostgreSQL")}");
            }

            rates.Sort();
            cpuPer.Sort();
            pgPer.Sort();
            output.WriteLine($"median: {rates[Rounds / 2]:N0} uplinks/s wall (min {rates[0]:N0}, max {rates[^1]:N0}); CPU {cpuPer[Rounds / 2]:F2} µs/uplink (= {1e6 / cpuPer[Rounds / 2]:N0} uplinks per CPU-second)"
                + (cpu is null ? "" : $"; PostgreSQL {pgPer[Rounds / 2]:F2} µs/uplink; both: {1e6 / (cpuPer[Rounds / 2] + pgPer[Rounds / 2]):N0} uplinks per CPU-second"));
            subscription.Dispose();
            output.WriteLine($"// events delivered: {await drain:N0}");
        }
        finally
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }

            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task<long> DrainAsync(InProcessSubscription subscription)
    {
        long count = 0;
        await foreach (var _ in subscription.Reader.ReadAllAsync())
        {
            count++;
        }

        return count;
    }

    private static async Task ProvisionAsync(INetworkStore store)
    {
        var app = AppId.Parse("bench");
        await store.AddApplicationAsync(new Application(app, "bench"), CancellationToken.None);
        for (var i = 0; i < Devices; i++)
        {
            var devEui = new Eui64(0x1000 + (ulong)i);
            await store.AddDeviceAsync(new Device(devEui, app, new Eui64(1), NwkSKey, "EU868") { IsAbp = true }, CancellationToken.None);
            await store.SaveSessionAsync(new DeviceSession(devEui, new DevAddr(0x48000000 + (uint)i), NwkSKey, AppSKey), CancellationToken.None);
        }
    }

    private static FrameSet[] Build(PublicKey hotspot, int framesPerRound, ref uint nextFCnt)
    {
        var frames = new FrameSet[framesPerRound];
        using var nwk = new LoRaCipher(NwkSKey);
        using var app = new LoRaCipher(AppSKey);
        var payload = new byte[20];
        for (var n = 0; n < framesPerRound; n++)
        {
            var device = n % Devices;
            var fCnt = nextFCnt + (uint)(n / Devices);
            var phy = FrameBuilder.BuildDataFrame(new DataFrameFields(MType.UnconfirmedDataUp, new DevAddr(0x48000000 + (uint)device), fCnt)
            {
                FPort = 1,
                Payload = payload,
                Adr = true,
            }, nwk, app);
            var report = new PacketReport
            {
                HotspotKey = ByteString.CopyFrom(hotspot.Bytes), Payload = ByteString.CopyFrom(phy), Datarate = "SF9BW125", FrequencyHz = 868_100_000,
                SnrCdb = -2000 - (n % 7 * 10), SignalDdbm = -1000, Tmst = (uint)n,
            };
            frames[n] = new FrameSet(PacketHash.Of(phy), [new UplinkCopy(hotspot, report)]);
        }

        nextFCnt += (uint)(framesPerRound / Devices);
        return frames;
    }

    /// <summary>Each worker takes the next frame; frames of one device are <see cref="Devices"/> apart, so workers rarely race on a device.</summary>
    private static async Task ProcessAllAsync(DataUplinkProcessor processor, FrameSet[] frames, int workers)
    {
        var next = -1;
        var rejected = 0;
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < frames.Length)
            {
                var outcome = await processor.ProcessAsync(frames[i], CancellationToken.None);
                if (outcome.Rejection is not null)
                {
                    Interlocked.Increment(ref rejected);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(Worker)));
        if (rejected > 0)
        {
            throw new InvalidOperationException($"{rejected} benchmark frames were rejected");
        }
    }
}
