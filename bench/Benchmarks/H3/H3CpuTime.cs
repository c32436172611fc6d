using System.Diagnostics;

namespace DePin.Wireless.Benchmarks.H3;

/// <summary>
/// Process-CPU-time per operation for the <see cref="H3Benchmarks"/> methods, measured the same way as
/// bench/h3js-bench.mjs (15 rounds of ~100 ms, median). On a shared, oversubscribed machine wall-clock
/// numbers mostly measure the scheduler; CPU time is what the code itself costs.
/// Run: dotnet run -c Release --project bench/Benchmarks -- h3-cputime
/// </summary>
public static class H3CpuTime
{
    private const int OpsPerCall = 1000;

    public static void Run(TextWriter output)
    {
        var bench = new H3Benchmarks();
        bench.Setup();
        Measure(output, "latLngToCell", () => bench.LatLngToCell());
        Measure(output, "cellToBoundary", () => bench.CellToBoundary());
        Measure(output, "gridDisk(1)", () => bench.GridDisk1());
        Measure(output, "gridDisk(1)[]", () => bench.GridDisk1Array());
    }

    private static void Measure<T>(TextWriter output, string name, Func<T> body)
    {
        var t = CpuTimeSampler.Measure(body, warmupCalls: 300, roundMilliseconds: 100, OpsPerCall, out var sink);
        output.WriteLine($"{name,-16} median {t.WallMedian,8:F1} ns/op  (min {t.WallMin:F1}, max {t.WallMax:F1})  cpu-time median {t.CpuMedian,7:F1} ns/op  [{sink}]");
    }
}
