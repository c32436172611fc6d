using Xunit;

using Npgsql;

namespace DePin.Wireless.TestSupport;

/// <summary>
/// A throw-away PostgreSQL cluster from the Debian package (initdb + pg_ctl), on a free loopback port,
/// in a temporary directory that is removed on dispose. Tests create one database each for isolation.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dataDir;
    private int _databaseCounter;

    private PostgresServer(string bin, string dataDir, int port)
    {
        _bin = bin;
        _dataDir = dataDir;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The cluster's data directory (its postmaster.pid names the server process).</summary>
    public string DataDirectory => _dataDir;

    /// <summary>Connection string of the maintenance database.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=true";

    /// <param name="durable">
    /// false (tests): fsync off, fast and lost on a machine crash. true (benchmarks of durable paths): PostgreSQL's
    /// defaults, fsync and synchronous_commit on, so a commit returns only once its WAL is on disk.
    /// </param>
    public static async Task<PostgresServer> StartAsync(bool durable = false)
    {
        var bin = FindBinDirectory();
        var dataDir = Path.Combine(Path.GetTempPath(), "depin-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dataDir);
        if (ExternalProcess.IsRoot)
        {
            // initdb refuses to run as root; the Debian package creates the 'postgres' system user.
            await ExternalProcess.RunCheckedAsync("chown", ["postgres:postgres", dataDir]);
        }

        await RunAsPostgres(Path.Combine(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        var port = FreePort.Tcp();
        var options = $"-p {port} -k {dataDir} -c listen_addresses=127.0.0.1 -c fsync={(durable ? "on" : "off")} -c synchronous_commit=on -c max_connections=200 -c shared_buffers=128MB";
        await RunAsPostgres(Path.Combine(bin, "pg_ctl"), ["-D", dataDir, "-o", options, "-l", Path.Combine(dataDir, "server.log"), "-w", "-t", "60", "start"]);
        return new PostgresServer(bin, dataDir, port);
    }

    /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _databaseCounter)}_{Guid.NewGuid().ToString("N")[..8]}".ToLowerInvariant();
        await using (var conn = new NpgsqlConnection(ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Pooling=true";
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunAsPostgres(Path.Combine(_bin, "pg_ctl"), ["-D", _dataDir, "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            try
            {
                Directory.Delete(_dataDir, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a dying backend; the temp directory is cleaned by the OS later.
            }
        }
    }

    private static Task<ExternalProcess.Result> RunAsPostgres(string file, IReadOnlyList<string> args) =>
        ExternalProcess.IsRoot
            ? ExternalProcess.RunCheckedAsync("runuser", ["-u", "postgres", "--", file, .. args])
            : ExternalProcess.RunCheckedAsync(file, args);

    private static string FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            foreach (var version in Directory.GetDirectories(root).OrderByDescending(d => d, StringComparer.Ordinal))
            {
                var bin = Path.Combine(version, "bin");
                if (File.Exists(Path.Combine(bin, "initdb")))
                {
                    return bin;
                }
            }
        }

        throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql: run ./test.sh, which installs the Debian package 'postgresql'.");
    }
}

/// <summary>xunit fixture: one PostgreSQL cluster per test collection.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("PostgreSQL not started");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
