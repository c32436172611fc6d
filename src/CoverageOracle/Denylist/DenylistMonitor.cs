using DePin.Wireless.Core.Identity;

namespace DePin.Wireless.CoverageOracle.Denylist;

/// <summary>What a reload attempt did.</summary>
public enum DenylistReload
{
    /// <summary>The file has not changed since the last attempt.</summary>
    Unchanged,

    /// <summary>A new, valid release replaced the current one.</summary>
    Loaded,

    /// <summary>The changed file was refused; the current release stays.</summary>
    Refused,
}

/// <summary>
/// Holds the current signed denylist and replaces it when the file changes (checked by modification time and
/// length every poll interval). A changed file that does not verify, or whose version is older than the current
/// release (a rollback), is refused and the current list kept; the refusal is reported and remembered in
/// <see cref="LastError"/>. The first load refuses to start instead: an oracle must not run without its denylist.
/// </summary>
public sealed class DenylistMonitor
{
    private readonly string _path;
    private readonly PublicKey _authority;
    private (DateTime Modified, long Length) _stamp;
    private volatile SignedDenylist _current;

    private DenylistMonitor(string path, PublicKey authority, SignedDenylist current, (DateTime, long) stamp)
    {
        _path = path;
        _authority = authority;
        _current = current;
        _stamp = stamp;
    }

    public SignedDenylist Current => _current;

    public string? LastError { get; private set; }

    /// <summary>Loads the file; throws <see cref="InvalidDataException"/> naming the problem when it is not a valid release.</summary>
    public static DenylistMonitor Open(string path, PublicKey authority)
    {
        var stamp = Stamp(path);
        return new DenylistMonitor(path, authority, DenylistFile.Read(path, authority), stamp);
    }

    /// <summary>Reloads when the file changed since the last attempt.</summary>
    public DenylistReload Poll()
    {
        (DateTime, long) stamp;
        try
        {
            stamp = Stamp(_path);
        }
        catch (IOException ex)
        {
            return Refuse(ex.Message);
        }

        if (stamp == _stamp)
        {
            return DenylistReload.Unchanged;
        }

        _stamp = stamp;
        try
        {
            var next = DenylistFile.Read(_path, _authority);
            if (next.Version < _current.Version)
            {
                return Refuse($"denylist {_path}: version {next.Version} is older than the loaded version {_current.Version}");
            }

            _current = next;
            LastError = null;
            return DenylistReload.Loaded;
        }
        catch (InvalidDataException ex)
        {
            return Refuse(ex.Message);
        }
    }

    /// <summary>Polls every <paramref name="interval"/> until cancelled, reporting each reload or refusal.</summary>
    public async Task RunAsync(TimeSpan interval, TimeProvider time, Action<DenylistReload, SignedDenylist, string?> onChange, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var outcome = Poll();
            if (outcome != DenylistReload.Unchanged)
            {
                onChange(outcome, _current, LastError);
            }
        }
    }

    private DenylistReload Refuse(string problem)
    {
        LastError = problem;
        return DenylistReload.Refused;
    }

    private static (DateTime, long) Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists
            ? (info.LastWriteTimeUtc, info.Length)
            : throw new FileNotFoundException($"denylist {path}: file does not exist", path);
    }
}
