using System.Diagnostics;

namespace DePin.Wireless.Benchmarks.Oracle;

/// <summary>
/// Process-CPU-time per operation of the oracle benchmarks (15 rounds of ~200 ms, median), because on this shared,
/// oversubscribed machine wall-clock numbers mostly measure the scheduler.
/// Run: dotnet bench/Benchmarks/bin/Release/net10.0/Benchmarks.dll oracle-cputime
/// </summary>
public static class OracleCpuTime
{
    public static void Run(TextWriter output, bool densityOnly = false)
    {
        if (densityOnly)
        {
            RunDensity(output);
            return;
        }

        var witness = new WitnessCheckBenchmarks();
        witness.Setup();
        Measure(output, "witness checks (per witness)", 1000, () => witness.VerifyWitness());
        var ingest = new IngestSignatureBenchmarks();
        ingest.Setup();
        Measure(output, "raw Ed25519 verify", 1, () => ingest.RawEd25519Verify());
        Measure(output, "ingest checks incl. signature", 1, () => ingest.IngestChecks());
        RunDensity(output);
    }

    private static void RunDensity(TextWriter output)
    {
        var density = new HexDensityBenchmarks();
        density.Setup();
        for (var i = 0; i < 3; i++)
        {
            MeasureOnce(output, "hex density 1,000,000 hotspots, reference (baseline)", density.ReferenceOneMillionHotspots);
            MeasureOnce(output, "hex density 1,000,000 hotspots", density.OneMillionHotspots);
        }
    }

    /// <summary>One timed call: wall time and the process's CPU time (all threads, including GC and parallel work).</summary>
    private static void MeasureOnce(TextWriter output, string name, Func<int> body)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var n = body();
        watch.Stop();
        process.Refresh();
        output.WriteLine($"{name}: wall {watch.Elapsed.TotalSeconds:F2} s, cpu {(process.TotalProcessorTime - cpu).TotalSeconds:F2} s [{n}]");
    }

    private static void Measure<T>(TextWriter output, string name, int opsPerCall, Func<T> body)
    {
        var t = CpuTimeSampler.Measure(body, warmupCalls: 50, roundMilliseconds: 200, opsPerCall, out var sink);
        output.WriteLine($"{name,-32} wall median {t.WallMedian,10:F1} ns/op  cpu-time median {t.CpuMedian,10:F1} ns/op  (cpu min {t.CpuMin:F1}) [{sink}]");
    }
}
