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
        T sink = default!;
        for (var w = 0; w < 300; w++)
        {
            sink = body(); // reach tier-1 code before measuring
        }

        var process = Process.GetCurrentProcess();
        var wall = new List<double>();
        var cpu = new List<double>();
        for (var round = 0; round < 15; round++)
        {
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var calls = 0;
            while (watch.ElapsedMilliseconds < 100)
            {
                sink = body();
                calls++;
            }

            watch.Stop();
            process.Refresh();
            wall.Add(watch.Elapsed.TotalNanoseconds / ((double)calls * OpsPerCall));
            cpu.Add((process.TotalProcessorTime - cpuStart).TotalNanoseconds / ((double)calls * OpsPerCall));
        }

        wall.Sort();
        cpu.Sort();
        output.WriteLine($"{name,-16} median {wall[7],8:F1} ns/op  (min {wall[0]:F1}, max {wall[^1]:F1})  cpu-time median {cpu[7],7:F1} ns/op  [{sink}]");
    }
}
