using Microsoft.Extensions.Configuration;

namespace DePin.Wireless.CoverageOracle.Service;

/// <summary>
/// Settings of <c>serve</c>, bound from a JSON file and then environment variables prefixed
/// <c>COVERAGE_ORACLE_</c> (e.g. <c>COVERAGE_ORACLE_Port=8090</c>), which win.
/// </summary>
public sealed class OracleOptions
{
    public const string EnvironmentPrefix = "COVERAGE_ORACLE_";

    /// <summary>Loopback by default: the oracle is put behind a reverse proxy to be reachable from outside.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 8090;

    /// <summary>Where report files go: beacon_report.*, witness_report.*, entropy.* (gzip, rolled every 5 min).</summary>
    public string ReportsDirectory { get; set; } = "reports";

    /// <summary>The oracle's signing key (KeyFile format); created with mode 0600 when missing.</summary>
    public string OracleKeyFile { get; set; } = "oracle.key";

    /// <summary>Registry snapshot JSON (see RegistryFile); used when <see cref="DatabaseConnectionString"/> is empty.</summary>
    public string? RegistryFile { get; set; }

    /// <summary>PostgreSQL connection string of the hotspot registry.</summary>
    public string? DatabaseConnectionString { get; set; }

    /// <summary>Ethereum JSON-RPC endpoint whose latest block hash seeds entropy; empty = CSPRNG.</summary>
    public string? ChainRpcUrl { get; set; }

    /// <summary>Helium: a new entropy every 60 s.</summary>
    public int EntropyIntervalSeconds { get; set; } = 60;

    /// <summary>Helium ENTROPY_LIFESPAN: 180 s.</summary>
    public int EntropyLifespanSeconds { get; set; } = 180;

    /// <summary>Oldest envelope accepted (s); also how long nonces are remembered.</summary>
    public int EnvelopeMaxAgeSeconds { get; set; } = 300;

    public int EnvelopeMaxFutureSkewSeconds { get; set; } = 30;

    /// <summary>Largest report body accepted (bytes); a report is a few hundred bytes.</summary>
    public int MaxBodyBytes { get; set; } = 16 * 1024;

    public int ReplayGuardCapacity { get; set; } = 1_000_000;

    public static OracleOptions Load(string? jsonFile)
    {
        var builder = new ConfigurationBuilder();
        if (jsonFile is not null)
        {
            if (!File.Exists(jsonFile))
            {
                throw new FileNotFoundException($"--config: {jsonFile} does not exist", jsonFile);
            }

            builder.AddJsonFile(Path.GetFullPath(jsonFile), optional: false);
        }

        var options = new OracleOptions();
        builder.AddEnvironmentVariables(EnvironmentPrefix).Build().Bind(options);
        options.Validate();
        return options;
    }

    public void Validate()
    {
        Require(Port is > 0 and < 65536, $"Port: {Port} is not a TCP port");
        Require(!string.IsNullOrWhiteSpace(ReportsDirectory), "ReportsDirectory: must be set");
        Require(!string.IsNullOrWhiteSpace(OracleKeyFile), "OracleKeyFile: must be set");
        Require(!string.IsNullOrWhiteSpace(RegistryFile) || !string.IsNullOrWhiteSpace(DatabaseConnectionString), "RegistryFile or DatabaseConnectionString: one must be set");
        Require(EntropyIntervalSeconds > 0 && EntropyLifespanSeconds >= EntropyIntervalSeconds, "EntropyIntervalSeconds/EntropyLifespanSeconds: need 0 < interval <= lifespan");
        Require(EnvelopeMaxAgeSeconds > 0 && EnvelopeMaxFutureSkewSeconds >= 0, "EnvelopeMaxAgeSeconds must be positive and EnvelopeMaxFutureSkewSeconds not negative");
        Require(MaxBodyBytes >= 256, $"MaxBodyBytes: {MaxBodyBytes} is too small for a report");
        Require(ReplayGuardCapacity > 0, "ReplayGuardCapacity: must be positive");
        Require(ChainRpcUrl is null or "" || Uri.TryCreate(ChainRpcUrl, UriKind.Absolute, out _), $"ChainRpcUrl: \"{ChainRpcUrl}\" is not an absolute URL");
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException(problem);
        }
    }
}
