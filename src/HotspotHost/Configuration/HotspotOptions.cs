using DePin.Wireless.HotspotHost.Forwarding;

namespace DePin.Wireless.HotspotHost.Configuration;

/// <summary>Which radio the daemon drives.</summary>
public enum RadioKind
{
    /// <summary>A concentrator behind a Semtech packet forwarder (lora_pkt_fwd) speaking GWMP to us.</summary>
    Gwmp,

    /// <summary>An SX1262 module on the Pi's SPI bus.</summary>
    Sx1262,

    /// <summary>An SX1276 (RFM95W) module on the Pi's SPI bus.</summary>
    Sx1276,

    /// <summary>An <see cref="FirmwareBridge.Radio.IRadio"/> handed in by the host process (the devnet's simulated air).</summary>
    Simulated,
}

/// <summary>
/// Everything the daemon reads from its JSON file (section-less, top level) and from environment variables
/// <c>DEPIN_HOTSPOT__&lt;Name&gt;</c> (nested names joined by <c>__</c>, e.g. <c>DEPIN_HOTSPOT__Radio__Port</c>).
/// Defaults are documented in src/HotspotHost/README.md.
/// </summary>
public sealed class HotspotOptions
{
    /// <summary>Key file; relative paths are taken under <see cref="DataDirectory"/>.</summary>
    public string KeyFile { get; set; } = "hotspot.key";

    /// <summary>LoRaWAN region plan name (EU868, US915, AU915, AS923-1, KR920, IN865).</summary>
    public string Region { get; set; } = "EU868";

    public RadioOptions Radio { get; set; } = new();

    /// <summary>Base URL of the network server (POST {url}/v1/packet-reports).</summary>
    public string NetworkServerUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Base URL of the coverage oracle (entropy, beacon and witness reports).</summary>
    public string OracleUrl { get; set; } = "http://127.0.0.1:8081";

    /// <summary>Address (base58) of the oracle key that signs entropy; required when beaconing is on.</summary>
    public string? OraclePublicKey { get; set; }

    /// <summary>Gain of the antenna in dBi; the beacon's conducted power is the region's max EIRP minus this.</summary>
    public double AntennaGainDbi { get; set; }

    /// <summary>Directory for the key file and other state.</summary>
    public string DataDirectory { get; set; } = "/var/lib/depin-hotspot";

    /// <summary>Loopback address of the /metrics, /healthz and /status endpoints.</summary>
    public string StatusAddress { get; set; } = "127.0.0.1";

    /// <summary>Port of the status endpoints (0 picks a free port).</summary>
    public int StatusPort { get; set; } = 4468;

    /// <summary>Timeout of one HTTP request to a service.</summary>
    public TimeSpan ServiceTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public ForwardingOptions Forwarding { get; set; } = new();

    public BeaconingOptions Beaconing { get; set; } = new();

    public ServicesOptions Services { get; set; } = new();

    /// <summary>The key file's full path.</summary>
    public string KeyFilePath => Path.IsPathRooted(KeyFile) ? KeyFile : Path.Combine(DataDirectory, KeyFile);
}

/// <summary>How the hotspot talks to the network server and the coverage oracle.</summary>
public sealed class ServicesOptions
{
    /// <summary>
    /// "session" (default): one signed handshake per service (POST /v1/sessions), then an HMAC-SHA256 tag per report
    /// (~1 µs instead of an Ed25519 signature); "envelope": every report signed (the services accept both).
    /// </summary>
    public string Authentication { get; set; } = "session";

    /// <summary>The parsed <see cref="Authentication"/>; the loader refuses other values naming the option.</summary>
    public Services.ReportAuthentication ParsedAuthentication => Authentication.Trim().ToLowerInvariant() switch
    {
        "session" => Services.ReportAuthentication.Session,
        "envelope" => Services.ReportAuthentication.Envelope,
        _ => throw new ArgumentException($"Services.Authentication: '{Authentication}' is not 'session' or 'envelope'"),
    };
}

/// <summary>Radio selection and wiring.</summary>
public sealed class RadioOptions
{
    public RadioKind Type { get; set; } = RadioKind.Gwmp;

    /// <summary>Board profile (rak2287, sensecap-m1, generic-sx1262, rfm95-bonnet): fills type and wiring; explicit values win.</summary>
    public string? Board { get; set; }

    /// <summary>GWMP: address the packet forwarder sends to.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>GWMP: UDP port (lora_pkt_fwd serv_port_up/serv_port_down).</summary>
    public int Port { get; set; } = 1680;

    /// <summary>GWMP: gateway EUI of the concentrator (hex); empty = whichever forwarder sends keep-alives.</summary>
    public string? GatewayEui { get; set; }

    /// <summary>SX1262/SX1276: spidev node.</summary>
    public string? SpiDevice { get; set; }

    /// <summary>SX1262/SX1276: GPIO chip of the header.</summary>
    public string GpioChip { get; set; } = "/dev/gpiochip0";

    /// <summary>SX1262/SX1276: BCM pin wired to NRESET.</summary>
    public int? ResetPin { get; set; }

    /// <summary>SX1262: BCM pin wired to BUSY.</summary>
    public int? BusyPin { get; set; }

    /// <summary>SX1262: DIO1; SX1276: DIO0 — the IRQ line.</summary>
    public int? IrqPin { get; set; }

    /// <summary>Optional BCM pin powering the module (held high while running); null = none.</summary>
    public int? PowerPin { get; set; }

    /// <summary>SX1262: TCXO voltage code 0..7 for modules with a TCXO on DIO3; null = crystal.</summary>
    public int? TcxoVoltageCode { get; set; }

    /// <summary>SX1262/SX1276: frequency the single-channel radio listens on; null = the region's first uplink channel.</summary>
    public long? ReceiveFrequencyHz { get; set; }

    /// <summary>SX1262/SX1276: data rate listened for, e.g. SF7BW125; null = the region's beacon data rate (so beacons are heard).</summary>
    public string? ReceiveDataRate { get; set; }
}

/// <summary>How packet reports reach the network server.</summary>
public sealed class ForwardingOptions
{
    public int QueueCapacity { get; set; } = 10_000;

    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Reports older than this are dropped rather than retried.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Requests in flight at once.</summary>
    public int Concurrency { get; set; } = 4;

    public ForwardQueueOptions ToQueueOptions() => new()
    {
        Capacity = QueueCapacity,
        InitialRetryDelay = InitialRetryDelay,
        MaxRetryDelay = MaxRetryDelay,
        MaxAge = MaxAge,
    };
}

/// <summary>Proof-of-coverage beaconing.</summary>
public sealed class BeaconingOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>One beacon per window of this length (must divide 24 h).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Entropy older than this is refused (the oracle publishes every 60 s, valid 180 s).</summary>
    public TimeSpan EntropyMaxAge { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>Wait after a failed beacon attempt before choosing a new moment.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);
}
