using BenchmarkDotNet.Attributes;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Devnet.Medium;
using DePin.Wireless.Devnet.World;

namespace DePin.Wireless.Benchmarks.Devnet;

/// <summary>
/// Medium throughput: 10k hotspots and 5k devices, 500 uplinks (SF7–SF12 uniformly, 8 EU868 channels) over 5 s of
/// simulated time submitted and resolved; reported per transmission. Two layouts of the same radios: "dense" (25 km
/// radius, 4 km core scale: ~100 hotspots/km² in the core) and "metro" (50 km radius, 12 km core scale, ~10/km²,
/// about a Helium-era big city). A fresh medium per iteration (registration untimed).
/// </summary>
[MemoryDiagnoser]
public class RadioMediumBenchmarks
{
    private const int Transmissions = 500;
    private static readonly Hz[] Channels = [.. new[] { 868.1, 868.3, 868.5, 867.1, 867.3, 867.5, 867.7, 867.9 }.Select(Hz.FromMegahertz)];

    private SimulatedWorld world = null!;
    private (int Device, SimTime Start, int Channel, int Sf, int Bytes)[] traffic = [];
    private RadioMedium medium = null!;
    private RadioId[] deviceIds = [];

    [Params("dense", "metro")]
    public string Layout { get; set; } = "metro";

    [GlobalSetup]
    public void Setup()
    {
        var options = Layout == "dense"
            ? new WorldOptions { Centre = new GeoPoint(52.37, 4.89), RadiusMeters = 25_000, CoreScaleMeters = 4_000, HotspotCount = 10_000, DeviceCount = 5_000 }
            : new WorldOptions { Centre = new GeoPoint(52.37, 4.89), RadiusMeters = 50_000, CoreScaleMeters = 12_000, SatelliteScaleMeters = 4_000, HotspotCount = 10_000, DeviceCount = 5_000 };
        world = WorldGenerator.Generate(options, 2026);
        var random = new Random(7);
        traffic = [.. Enumerable.Range(0, Transmissions)
            .Select(_ => (random.Next(world.Devices.Count), SimTime.FromMilliseconds(random.Next(0, 5_000)), random.Next(Channels.Length), random.Next(7, 13), random.Next(10, 52)))
            .OrderBy(t => t.Item2)];

        // One untimed pass to report what a transmission costs in receptions.
        NewMedium();
        var receptions = Run();
        Console.WriteLine($"// medium {Layout}: {Transmissions} tx -> {receptions} receptions ({receptions / (double)Transmissions:0.0} per tx)");
    }

    [IterationSetup]
    public void NewMedium()
    {
        medium = new RadioMedium(new RadioMediumOptions { Seed = 1 });
        var ids = world.RegisterWith(medium);
        deviceIds = [.. world.Devices.Select(d => ids[d.Name])];
    }

    [Benchmark(OperationsPerInvoke = Transmissions)]
    public int SubmitAndResolve() => Run();

    private int Run()
    {
        var received = 0;
        var horizon = SimTime.Zero;
        foreach (var (device, start, channel, sf, bytes) in traffic)
        {
            if (start - horizon > TimeSpan.FromMilliseconds(250))
            {
                horizon = start - TimeSpan.FromMilliseconds(1);
                received += medium.ResolveUntil(horizon).Count;
            }

            medium.Submit(new TransmitRequest
            {
                Sender = deviceIds[device],
                Start = start,
                Frequency = Channels[channel],
                DataRate = new DataRate(sf, 125),
                TxPower = new Dbm(14),
                Payload = new byte[bytes],
            });
        }

        return received + medium.ResolveUntil(SimTime.FromSeconds(60)).Count;
    }
}

/// <summary>
/// Neighbour index at constant density (radios spread over an area that grows with their number): building it, and
/// 1,000 range queries of 5 km, against a brute-force scan of the same 1,000 queries.
/// </summary>
[MemoryDiagnoser]
public class GeoGridIndexBenchmarks
{
    private const int Queries = 1_000;
    private GeoPoint[] points = [];
    private GeoPoint[] queryCentres = [];
    private GeoGridIndex index = null!;
    private readonly List<int> results = [];

    [Params(1_000, 10_000, 100_000)]
    public int Radios { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // 2 radios per km²: the disk radius grows with √N.
        var centre = new GeoPoint(52.37, 4.89);
        var radius = Math.Sqrt(Radios / 2.0 / Math.PI) * 1000;
        var random = new Random(3);
        points = [.. Enumerable.Range(0, Radios).Select(_ => GreatCircle.Destination(centre, random.NextDouble() * 360, radius * Math.Sqrt(random.NextDouble())))];
        queryCentres = [.. Enumerable.Range(0, Queries).Select(_ => points[random.Next(points.Length)])];
        index = BuildIndex();
    }

    [Benchmark]
    public GeoGridIndex Build() => BuildIndex();

    [Benchmark]
    public int Query1000() => RunQueries(grid: true);

    [Benchmark(Baseline = true)]
    public int Query1000BruteForce() => RunQueries(grid: false);

    private GeoGridIndex BuildIndex()
    {
        var built = new GeoGridIndex(5_000, 52.37);
        foreach (var point in points)
        {
            built.Add(point);
        }

        return built;
    }

    private int RunQueries(bool grid)
    {
        var total = 0;
        foreach (var centre in queryCentres)
        {
            results.Clear();
            if (grid)
            {
                index.Query(centre, 5_000, results);
            }
            else
            {
                index.QueryBruteForce(centre, 5_000, results);
            }

            total += results.Count;
        }

        return total;
    }
}
