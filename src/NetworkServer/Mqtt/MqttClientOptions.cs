namespace DePin.Wireless.NetworkServer.Mqtt;

/// <summary>Everything <see cref="MqttClient"/> needs to reach and stay connected to a broker.</summary>
public sealed class MqttClientOptions
{
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>1883 for plain TCP, 8883 conventionally for TLS.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Client identifier; must be stable across restarts for a persistent session (CleanSession = false).</summary>
    public string ClientId { get; set; } = "";

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>True: the broker discards the session on connect. False: subscriptions and queued QoS 1 messages survive disconnects.</summary>
    public bool CleanSession { get; set; } = true;

    /// <summary>MQTT keep-alive; a PINGREQ is sent when nothing else was sent for this long. Zero disables keep-alive.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for PINGRESP before declaring the connection dead and reconnecting.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Upper bound for TCP/TLS connect plus CONNECT/CONNACK.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public MqttWill? Will { get; set; }

    /// <summary>Null: plain TCP. Set: TLS via SslStream.</summary>
    public MqttTlsOptions? Tls { get; set; }

    public MqttReconnectOptions Reconnect { get; set; } = new();

    /// <summary>Incoming packets larger than this close the connection (protects memory against a hostile broker).</summary>
    public int MaxIncomingPacketSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>Throws with the field name when a value cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host)) throw new ArgumentException("MqttClientOptions.Host must be set", nameof(Host));
        if (Port is < 1 or > 65535) throw new ArgumentException($"MqttClientOptions.Port {Port} is outside 1..65535", nameof(Port));
        if (string.IsNullOrEmpty(ClientId)) throw new ArgumentException("MqttClientOptions.ClientId must be set (MQTT 3.1.1 needs one for persistent sessions and for the broker's logs)", nameof(ClientId));
        if (System.Text.Encoding.UTF8.GetByteCount(ClientId) > 65535) throw new ArgumentException("MqttClientOptions.ClientId is longer than 65535 UTF-8 bytes", nameof(ClientId));
        if (Password is not null && UserName is null) throw new ArgumentException("MqttClientOptions.Password requires UserName (MQTT 3.1.1 section 3.1.2.9)", nameof(Password));
        if (KeepAlive < TimeSpan.Zero || KeepAlive.TotalSeconds > ushort.MaxValue) throw new ArgumentException($"MqttClientOptions.KeepAlive {KeepAlive} is outside 0..65535 s", nameof(KeepAlive));
        if (KeepAlive > TimeSpan.Zero && KeepAlive < TimeSpan.FromSeconds(1)) throw new ArgumentException("MqttClientOptions.KeepAlive is sent in whole seconds; use at least 1 s or zero", nameof(KeepAlive));
        if (PingTimeout <= TimeSpan.Zero) throw new ArgumentException("MqttClientOptions.PingTimeout must be positive", nameof(PingTimeout));
        if (ConnectTimeout <= TimeSpan.Zero) throw new ArgumentException("MqttClientOptions.ConnectTimeout must be positive", nameof(ConnectTimeout));
        if (MaxIncomingPacketSize < 16) throw new ArgumentException("MqttClientOptions.MaxIncomingPacketSize must be at least 16 bytes", nameof(MaxIncomingPacketSize));
        Reconnect.Validate();
    }
}

/// <summary>TLS settings. Certificate verification is on unless <see cref="AllowUntrustedCertificates"/> is set (tests only).</summary>
public sealed class MqttTlsOptions
{
    /// <summary>Name checked against the broker certificate; defaults to <see cref="MqttClientOptions.Host"/>.</summary>
    public string? TargetHost { get; set; }

    /// <summary>PEM file of the CA that signed the broker certificate (a private CA); null uses the system trust store.</summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>Skips certificate verification entirely. Off by default; never enable in production.</summary>
    public bool AllowUntrustedCertificates { get; set; }
}

/// <summary>Exponential reconnect backoff: InitialDelay, doubling per failed attempt, capped at MaxDelay, with +/- jitter.</summary>
public sealed class MqttReconnectOptions
{
    public bool Enabled { get; set; } = true;

    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Fraction (0..1) by which each delay is randomly stretched or shrunk, so many clients do not reconnect in lockstep.</summary>
    public double JitterFraction { get; set; } = 0.2;

    public void Validate()
    {
        if (InitialDelay <= TimeSpan.Zero) throw new ArgumentException("MqttReconnectOptions.InitialDelay must be positive", nameof(InitialDelay));
        if (MaxDelay < InitialDelay) throw new ArgumentException("MqttReconnectOptions.MaxDelay must be >= InitialDelay", nameof(MaxDelay));
        if (JitterFraction is < 0 or > 1 || double.IsNaN(JitterFraction)) throw new ArgumentException("MqttReconnectOptions.JitterFraction must be within 0..1", nameof(JitterFraction));
    }
}
