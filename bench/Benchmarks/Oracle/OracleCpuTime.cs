using System.Diagnostics;

namespace DePin.Wireless.Benchmarks.Oracle;

/// <summary>
/// Process-CPU-time per operation of the oracle benchmarks (15 rounds of ~200 ms, median), because on this shared,
/// oversubscribed machine wall-clock numbers mostly measure the scheduler.
/// Run: dotnet bench/Benchmarks/bin/Release/net10.0/Benchmarks.dll oracle-cputime
/// </summary>
public static class OracleCpuTime
{
    public static void Run(TextWriter output)
    {
        var witness = new WitnessCheckBenchmarks();
        witness.Setup();
        Measure(output, "witness checks (per witness)", 1000, () => witness.VerifyWitness());
        var ingest = new IngestSignatureBenchmarks();
        ingest.Setup();
        Measure(output, "raw Ed25519 verify", 1, () => ingest.RawEd25519Verify());
        Measure(output, "ingest checks incl. signature", 1, () => ingest.IngestChecks());
        var density = new HexDensityBenchmarks();
        density.Setup();
        var process = Process.GetCurrentProcess();
        for (var i = 0; i < 3; i++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var n = density.OneMillionHotspots();
            watch.Stop();
            process.Refresh();
            output.WriteLine($"hex density 1,000,000 hotspots: wall {watch.Elapsed.TotalSeconds:F2} s, cpu {(process.TotalProcessorTime - cpu).TotalSeconds:F2} s [{n}]");
        }
    }

    private static void Measure<T>(TextWriter output, string name, int opsPerCall, Func<T> body)
    {
        T sink = default!;
        for (var w = 0; w < 50; w++)
        {
            sink = body();
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
            while (watch.ElapsedMilliseconds < 200)
            {
                sink = body();
                calls++;
            }

            watch.Stop();
            process.Refresh();
            wall.Add(watch.Elapsed.TotalNanoseconds / ((double)calls * opsPerCall));
            cpu.Add((process.TotalProcessorTime - cpuStart).TotalNanoseconds / ((double)calls * opsPerCall));
        }

        wall.Sort();
        cpu.Sort();
        output.WriteLine($"{name,-32} wall median {wall[7],10:F1} ns/op  cpu-time median {cpu[7],10:F1} ns/op  (cpu min {cpu[0]:F1}) [{sink}]");
    }
}
