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

    /// <summary>Session v1 (POST /v1/sessions): how long a hotspot's session lives (s). Default 86400 (24 h).</summary>
    public int SessionTtlSeconds { get; set; } = 86_400;

    /// <summary>Sessions held in memory at once; when full the oldest is forgotten (its hotspot re-opens on 401). Default 100000.</summary>
    public int MaxSessions { get; set; } = 100_000;

    /// <summary>Sessions one hotspot may hold at once; opening more forgets its oldest. Default 4.</summary>
    public int MaxSessionsPerHotspot { get; set; } = 4;

    /// <summary>Signed denylist file (<c>denylist sign</c>); reloaded when it changes. Empty: only the registry file's denylist.</summary>
    public string? DenylistFile { get; set; }

    /// <summary>Address (base58) of the denylist authority key that must have signed <see cref="DenylistFile"/>.</summary>
    public string? DenylistKey { get; set; }

    /// <summary>How often the denylist file is checked for changes.</summary>
    public int DenylistPollSeconds { get; set; } = 10;

    /// <summary>Verify settled windows, close epochs and publish them into the map while serving.</summary>
    public bool Verify { get; set; } = true;

    /// <summary>Verified window length (the store's 5-minute roll); must divide 24 h.</summary>
    public int VerifyWindowSeconds { get; set; } = 300;

    /// <summary>Delay after a window's end before it is verified: witness lag 4 s + entropy lifespan 180 s + slack.</summary>
    public int VerifySettleSeconds { get; set; } = 200;

    public int VerifyPollSeconds { get; set; } = 10;

    /// <summary>Devnet: treat every asserted hotspot as reciprocal when verification starts (a new network has no history).</summary>
    public bool BootstrapReciprocity { get; set; }

    /// <summary>Base units emitted to hotspots per epoch (100,000 tokens of 10^8).</summary>
    public string EpochEmission { get; set; } = "10000000000000";

    /// <summary>DataCredits base URL serving GET /v1/shares?epoch=E; empty: data-transfer shares are zero.</summary>
    public string? DataCreditsUrl { get; set; }

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
        Require(SessionTtlSeconds > 0, $"SessionTtlSeconds: {SessionTtlSeconds} must be positive");
        Require(MaxSessions > 0, $"MaxSessions: {MaxSessions} must be positive");
        Require(MaxSessionsPerHotspot > 0, $"MaxSessionsPerHotspot: {MaxSessionsPerHotspot} must be positive");
        Require(string.IsNullOrWhiteSpace(DenylistFile) || !string.IsNullOrWhiteSpace(DenylistKey), "DenylistKey: required when DenylistFile is set");
        Require(DenylistPollSeconds > 0 && VerifyPollSeconds > 0, "DenylistPollSeconds and VerifyPollSeconds must be positive");
        Require(VerifyWindowSeconds > 0 && 86_400 % VerifyWindowSeconds == 0, $"VerifyWindowSeconds: {VerifyWindowSeconds} must be positive and divide 86400");
        Require(VerifySettleSeconds >= 0, "VerifySettleSeconds: must not be negative");
        Require(System.Numerics.BigInteger.TryParse(EpochEmission, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _), $"EpochEmission: \"{EpochEmission}\" is not a whole number of base units");
        Require(DataCreditsUrl is null or "" || Uri.TryCreate(DataCreditsUrl, UriKind.Absolute, out _), $"DataCreditsUrl: \"{DataCreditsUrl}\" is not an absolute URL");
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
