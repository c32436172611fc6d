using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.LoRaWan;
using Microsoft.Extensions.Configuration;

namespace DePin.Wireless.NetworkServer.Server;

/// <summary>
/// Configuration of `serve`, bound from a JSON file and then environment variables prefixed NETWORKSERVER_
/// (nested keys with a double underscore, e.g. NETWORKSERVER_Mqtt__Password). See README.md for the table.
/// </summary>
public sealed class NetworkServerOptions
{
    public const string EnvironmentPrefix = "NETWORKSERVER_";

    /// <summary>Address to bind. Loopback by default: put a TLS reverse proxy in front for remote hotspots.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 8700;

    /// <summary>PostgreSQL connection string; empty keeps everything in memory (lost on exit).</summary>
    public string? Database { get; set; }

    /// <summary>Base URL of the DataCredits service (POST {url}/v1/charge). Required.</summary>
    public string? DataCreditsUrl { get; set; }

    public int DataCreditsTimeoutMs { get; set; } = 2000;

    /// <summary>NetID in join accepts (6 hex digits).</summary>
    public string NetId { get; set; } = "000000";

    /// <summary>RX1 delay given to joining devices, seconds.</summary>
    public int RxDelaySeconds { get; set; } = 1;

    /// <summary>"Strict" or "AllowResetOnZero" (ABP devices without persistent counters).</summary>
    public string FrameCounterPolicy { get; set; } = "Strict";

    public int DedupWindowMs { get; set; } = 200;

    /// <summary>Maximum age of a hotspot's signed packet report.</summary>
    public int EnvelopeMaxAgeSeconds { get; set; } = 300;

    /// <summary>Session v1 (POST /v1/sessions): how long a hotspot's session lives (s). Default 86400 (24 h).</summary>
    public int SessionTtlSeconds { get; set; } = 86_400;

    /// <summary>Sessions held in memory at once; when full the oldest is forgotten (its hotspot re-opens on 401). Default 100000.</summary>
    public int MaxSessions { get; set; } = 100_000;

    /// <summary>Sessions one hotspot may hold at once; opening more forgets its oldest. Default 4.</summary>
    public int MaxSessionsPerHotspot { get; set; } = 4;

    /// <summary>How often organisations (routes) are reloaded from the database, so `org add` from the CLI takes effect.</summary>
    public int RouteRefreshSeconds { get; set; } = 30;

    /// <summary>
    /// A confirmed downlink not settled by an uplink within this time gets an ack event with acknowledged false
    /// (a class A device answers with its next uplink, so this is long by default: one day).
    /// </summary>
    public int ConfirmedDownlinkTimeoutSeconds { get; set; } = 86_400;

    /// <summary>Ask each device for its status (DevStatusReq → status event) once every this many uplinks; 0 never.</summary>
    public uint DevStatusRequestEveryUplinks { get; set; } = 100;

    /// <summary>Downlinks go only in RX2 when the RX1 data rate would be below this index (ChirpStack <c>rx2_prefer_on_rx1_dr_lt</c>); 0 never.</summary>
    public int Rx2PreferOnRx1DataRateBelow { get; set; }

    public MqttIntegrationOptions Mqtt { get; set; } = new();

    public static NetworkServerOptions Load(string? configFile, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new OptionsException("--config", $"file '{configFile}' does not exist");
            }

            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        var options = new NetworkServerOptions();
        try
        {
            builder.Build().Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsException("config", e.Message);
        }

        options.Validate();
        return options;
    }

    public void Validate()
    {
        if (!System.Net.IPAddress.TryParse(ListenAddress, out _))
        {
            throw new OptionsException(nameof(ListenAddress), $"'{ListenAddress}' is not an IP address");
        }

        if (Port is < 0 or > 65535)
        {
            throw new OptionsException(nameof(Port), $"{Port} is not 0..65535");
        }

        if (!Uri.TryCreate(DataCreditsUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new OptionsException(nameof(DataCreditsUrl), DataCreditsUrl is null ? "required (base URL of the DataCredits service)" : $"'{DataCreditsUrl}' is not an http(s) URL");
        }

        _ = ParsedNetId;
        _ = ParsedFrameCounterPolicy;
        if (RxDelaySeconds is < 1 or > 15)
        {
            throw new OptionsException(nameof(RxDelaySeconds), $"{RxDelaySeconds} is not 1..15");
        }

        if (DedupWindowMs is < 1 or > 10_000)
        {
            throw new OptionsException(nameof(DedupWindowMs), $"{DedupWindowMs} is not 1..10000");
        }

        if (Rx2PreferOnRx1DataRateBelow is < 0 or > 15)
        {
            throw new OptionsException(nameof(Rx2PreferOnRx1DataRateBelow), $"{Rx2PreferOnRx1DataRateBelow} is not a data rate index 0..15 (0 = never prefer RX2)");
        }

        if (ConfirmedDownlinkTimeoutSeconds < 1)
        {
            throw new OptionsException(nameof(ConfirmedDownlinkTimeoutSeconds), $"{ConfirmedDownlinkTimeoutSeconds} is not a positive number of seconds");
        }

        if (SessionTtlSeconds < 1)
        {
            throw new OptionsException(nameof(SessionTtlSeconds), $"{SessionTtlSeconds} is not a positive number of seconds");
        }

        if (MaxSessions < 1 || MaxSessionsPerHotspot < 1)
        {
            throw new OptionsException(MaxSessions < 1 ? nameof(MaxSessions) : nameof(MaxSessionsPerHotspot), $"{Math.Min(MaxSessions, MaxSessionsPerHotspot)} is not a positive number of sessions");
        }

        if (Mqtt.Enabled && string.IsNullOrWhiteSpace(Mqtt.Host))
        {
            throw new OptionsException("Mqtt:Host", "required when Mqtt:Enabled is true");
        }
    }

    public NetId ParsedNetId => Core.Primitives.NetId.TryParse(NetId, out var id, out var problem) ? id : throw new OptionsException(nameof(NetId), problem ?? "not 6 hex digits");

    public FrameCounterResetPolicy ParsedFrameCounterPolicy => Enum.TryParse<FrameCounterResetPolicy>(FrameCounterPolicy, ignoreCase: true, out var policy)
        ? policy
        : throw new OptionsException(nameof(FrameCounterPolicy), $"'{FrameCounterPolicy}' is not Strict or AllowResetOnZero");
}

public sealed class MqttIntegrationOptions
{
    public bool Enabled { get; set; }

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string ClientId { get; set; } = "network-server";
}

/// <summary>A configuration value is missing or wrong; names the option.</summary>
public sealed class OptionsException(string option, string problem) : Exception($"{option}: {problem}")
{
    public string Option { get; } = option;
}
