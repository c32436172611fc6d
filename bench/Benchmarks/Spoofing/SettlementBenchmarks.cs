using BenchmarkDotNet.Attributes;
using DePin.Wireless.CoverageOracle.Spoofing;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.Devnet.Run;

namespace DePin.Wireless.Benchmarks.Spoofing;

/// <summary>
/// The epoch-end spoofing analysis on a real devnet epoch: a PoC-only day of <see cref="Hotspots"/> hotspots is simulated
/// once (untimed), then the analyzer's parts run on its verified results: resolving links, the pooled Huber fit, and the
/// whole <see cref="SpoofingAnalyzer"/>. Run: dotnet run -c Release --project bench/Benchmarks -- --filter '*SettlementBenchmarks*' --job short.
/// </summary>
[MemoryDiagnoser]
public class SettlementBenchmarks
{
    private IReadOnlyList<PocResult> results = [];
    private IReadOnlyList<HotspotInfo> registry = [];
    private EpochLinks epoch = null!;
    private readonly SpoofingOptions options = new();

    [Params(2000)]
    public int Hotspots { get; set; } = 2000;

    [GlobalSetup]
    public void Setup()
    {
        using var simulation = new DevnetSimulation(new RunOptions { Hotspots = Hotspots, Devices = 0, Hours = 24, Seed = 1, OutputDirectory = Path.Combine(Path.GetTempPath(), "settlement-bench") });
        var result = simulation.Run();
        results = result.PocResults;
        registry = result.Registry;
        epoch = EpochLinks.Build(results, registry);
        Console.WriteLine($"// settlement {Hotspots} hotspots: {results.Count} PoC results, {epoch.LinkCount} links");
    }

    [Benchmark]
    public int BuildLinks() => EpochLinks.Build(results, registry).LinkCount;

    [Benchmark]
    public LineFit? PooledHuberFit() => new PathLossConsistency(options.PathLoss).FitPooled([.. epoch.AllLinks]);

    [Benchmark]
    public int WholeAnalysis() => new SpoofingAnalyzer(options).Analyze(results, registry).Summary.Penalised;
}
