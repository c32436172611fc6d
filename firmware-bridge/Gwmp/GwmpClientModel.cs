using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>Settings of <see cref="GwmpClient"/>, named after lora_pkt_fwd's global_conf.json "gateway_conf".</summary>
public sealed class GwmpClientOptions
{
    public Eui64 Gateway { get; set; }

    public string ServerAddress { get; set; } = "127.0.0.1";

    public int ServerPort { get; set; } = 1680;

    /// <summary>
    /// PULL_DATA period ("keepalive_interval"; lora_pkt_fwd default 5 s, configs often use 10 s).
    /// <see cref="TimeSpan.Zero"/> turns automatic keep-alives off (send them with <see cref="GwmpClient.PullAsync"/>).
    /// </summary>
    public TimeSpan KeepaliveInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait for PUSH_ACK / PULL_ACK ("push_timeout_ms"; lora_pkt_fwd default 100 ms).</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Extra sends of an unacknowledged PUSH_DATA. lora_pkt_fwd never retransmits (ACKs only measure the link),
    /// so the default 0 is faithful; a retry resends the same datagram, which a server sees as a duplicate.
    /// </summary>
    public int PushRetries { get; set; }

    /// <summary>Period of PUSH_DATA <c>stat</c> reports ("stat_interval"; lora_pkt_fwd default 30 s). Zero (the default here) sends none.</summary>
    public TimeSpan StatusInterval { get; set; }

    /// <summary>Fixed position reported in <c>stat</c> (lora_pkt_fwd "fake_gps"/"ref_latitude"…); null leaves the fields out.</summary>
    public double? Latitude { get; set; }

    public double? Longitude { get; set; }

    public int? Altitude { get; set; }
}

/// <summary>Decides the TX_ACK for a received PULL_RESP, e.g. a simulated concentrator that is too late.</summary>
public delegate ValueTask<TxAck> DownlinkHandler(TxPacket txpk, CancellationToken cancellationToken);

/// <summary>A PULL_RESP the client received and the TX_ACK it answered.</summary>
public sealed record ReceivedDownlink(GwmpToken Token, TxPacket Packet, TxAck Answer, DateTimeOffset ReceivedAt);

/// <summary>Result of one PUSH_DATA: whether a PUSH_ACK came back, after how many sends.</summary>
public readonly record struct PushOutcome(bool Acknowledged, int Attempts, GwmpToken Token);

/// <summary>Upstream/downstream counters of a <see cref="GwmpClient"/> (what lora_pkt_fwd reports in its statistics).</summary>
public sealed class GwmpClientCounters
{
    private long _pushSent;
    private long _pushAcked;
    private long _pushRetried;
    private long _pushTimedOut;
    private long _pullSent;
    private long _pullAcked;
    private long _downlinks;
    private long _txAcks;
    private long _malformed;
    private long _unexpectedAcks;
    private long _rxForwarded;
    private long _rxCrcOk;
    private long _txEmitted;
    private long _statusSent;

    /// <summary>PUSH_DATA datagrams sent, retries included.</summary>
    public long PushSent => Interlocked.Read(ref _pushSent);

    public long PushAcked => Interlocked.Read(ref _pushAcked);

    public long PushRetried => Interlocked.Read(ref _pushRetried);

    /// <summary>PUSH_DATA given up after all retries without a PUSH_ACK.</summary>
    public long PushTimedOut => Interlocked.Read(ref _pushTimedOut);

    public long PullSent => Interlocked.Read(ref _pullSent);

    public long PullAcked => Interlocked.Read(ref _pullAcked);

    public long DownlinksReceived => Interlocked.Read(ref _downlinks);

    public long TxAcksSent => Interlocked.Read(ref _txAcks);

    /// <summary>Datagrams from the server that could not be decoded (ignored, like lora_pkt_fwd does).</summary>
    public long MalformedReceived => Interlocked.Read(ref _malformed);

    /// <summary>Acknowledgements whose token matched nothing outstanding.</summary>
    public long UnexpectedAcks => Interlocked.Read(ref _unexpectedAcks);

    /// <summary>rxpk elements sent upstream.</summary>
    public long RxForwarded => Interlocked.Read(ref _rxForwarded);

    /// <summary>rxpk elements sent upstream whose CRC was OK (stat 1).</summary>
    public long RxCrcOk => Interlocked.Read(ref _rxCrcOk);

    /// <summary>Downlinks accepted for transmission (answered with a successful TX_ACK).</summary>
    public long TxEmitted => Interlocked.Read(ref _txEmitted);

    /// <summary>PUSH_DATA datagrams carrying a <c>stat</c> object.</summary>
    public long StatusSent => Interlocked.Read(ref _statusSent);

    /// <summary>Percentage of PUSH_DATA acknowledged, as <c>stat.ackr</c> reports it.</summary>
    public double AckRatioPercent => PushSent == 0 ? 100 : 100.0 * PushAcked / PushSent;

    internal void PushSentOnce() => Interlocked.Increment(ref _pushSent);

    internal void Forwarded(IReadOnlyList<RxPacket> packets)
    {
        Interlocked.Add(ref _rxForwarded, packets.Count);
        Interlocked.Add(ref _rxCrcOk, packets.Count(p => p.CrcStatus == 1));
    }

    internal void Emitted() => Interlocked.Increment(ref _txEmitted);

    internal void StatusReported() => Interlocked.Increment(ref _statusSent);

    internal void PushAckedOnce() => Interlocked.Increment(ref _pushAcked);

    internal void PushRetry() => Interlocked.Increment(ref _pushRetried);

    internal void PushTimeout() => Interlocked.Increment(ref _pushTimedOut);

    internal void PullSentOnce() => Interlocked.Increment(ref _pullSent);

    internal void PullAckedOnce() => Interlocked.Increment(ref _pullAcked);

    internal void Downlink() => Interlocked.Increment(ref _downlinks);

    internal void TxAckSent() => Interlocked.Increment(ref _txAcks);

    internal void Malformed() => Interlocked.Increment(ref _malformed);

    internal void UnexpectedAck() => Interlocked.Increment(ref _unexpectedAcks);
}
