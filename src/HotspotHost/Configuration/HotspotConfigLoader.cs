using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.FirmwareBridge.Radio;
using Microsoft.Extensions.Configuration;

namespace DePin.Wireless.HotspotHost.Configuration;

/// <summary>Configuration that cannot be used; the message names every offending option.</summary>
public sealed class HotspotConfigException : Exception
{
    public HotspotConfigException(string message)
        : base(message)
    {
    }

    public HotspotConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HotspotConfigException()
    {
    }
}

/// <summary>Reads <see cref="HotspotOptions"/> from a JSON file and <c>DEPIN_HOTSPOT__*</c> environment variables, then validates.</summary>
public static class HotspotConfigLoader
{
    public const string EnvironmentPrefix = "DEPIN_HOTSPOT__";

    /// <summary>Loads and validates; environment variables override the file. <paramref name="environment"/> defaults to the process environment.</summary>
    public static HotspotOptions Load(string? jsonPath, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var builder = new ConfigurationBuilder();
        if (jsonPath is not null)
        {
            if (!File.Exists(jsonPath))
            {
                throw new HotspotConfigException($"config file {jsonPath} does not exist");
            }

            builder.AddJsonFile(Path.GetFullPath(jsonPath), optional: false, reloadOnChange: false);
        }

        if (environment is null)
        {
            builder.AddEnvironmentVariables(EnvironmentPrefix);
        }
        else
        {
            builder.AddInMemoryCollection(environment
                .Where(kv => kv.Key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
                .Select(kv => new KeyValuePair<string, string?>(kv.Key[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), kv.Value)));
        }

        IConfigurationRoot configuration;
        try
        {
            configuration = builder.Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException)
        {
            throw new HotspotConfigException($"config file {jsonPath}: {e.Message}", e);
        }

        return Bind(configuration);
    }

    public static HotspotOptions Bind(IConfiguration configuration)
    {
        var options = new HotspotOptions();
        try
        {
            configuration.Bind(options, b => b.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            throw new HotspotConfigException($"configuration: {e.Message}", e);
        }

        if (options.Radio.Board is { } boardName)
        {
            var board = BoardProfiles.Find(boardName)
                ?? throw new HotspotConfigException($"Radio.Board: unknown board '{boardName}'; known boards: {string.Join(", ", BoardProfiles.All.Select(b => b.Name))}");
            BoardProfiles.Apply(options.Radio, board, typeExplicit: configuration["Radio:Type"] is not null);
        }

        Validate(options);
        return options;
    }

    /// <summary>Throws <see cref="HotspotConfigException"/> listing every problem, each naming its option.</summary>
    public static void Validate(HotspotOptions options)
    {
        var problems = Problems(options).ToList();
        if (problems.Count > 0)
        {
            throw new HotspotConfigException("invalid hotspot configuration:\n  " + string.Join("\n  ", problems));
        }
    }

    public static IEnumerable<string> Problems(HotspotOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.KeyFile))
            yield return "KeyFile: must name the hotspot key file";
        if (string.IsNullOrWhiteSpace(o.DataDirectory))
            yield return "DataDirectory: must be a directory path";
        if (!RegionPlans.IsKnown(o.Region))
            yield return $"Region: unknown region '{o.Region}'; valid: {string.Join(", ", RegionPlans.Names)}";
        foreach (var (name, url) in new[] { ("NetworkServerUrl", o.NetworkServerUrl), ("OracleUrl", o.OracleUrl) })
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                yield return $"{name}: '{url}' is not an absolute http(s) URL";
        }

        if (o.Beaconing.Enabled && string.IsNullOrWhiteSpace(o.OraclePublicKey))
            yield return "OraclePublicKey: required when Beaconing.Enabled (the address of the key that signs entropy)";
        else if (o.OraclePublicKey is { Length: > 0 } oracle && !PublicKey.TryParseAddress(oracle, out _, out var keyProblem))
            yield return $"OraclePublicKey: {keyProblem}";
        if (double.IsNaN(o.AntennaGainDbi) || o.AntennaGainDbi is < -10 or > 20)
            yield return $"AntennaGainDbi: {o.AntennaGainDbi} is outside -10..20 dBi";
        if (!System.Net.IPAddress.TryParse(o.StatusAddress, out var statusIp) || !System.Net.IPAddress.IsLoopback(statusIp))
            yield return $"StatusAddress: '{o.StatusAddress}' must be a loopback IP address (the status port is local only)";
        if (o.StatusPort is < 0 or > 65_535)
            yield return $"StatusPort: {o.StatusPort} is not a port number 0..65535";
        if (o.ServiceTimeout <= TimeSpan.Zero)
            yield return "ServiceTimeout: must be positive";
        if (o.Services.Authentication?.Trim().ToLowerInvariant() is not ("session" or "envelope"))
            yield return $"Services.Authentication: '{o.Services.Authentication}' is not 'session' or 'envelope'";
        foreach (var p in ForwardingProblems(o.Forwarding))
            yield return p;
        foreach (var p in BeaconingProblems(o.Beaconing))
            yield return p;
        foreach (var p in RadioProblems(o.Radio))
            yield return p;
    }

    private static IEnumerable<string> ForwardingProblems(ForwardingOptions f)
    {
        if (f.QueueCapacity < 1)
            yield return $"Forwarding.QueueCapacity: {f.QueueCapacity} must be at least 1";
        if (f.InitialRetryDelay <= TimeSpan.Zero)
            yield return "Forwarding.InitialRetryDelay: must be positive";
        if (f.MaxRetryDelay < f.InitialRetryDelay)
            yield return "Forwarding.MaxRetryDelay: must be at least Forwarding.InitialRetryDelay";
        if (f.MaxAge <= TimeSpan.Zero)
            yield return "Forwarding.MaxAge: must be positive";
        if (f.Concurrency is < 1 or > 64)
            yield return $"Forwarding.Concurrency: {f.Concurrency} must be 1..64";
    }

    private static IEnumerable<string> BeaconingProblems(BeaconingOptions b)
    {
        if (b.Interval <= TimeSpan.Zero || TimeSpan.FromDays(1).Ticks % b.Interval.Ticks != 0)
            yield return $"Beaconing.Interval: {b.Interval} must be positive and divide 24 h";
        if (b.EntropyMaxAge <= TimeSpan.Zero)
            yield return "Beaconing.EntropyMaxAge: must be positive";
        if (b.RetryDelay <= TimeSpan.Zero)
            yield return "Beaconing.RetryDelay: must be positive";
    }

    private static IEnumerable<string> RadioProblems(RadioOptions r)
    {
        switch (r.Type)
        {
            case RadioKind.Gwmp:
                if (!System.Net.IPAddress.TryParse(r.ListenAddress, out _))
                    yield return $"Radio.ListenAddress: '{r.ListenAddress}' is not an IP address";
                if (r.Port is < 0 or > 65_535)
                    yield return $"Radio.Port: {r.Port} is not a UDP port 0..65535";
                if (r.GatewayEui is { Length: > 0 } eui && !Eui64.TryParse(eui, null, out _))
                    yield return $"Radio.GatewayEui: '{eui}' is not a 16-hex-digit EUI-64";
                break;
            case RadioKind.Sx1262:
            case RadioKind.Sx1276:
                if (string.IsNullOrWhiteSpace(r.SpiDevice))
                    yield return $"Radio.SpiDevice: required for {r.Type} (e.g. /dev/spidev0.0), or set Radio.Board";
                if (r.ResetPin is not >= 0)
                    yield return $"Radio.ResetPin: required for {r.Type} (BCM GPIO wired to NRESET)";
                if (r.IrqPin is not >= 0)
                    yield return $"Radio.IrqPin: required for {r.Type} (BCM GPIO of {(r.Type == RadioKind.Sx1262 ? "DIO1" : "DIO0")})";
                if (r.Type == RadioKind.Sx1262 && r.BusyPin is not >= 0)
                    yield return "Radio.BusyPin: required for Sx1262 (BCM GPIO wired to BUSY)";
                if (r.TcxoVoltageCode is < 0 or > 7)
                    yield return $"Radio.TcxoVoltageCode: {r.TcxoVoltageCode} must be 0..7";
                if (r.ReceiveDataRate is { } dr && !LoRaModulation.TryParse(dr, out _))
                    yield return $"Radio.ReceiveDataRate: '{dr}' is not a LoRa data rate like SF7BW125";
                break;
            case RadioKind.Simulated:
                break;
            default:
                yield return $"Radio.Type: {r.Type} is not one of gwmp, sx1262, sx1276, simulated";
                break;
        }
    }
}
