using System.Collections.Concurrent;
using System.Net;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>Settings of <see cref="GwmpServer"/>.</summary>
public sealed class GwmpServerOptions
{
    /// <summary>Address to listen on; helium gateway-rs listens on 127.0.0.1 (config/settings.toml).</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>UDP port; 1680 is the packet forwarder's default server port. 0 picks a free port.</summary>
    public int Port { get; set; } = 1680;

    /// <summary>A gateway without PULL_DATA for this long is considered gone; downlinks to it fail.</summary>
    public TimeSpan GatewayExpiry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for the TX_ACK of a PULL_RESP (helium gateway-rs DOWNLINK_TIMEOUT is 5 s).</summary>
    public TimeSpan DownlinkAckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Received packets waiting for a consumer; beyond this, uplinks are dropped and counted.</summary>
    public int UplinkQueueCapacity { get; set; } = 4096;

    /// <summary>Malformed-datagram reports waiting for a consumer; the oldest are dropped first.</summary>
    public int ErrorQueueCapacity { get; set; } = 1024;
}

/// <summary>One rxpk element received in a PUSH_DATA.</summary>
public sealed record ReceivedUplink(Eui64 Gateway, IPEndPoint Source, RxPacket Packet, DateTimeOffset ReceivedAt, byte ProtocolVersion);

/// <summary>A datagram that was rejected (and not acknowledged).</summary>
public sealed record MalformedDatagram(IPEndPoint Source, GwmpDecodeError Error, int Length, DateTimeOffset ReceivedAt);

/// <summary>The latest <c>stat</c> object of a gateway.</summary>
public sealed record GatewayStatusReport(Eui64 Gateway, GatewayStatus Status, DateTimeOffset ReceivedAt);

/// <summary>Thrown when a downlink targets a gateway without a current PULL_DATA keep-alive.</summary>
public sealed class GatewayNotConnectedException : InvalidOperationException
{
    public GatewayNotConnectedException(Eui64 gateway, TimeSpan expiry)
        : base($"gateway {gateway} has sent no PULL_DATA in the last {expiry.TotalSeconds:0.#} s, so there is no address to send its downlink to") => Gateway = gateway;

    public GatewayNotConnectedException()
    {
    }

    public GatewayNotConnectedException(string message)
        : base(message)
    {
    }

    public GatewayNotConnectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public Eui64 Gateway { get; }
}

/// <summary>Server-wide counters; safe to read from any thread.</summary>
public sealed class GwmpServerCounters
{
    private readonly long[] _malformed = new long[Enum.GetValues<GwmpErrorKind>().Length];
    private long _datagrams;
    private long _pushData;
    private long _pullData;
    private long _txAcks;
    private long _uplinks;
    private long _uplinksDropped;
    private long _statusReports;
    private long _downlinksSent;
    private long _downlinkTimeouts;
    private long _unmatchedTxAcks;
    private long _ignored;
    private long _socketErrors;
    private long _handlerFailures;

    public long Datagrams => Interlocked.Read(ref _datagrams);

    public long PushData => Interlocked.Read(ref _pushData);

    public long PullData => Interlocked.Read(ref _pullData);

    public long TxAcks => Interlocked.Read(ref _txAcks);

    /// <summary>rxpk elements received.</summary>
    public long Uplinks => Interlocked.Read(ref _uplinks);

    /// <summary>rxpk elements dropped because the uplink queue was full.</summary>
    public long UplinksDropped => Interlocked.Read(ref _uplinksDropped);

    public long StatusReports => Interlocked.Read(ref _statusReports);

    public long DownlinksSent => Interlocked.Read(ref _downlinksSent);

    public long DownlinkTimeouts => Interlocked.Read(ref _downlinkTimeouts);

    /// <summary>TX_ACKs whose token matched no pending PULL_RESP (late or foreign).</summary>
    public long UnmatchedTxAcks => Interlocked.Read(ref _unmatchedTxAcks);

    /// <summary>Well-formed datagrams of server→gateway types (PUSH_ACK, PULL_RESP, PULL_ACK) sent to us; ignored.</summary>
    public long Ignored => Interlocked.Read(ref _ignored);

    public long SocketErrors => Interlocked.Read(ref _socketErrors);

    /// <summary>Datagrams whose handling failed unexpectedly (logged as errors; the loop continues).</summary>
    public long HandlerFailures => Interlocked.Read(ref _handlerFailures);

    public long Malformed(GwmpErrorKind kind) => Interlocked.Read(ref _malformed[(int)kind]);

    public long MalformedTotal => Enum.GetValues<GwmpErrorKind>().Sum(Malformed);

    internal void Datagram() => Interlocked.Increment(ref _datagrams);

    internal void PushDataReceived() => Interlocked.Increment(ref _pushData);

    internal void PullDataReceived() => Interlocked.Increment(ref _pullData);

    internal void TxAckReceived() => Interlocked.Increment(ref _txAcks);

    internal void Uplink() => Interlocked.Increment(ref _uplinks);

    internal void UplinkDropped() => Interlocked.Increment(ref _uplinksDropped);

    internal void StatusReport() => Interlocked.Increment(ref _statusReports);

    internal void DownlinkSent() => Interlocked.Increment(ref _downlinksSent);

    internal void DownlinkTimeout() => Interlocked.Increment(ref _downlinkTimeouts);

    internal void UnmatchedTxAck() => Interlocked.Increment(ref _unmatchedTxAcks);

    internal void IgnoredDatagram() => Interlocked.Increment(ref _ignored);

    internal void SocketError() => Interlocked.Increment(ref _socketErrors);

    internal void HandlerFailure() => Interlocked.Increment(ref _handlerFailures);

    internal void MalformedDatagram(GwmpErrorKind kind) => Interlocked.Increment(ref _malformed[(int)kind]);
}

/// <summary>Traffic seen from one gateway.</summary>
public sealed class GatewayActivity(Eui64 gateway)
{
    private long _pushData;
    private long _uplinks;
    private long _pullData;
    private long _lastSeenTicks;

    public Eui64 Gateway { get; } = gateway;

    public long PushData => Interlocked.Read(ref _pushData);

    public long Uplinks => Interlocked.Read(ref _uplinks);

    public long PullData => Interlocked.Read(ref _pullData);

    public DateTimeOffset LastSeen => new(Interlocked.Read(ref _lastSeenTicks), TimeSpan.Zero);

    internal void SawPushData(int packets, DateTimeOffset now)
    {
        Interlocked.Increment(ref _pushData);
        Interlocked.Add(ref _uplinks, packets);
        Interlocked.Exchange(ref _lastSeenTicks, now.UtcTicks);
    }

    internal void SawPullData(DateTimeOffset now)
    {
        Interlocked.Increment(ref _pullData);
        Interlocked.Exchange(ref _lastSeenTicks, now.UtcTicks);
    }
}

/// <summary>Per-gateway latest status and activity.</summary>
internal sealed class GatewayBook
{
    private readonly ConcurrentDictionary<Eui64, GatewayStatusReport> _status = new();
    private readonly ConcurrentDictionary<Eui64, GatewayActivity> _activity = new();

    public void RecordStatus(GatewayStatusReport report) => _status[report.Gateway] = report;

    public GatewayActivity Activity(Eui64 gateway) => _activity.GetOrAdd(gateway, static g => new GatewayActivity(g));

    public bool TryGetStatus(Eui64 gateway, out GatewayStatusReport? report) => _status.TryGetValue(gateway, out report);

    public IReadOnlyList<GatewayStatusReport> Statuses() => [.. _status.Values];

    public IReadOnlyList<GatewayActivity> Activities() => [.. _activity.Values];
}
