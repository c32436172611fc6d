using System.Diagnostics;

namespace DePin.Wireless.Benchmarks;

/// <summary>Medians over 15 rounds of wall-clock and process CPU time per operation.</summary>
public readonly record struct CpuTimeSample(double WallMedian, double WallMin, double WallMax, double CpuMedian, double CpuMin);

/// <summary>
/// Times an operation against the process's CPU time as well as the wall clock. On a shared machine the wall
/// clock mostly measures waiting for a core; CPU time per operation is what the code itself costs.
/// </summary>
public static class CpuTimeSampler
{
    private const int Rounds = 15;

    /// <param name="warmupCalls">calls made first so the measured code has reached tier-1 JIT</param>
    /// <param name="roundMilliseconds">length of each measured round</param>
    /// <param name="opsPerCall">operations one call of <paramref name="body"/> performs</param>
    /// <param name="sink">the last result, to keep the work observable</param>
    public static CpuTimeSample Measure<T>(Func<T> body, int warmupCalls, int roundMilliseconds, int opsPerCall, out T sink)
    {
        sink = default!;
        for (var w = 0; w < warmupCalls; w++)
        {
            sink = body();
        }

        var process = Process.GetCurrentProcess();
        var wall = new List<double>(Rounds);
        var cpu = new List<double>(Rounds);
        for (var round = 0; round < Rounds; round++)
        {
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var calls = 0;
            while (watch.ElapsedMilliseconds < roundMilliseconds)
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
        return new CpuTimeSample(wall[Rounds / 2], wall[0], wall[^1], cpu[Rounds / 2], cpu[0]);
    }
}
