using System.Runtime.InteropServices;

namespace DePin.Wireless.Benchmarks.Oracle;

/// <summary>
/// Ingest's pre-store path (envelope authentication with its signature, registry key lookup, field checks) against
/// the raw Ed25519 verify on the same bytes, interleaved round by round (A then B, 21 times) and timed by the
/// calling thread's own CPU clock, so neither load drift on the shared machine nor other threads (GC, tiered JIT)
/// land on one side only. Reports the median per-round ratio ingest rate / raw rate. Target ≥ 0.8.
/// Run: dotnet bench/Benchmarks/bin/Release/net10.0/Benchmarks.dll oracle-cputime ingest
/// </summary>
public static class IngestSignatureRatio
{
    private const int Rounds = 21;
    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID (Linux <time.h>)

    public static void Run(TextWriter output)
    {
        var bench = new IngestSignatureBenchmarks();
        bench.Setup();
        for (var w = 0; w < 2000; w++)
        {
            bench.RawEd25519Verify();
            bench.IngestChecks();
        }

        var raw = new List<double>(Rounds);
        var ingest = new List<double>(Rounds);
        var ratios = new List<double>(Rounds);
        for (var round = 0; round < Rounds; round++)
        {
            var r = NanosecondsPerCall(bench.RawEd25519Verify);
            var i = NanosecondsPerCall(bench.IngestChecks);
            raw.Add(r);
            ingest.Add(i);
            ratios.Add(r / i);
        }

        raw.Sort();
        ingest.Sort();
        ratios.Sort();
        output.WriteLine($"raw Ed25519 verify (thread cpu)      median {raw[Rounds / 2] / 1000,8:F1} µs  min {raw[0] / 1000,8:F1} µs");
        output.WriteLine($"ingest checks incl. signature (cpu)  median {ingest[Rounds / 2] / 1000,8:F1} µs  min {ingest[0] / 1000,8:F1} µs");
        output.WriteLine($"ingest rate / raw rate               median {ratios[Rounds / 2]:P1}  (rounds: min {ratios[0]:P1}, max {ratios[^1]:P1})");
    }

    /// <summary>Calls <paramref name="body"/> for ~150 ms of this thread's CPU time; CPU nanoseconds per call.</summary>
    private static double NanosecondsPerCall(Func<bool> body)
    {
        var start = ThreadCpuNanoseconds();
        long calls = 0;
        long elapsed;
        do
        {
            for (var k = 0; k < 16; k++)
            {
                if (!body())
                {
                    throw new InvalidOperationException("the benchmarked check failed");
                }
            }

            calls += 16;
            elapsed = ThreadCpuNanoseconds() - start;
        }
        while (elapsed < 150_000_000);

        return (double)elapsed / calls;
    }

    private static long ThreadCpuNanoseconds() =>
        ClockGetTime(ThreadCpuClock, out var t) == 0 ? (t.Seconds * 1_000_000_000) + t.Nanoseconds : throw new InvalidOperationException("clock_gettime failed");

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);
}
