using System.Diagnostics;
using System.Globalization;

namespace DePin.Wireless.Devnet.Run;

/// <summary>
/// Wall-clock and process CPU time per phase of a run (`run --timings`), from <see cref="Stopwatch"/> and
/// <see cref="Environment.CpuUsage"/> (getrusage on Linux). Process CPU counts every thread, so a phase that runs
/// on both cores shows CPU ≈ 2 × wall. Machine-dependent: never part of summary.json. Single-threaded use only
/// (the simulation loop).
/// </summary>
public sealed class PhaseTimings
{
    private readonly Dictionary<string, Entry> _phases = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Phases in the order they were first measured, with their totals.</summary>
    public IReadOnlyList<(string Phase, TimeSpan Wall, TimeSpan Cpu, long Count)> Phases =>
        _order.Select(p => (p, _phases[p].Wall, _phases[p].Cpu, _phases[p].Count)).ToList();

    /// <summary>Starts timing <paramref name="phase"/>; dispose the result to stop.</summary>
    public Scope Measure(string phase) => new(this, phase, Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime);

    /// <summary>Times <paramref name="body"/> as <paramref name="phase"/> and returns its result.</summary>
    public T Measure<T>(string phase, Func<T> body)
    {
        using (Measure(phase))
        {
            return body();
        }
    }

    /// <summary>Adds a count (e.g. reports signed) to a phase, shown beside its times.</summary>
    public void Count(string phase, long count) => Get(phase).Count += count;

    /// <summary>A fixed-width table: phase, wall s, CPU s, CPU/wall, share of the total wall time, count.</summary>
    public string Format()
    {
        var totalWall = _order.Sum(p => _phases[p].Wall.TotalSeconds);
        var lines = new List<string> { string.Create(CultureInfo.InvariantCulture, $"{"phase",-40} {"wall s",9} {"cpu s",9} {"cpu/wall",8} {"wall %",7} {"count",12}") };
        foreach (var (phase, wall, cpu, count) in Phases)
        {
            var ratio = wall.TotalSeconds > 0 ? cpu.TotalSeconds / wall.TotalSeconds : 0;
            var share = totalWall > 0 ? 100 * wall.TotalSeconds / totalWall : 0;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{phase,-40} {wall.TotalSeconds,9:0.00} {cpu.TotalSeconds,9:0.00} {ratio,8:0.00} {share,7:0.0} {(count == 0 ? "" : count.ToString(CultureInfo.InvariantCulture)),12}"));
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"{"total",-40} {totalWall,9:0.00} {_order.Sum(p => _phases[p].Cpu.TotalSeconds),9:0.00}"));
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
    }

    /// <summary>An open measurement; disposing it adds the elapsed wall and CPU time to its phase.</summary>
    public readonly struct Scope(PhaseTimings owner, string phase, long startTimestamp, TimeSpan startCpu) : IDisposable
    {
        public void Dispose()
        {
            var entry = owner.Get(phase);
            entry.Wall += Stopwatch.GetElapsedTime(startTimestamp);
            entry.Cpu += Environment.CpuUsage.TotalTime - startCpu;
        }
    }
}
