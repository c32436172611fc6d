using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>
/// The gateway side of the Semtech UDP protocol, standing in for lora_pkt_fwd with a concentrator: sends
/// PUSH_DATA (rxpk/stat) with random tokens and tracks PUSH_ACKs, keeps the downlink path open with PULL_DATA,
/// and answers each PULL_RESP with a TX_ACK decided by a <see cref="DownlinkHandler"/>.
/// </summary>
public sealed class GwmpClient : IDisposable
{
    private readonly Socket _socket;
    private readonly GwmpClientOptions _options;
    private readonly DownlinkHandler _onDownlink;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<GwmpToken, TaskCompletionSource> _pendingPush = new();
    private readonly ConcurrentDictionary<GwmpToken, TaskCompletionSource> _pendingPull = new();
    private readonly Channel<ReceivedDownlink> _downlinks = Channel.CreateUnbounded<ReceivedDownlink>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly GwmpDatagramBuilder _builder = new();
    private readonly object _statusGate = new();
    private StatusSnapshot _lastStatus;

    public GwmpClient(GwmpClientOptions options, DownlinkHandler? onDownlink = null, TimeProvider? time = null, Random? random = null, ILogger<GwmpClient>? logger = null)
    {
        _options = options;
        _onDownlink = onDownlink ?? ((_, _) => ValueTask.FromResult(TxAck.Ok));
        _time = time ?? TimeProvider.System;
        _random = random ?? new Random();
        _logger = logger ?? NullLogger<GwmpClient>.Instance;
        var server = new IPEndPoint(IPAddress.Parse(options.ServerAddress), options.ServerPort);
        _socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Connect(server);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public GwmpClientCounters Counters { get; } = new();

    /// <summary>Every PULL_RESP received (after its TX_ACK was sent).</summary>
    public ChannelReader<ReceivedDownlink> Downlinks => _downlinks.Reader;

    /// <summary>
    /// Receives server datagrams (which completes PUSH_ACK/PULL_ACK waits and answers PULL_RESP) and sends PULL_DATA
    /// every keep-alive interval, until cancelled. Must be running for <see cref="PushAsync"/> to see acknowledgements.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var keepalive = _options.KeepaliveInterval > TimeSpan.Zero ? KeepaliveLoopAsync(cancellationToken) : Task.CompletedTask;
            var status = _options.StatusInterval > TimeSpan.Zero ? StatusLoopAsync(cancellationToken) : Task.CompletedTask;
            await Task.WhenAll(ReceiveLoopAsync(cancellationToken), keepalive, status);
        }
        finally
        {
            _downlinks.Writer.TryComplete();
        }
    }

    /// <summary>Sends one PUSH_DATA with the given packets and/or status and waits for its PUSH_ACK (with retries per options).</summary>
    public async Task<PushOutcome> PushAsync(IReadOnlyList<RxPacket> packets, GatewayStatus? status = null, CancellationToken cancellationToken = default)
    {
        var (token, acked) = Register(_pendingPush);
        try
        {
            byte[] datagram;
            await _sendLock.WaitAsync(cancellationToken);
            try
            {
                datagram = _builder.PushData(token, _options.Gateway, packets.ToArray(), status).ToArray();
            }
            finally
            {
                _sendLock.Release();
            }

            Counters.Forwarded(packets);
            if (status is not null)
            {
                Counters.StatusReported();
            }

            for (var attempt = 1; attempt <= 1 + _options.PushRetries; attempt++)
            {
                if (attempt > 1)
                {
                    Counters.PushRetry();
                }

                if (await TrySendAsync(datagram, cancellationToken))
                {
                    Counters.PushSentOnce();
                }

                if (await WaitForAckAsync(acked.Task, cancellationToken))
                {
                    Counters.PushAckedOnce();
                    return new PushOutcome(true, attempt, token);
                }
            }

            Counters.PushTimeout();
            _logger.LogWarning("No PUSH_ACK for token {Token} after {Attempts} sends", token, 1 + _options.PushRetries);
            return new PushOutcome(false, 1 + _options.PushRetries, token);
        }
        finally
        {
            _pendingPush.TryRemove(token, out _);
        }
    }

    /// <summary>
    /// Sends a datagram; false when the kernel reports the server unreachable (an ICMP port-unreachable answer to an
    /// earlier datagram surfaces as ECONNREFUSED on a connected UDP socket). A packet forwarder keeps running while
    /// its server is down, as lora_pkt_fwd does: the attempt simply goes unacknowledged and is retried.
    /// </summary>
    private async Task<bool> TrySendAsync(byte[] datagram, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.SendAsync(datagram, SocketFlags.None, cancellationToken);
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable)
        {
            _logger.LogDebug("GWMP server unreachable ({Error}); will retry", e.SocketErrorCode);
            return false;
        }
    }

    /// <summary>Sends one PULL_DATA and reports whether its PULL_ACK arrived within the ACK timeout.</summary>
    public async Task<bool> PullAsync(CancellationToken cancellationToken = default)
    {
        var (token, acked) = Register(_pendingPull);
        try
        {
            var datagram = new byte[GwmpProtocol.HeaderWithEuiLength];
            GwmpEncoder.WritePullData(datagram, token, _options.Gateway);
            if (await TrySendAsync(datagram, cancellationToken))
            {
                Counters.PullSentOnce();
            }

            var ok = await WaitForAckAsync(acked.Task, cancellationToken);
            if (ok)
            {
                Counters.PullAckedOnce();
            }

            return ok;
        }
        finally
        {
            _pendingPull.TryRemove(token, out _);
        }
    }

    /// <summary>
    /// The <c>stat</c> object lora_pkt_fwd would report now: counts since the previous call (rxnb, rxok, rxfw, dwnb,
    /// txnb), the PUSH_ACK ratio over that period, the configured position and the current UTC time.
    /// </summary>
    public GatewayStatus NextStatus()
    {
        var now = new StatusSnapshot(Counters.RxForwarded, Counters.RxCrcOk, Counters.PushSent, Counters.PushAcked, Counters.DownlinksReceived, Counters.TxEmitted);
        StatusSnapshot previous;
        lock (_statusGate)
        {
            previous = _lastStatus;
            _lastStatus = now;
        }

        var pushes = now.PushSent - previous.PushSent;
        return new GatewayStatus
        {
            Time = _time.GetUtcNow(),
            Latitude = _options.Latitude,
            Longitude = _options.Longitude,
            Altitude = _options.Altitude,
            RxReceived = (uint)(now.RxForwarded - previous.RxForwarded),
            RxOk = (uint)(now.RxCrcOk - previous.RxCrcOk),
            RxForwarded = (uint)(now.RxForwarded - previous.RxForwarded),
            AckRatioPercent = pushes == 0 ? 0 : Math.Round(100.0 * (now.PushAcked - previous.PushAcked) / pushes, 1),
            DownlinkReceived = (uint)(now.Downlinks - previous.Downlinks),
            TxEmitted = (uint)(now.TxEmitted - previous.TxEmitted),
        };
    }

    public void Dispose()
    {
        _socket.Dispose();
        _builder.Dispose();
        _sendLock.Dispose();
    }

    private async Task<bool> WaitForAckAsync(Task acked, CancellationToken cancellationToken)
    {
        try
        {
            await acked.WaitAsync(_options.AckTimeout, _time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private (GwmpToken Token, TaskCompletionSource Acked) Register(ConcurrentDictionary<GwmpToken, TaskCompletionSource> pending)
    {
        var acked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        while (true)
        {
            GwmpToken token;
            lock (_random)
            {
                token = GwmpToken.Next(_random);
            }

            if (pending.TryAdd(token, acked))
            {
                return (token, acked);
            }
        }
    }

    private async Task KeepaliveLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.KeepaliveInterval, _time);
        try
        {
            do
            {
                try
                {
                    await PullAsync(cancellationToken);
                }
                catch (SocketException e)
                {
                    _logger.LogWarning(e, "PULL_DATA send failed: {Error}", e.SocketErrorCode);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task StatusLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.StatusInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await PushAsync([], NextStatus(), cancellationToken);
                }
                catch (SocketException e)
                {
                    _logger.LogWarning(e, "stat PUSH_DATA send failed: {Error}", e.SocketErrorCode);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private readonly record struct StatusSnapshot(long RxForwarded, long RxCrcOk, long PushSent, long PushAcked, long Downlinks, long TxEmitted);

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[65_536];
        while (!cancellationToken.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // A connected UDP socket reports ICMP "port unreachable" as ConnectionRefused while no server listens.
                _logger.LogDebug("GWMP client receive: {Error}", e.SocketErrorCode);
                continue;
            }

            try
            {
                await HandleAsync(buffer.AsMemory(0, length), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException and not ObjectDisposedException)
            {
                // E.g. a downlink handler that throws: logged, and the gateway keeps running.
                _logger.LogError(e, "Handling a {Length}-byte datagram from the server failed", length);
            }
        }
    }

    private async ValueTask HandleAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        if (!GwmpFrame.TryParse(datagram.Span, out var frame, out var error))
        {
            Counters.Malformed();
            _logger.LogWarning("Malformed datagram from the server: {Error}", error);
            return;
        }

        var token = frame.Token;
        switch (frame.Type)
        {
            case GwmpPacketType.PushAck:
                Acknowledge(_pendingPush, token);
                break;
            case GwmpPacketType.PullAck:
                Acknowledge(_pendingPull, token);
                break;
            case GwmpPacketType.PullResp:
                if (GwmpJsonDecoder.TryDecodePullResp(frame.Json, out var txpk, out error))
                {
                    await AnswerDownlinkAsync(token, txpk, cancellationToken);
                }
                else
                {
                    Counters.Malformed();
                    _logger.LogWarning("Malformed PULL_RESP: {Error}", error);
                }

                break;
            default:
                Counters.Malformed();
                _logger.LogWarning("Unexpected {Type} from the server", GwmpProtocol.Name(frame.Type));
                break;
        }
    }

    private void Acknowledge(ConcurrentDictionary<GwmpToken, TaskCompletionSource> pending, GwmpToken token)
    {
        if (pending.TryGetValue(token, out var acked))
        {
            acked.TrySetResult();
        }
        else
        {
            Counters.UnexpectedAck();
        }
    }

    private async ValueTask AnswerDownlinkAsync(GwmpToken token, TxPacket txpk, CancellationToken cancellationToken)
    {
        Counters.Downlink();
        var answer = await _onDownlink(txpk, cancellationToken);
        byte[] datagram;
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            datagram = _builder.TxAck(token, _options.Gateway, answer).ToArray();
        }
        finally
        {
            _sendLock.Release();
        }

        await _socket.SendAsync(datagram, SocketFlags.None, cancellationToken);
        Counters.TxAckSent();
        if (answer.IsSuccess)
        {
            Counters.Emitted();
        }

        _downlinks.Writer.TryWrite(new ReceivedDownlink(token, txpk, answer, _time.GetUtcNow()));
    }
}
