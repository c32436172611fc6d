using System.Diagnostics;
using System.Globalization;

namespace DePin.Wireless.Devnet.Run;

/// <summary>
/// Wall-clock and process CPU time per phase of a run (`run --timings`), from <see cref="Stopwatch"/> and
/// <see cref="Environment.CpuUsage"/> (getrusage on Linux). Process CPU counts every thread, so a phase that runs
/// on both cores shows CPU ≈ 2 × wall. On Linux also the calling thread's own CPU time (CLOCK_THREAD_CPUTIME_ID):
/// the simulation thread is the run's critical path, and its CPU time stays meaningful when other processes share
/// the cores and stretch the wall clock. Machine-dependent: never part of summary.json. Single-threaded use only
/// (the simulation loop).
/// </summary>
public sealed partial class PhaseTimings
{
    private readonly Dictionary<string, Entry> _phases = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly List<(string Phase, TimeSpan ThreadTime)> _overlapped = [];

    /// <summary>Phases in the order they were first measured, with their totals.</summary>
    public IReadOnlyList<(string Phase, TimeSpan Wall, TimeSpan Cpu, long Count)> Phases =>
        _order.Select(p => (p, _phases[p].Wall, _phases[p].Cpu, _phases[p].Count)).ToList();

    /// <summary>The measuring thread's CPU time per phase (zero where the OS does not tell).</summary>
    public IReadOnlyList<(string Phase, TimeSpan ThreadCpu)> ThreadCpu =>
        _order.Select(p => (p, _phases[p].ThreadCpu)).ToList();

    /// <summary>Starts timing <paramref name="phase"/>; dispose the result to stop.</summary>
    public Scope Measure(string phase) => new(this, phase, Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime, ThreadClock.Now());

    /// <summary>Times <paramref name="body"/> as <paramref name="phase"/> and returns its result.</summary>
    public T Measure<T>(string phase, Func<T> body)
    {
        using (Measure(phase))
        {
            return body();
        }
    }

    /// <summary>Work done on another thread while the phases ran (thread time); listed after the total, not added to it.</summary>
    public IReadOnlyList<(string Phase, TimeSpan ThreadTime)> Overlapped => _overlapped;

    /// <summary>Records work another thread did alongside the phases (e.g. the oracle stage).</summary>
    public void AddOverlapped(string phase, TimeSpan threadTime) => _overlapped.Add((phase, threadTime));

    /// <summary>Adds a count (e.g. reports signed) to a phase, shown beside its times.</summary>
    public void Count(string phase, long count) => Get(phase).Count += count;

    /// <summary>A fixed-width table: phase, wall s, CPU s, CPU/wall, share of the total wall time, count.</summary>
    public string Format()
    {
        var totalWall = _order.Sum(p => _phases[p].Wall.TotalSeconds);
        var lines = new List<string> { string.Create(CultureInfo.InvariantCulture, $"{"phase",-40} {"wall s",9} {"cpu s",9} {"cpu/wall",8} {"wall %",7} {"thread s",9} {"count",12}") };
        foreach (var phase in _order)
        {
            var entry = _phases[phase];
            var (wall, cpu) = (entry.Wall.TotalSeconds, entry.Cpu.TotalSeconds);
            var ratio = wall > 0 ? cpu / wall : 0;
            var share = totalWall > 0 ? 100 * wall / totalWall : 0;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{phase,-40} {wall,9:0.00} {cpu,9:0.00} {ratio,8:0.00} {share,7:0.0} {entry.ThreadCpu.TotalSeconds,9:0.00} {(entry.Count == 0 ? "" : entry.Count.ToString(CultureInfo.InvariantCulture)),12}"));
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"{"total",-40} {totalWall,9:0.00} {_order.Sum(p => _phases[p].Cpu.TotalSeconds),9:0.00} {"",8} {"",7} {_order.Sum(p => _phases[p].ThreadCpu.TotalSeconds),9:0.00}"));
        foreach (var (phase, threadTime) in _overlapped)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{"  overlapped: " + phase,-40} {threadTime.TotalSeconds,9:0.00}"));
        }

        // Pauses stop the simulation thread too: part of the gap between a phase's wall and its thread CPU.
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"{"  gc: pauses (whole process)",-40} {GC.GetTotalPauseDuration().TotalSeconds,9:0.00}   collections gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} gc"));
        return string.Join(Environment.NewLine, lines);
    }

    private Entry Get(string phase)
    {
        if (!_phases.TryGetValue(phase, out var entry))
        {
            entry = new Entry();
            _phases[phase] = entry;
            _order.Add(phase);
        }

        return entry;
    }

    private sealed class Entry
    {
        public TimeSpan Wall { get; set; }

        public TimeSpan Cpu { get; set; }

        public long Count { get; set; }

        public TimeSpan ThreadCpu { get; set; }
    }

    /// <summary>An open measurement; disposing it adds the elapsed wall and CPU time to its phase.</summary>
    public readonly struct Scope(PhaseTimings owner, string phase, long startTimestamp, TimeSpan startCpu, TimeSpan startThreadCpu) : IDisposable
    {
        public void Dispose()
        {
            var entry = owner.Get(phase);
            entry.Wall += Stopwatch.GetElapsedTime(startTimestamp);
            entry.Cpu += Environment.CpuUsage.TotalTime - startCpu;
            entry.ThreadCpu += ThreadClock.Now() - startThreadCpu;
        }
    }

    /// <summary>The calling thread's CPU time: clock_gettime(CLOCK_THREAD_CPUTIME_ID) on Linux, zero elsewhere.</summary>
    private static partial class ThreadClock
    {
        // <time.h>/<linux/time.h>: CLOCK_THREAD_CPUTIME_ID = 3.
        private const int ClockThreadCpuTimeId = 3;

        public static TimeSpan Now()
        {
            if (!OperatingSystem.IsLinux() || ClockGetTime(ClockThreadCpuTimeId, out var spec) != 0)
            {
                return TimeSpan.Zero;
            }

            return TimeSpan.FromTicks((spec.Seconds * TimeSpan.TicksPerSecond) + (spec.Nanoseconds / 100));
        }

        [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "clock_gettime")]
        private static partial int ClockGetTime(int clock, out TimeSpec spec);

        [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }
    }
}
