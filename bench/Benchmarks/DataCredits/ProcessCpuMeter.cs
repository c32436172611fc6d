using System.Diagnostics;
using System.Globalization;

namespace DePin.Wireless.Benchmarks.DataCredits;

/// <summary>
/// CPU time (user + system) of this process and of a PostgreSQL cluster (the postmaster and all its children:
/// backends, WAL writer, checkpointer...), read from /proc, so cost per operation can be reported independently
/// of how busy the shared machine is.
/// </summary>
public sealed class ProcessCpuMeter
{
    private readonly int _postmasterPid;
    private readonly long _ticksPerSecond;

    public ProcessCpuMeter(string postgresDataDirectory, long ticksPerSecond = 100)
    {
        // postmaster.pid, first line: the server's process id (PostgreSQL docs, "Database File Layout").
        _postmasterPid = int.Parse(File.ReadLines(Path.Combine(postgresDataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        _ticksPerSecond = ticksPerSecond;
    }

    public (TimeSpan Client, TimeSpan Postgres) Read() => (Process.GetCurrentProcess().TotalProcessorTime, PostgresCpu());

    private TimeSpan PostgresCpu()
    {
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var fields = ParseStat(File.ReadAllText(Path.Combine(dir, "stat")));
                if (pid == _postmasterPid || fields.ParentPid == _postmasterPid)
                {
                    ticks += fields.UserTicks + fields.SystemTicks;
                }
            }
            catch (IOException)
            {
                // The process exited while we listed /proc.
            }
        }

        return TimeSpan.FromSeconds((double)ticks / _ticksPerSecond);
    }

    /// <summary>proc(5): after "(comm)" come state, ppid (field 4) ... utime (14), stime (15), counted in clock ticks.</summary>
    private static (int ParentPid, long UserTicks, long SystemTicks) ParseStat(string stat)
    {
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(rest[1], CultureInfo.InvariantCulture), long.Parse(rest[11], CultureInfo.InvariantCulture), long.Parse(rest[12], CultureInfo.InvariantCulture));
    }
}
