using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using DePin.Wireless.Core.Primitives;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>
/// The network side of the Semtech UDP protocol, in the role of helium gateway-rs: a packet forwarder
/// (lora_pkt_fwd) sends PUSH_DATA/PULL_DATA here and receives PULL_RESP downlinks.
/// Bind with the constructor, then run <see cref="RunAsync"/>; received packets arrive on <see cref="Uplinks"/>.
/// Malformed datagrams are logged, counted, reported on <see cref="Errors"/> and never acknowledged.
/// </summary>
public sealed class GwmpServer : IDisposable
{
    private readonly Socket _socket;
    private readonly GwmpServerOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly Channel<ReceivedUplink> _uplinks;
    private readonly Channel<MalformedDatagram> _errors;
    private readonly ConcurrentDictionary<(Eui64 Gateway, GwmpToken Token), TaskCompletionSource<TxAck>> _pendingTxAcks = new();
    private readonly GatewayBook _gateways = new();
    private readonly PushDataContent _scratch = new();
    private readonly byte[] _ackBuffer = new byte[GwmpProtocol.HeaderLength];

    public GwmpServer(GwmpServerOptions options, TimeProvider? time = null, Random? random = null, ILogger<GwmpServer>? logger = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _random = random ?? new Random();
        _logger = logger ?? NullLogger<GwmpServer>.Instance;
        Registry = new GatewayEndpointRegistry(_time, options.GatewayExpiry);
        _uplinks = Channel.CreateBounded<ReceivedUplink>(new BoundedChannelOptions(options.UplinkQueueCapacity) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        _errors = Channel.CreateBounded<MalformedDatagram>(new BoundedChannelOptions(options.ErrorQueueCapacity) { SingleWriter = true, FullMode = BoundedChannelFullMode.DropOldest });
        var address = IPAddress.Parse(options.BindAddress);
        _socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(address, options.Port));
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    /// <summary>The bound address (with the actual port when <see cref="GwmpServerOptions.Port"/> was 0).</summary>
    public IPEndPoint LocalEndPoint { get; }

    public GwmpServerCounters Counters { get; } = new();

    public GatewayEndpointRegistry Registry { get; }

    /// <summary>Every rxpk received, with its gateway; completed when <see cref="RunAsync"/> ends.</summary>
    public ChannelReader<ReceivedUplink> Uplinks => _uplinks.Reader;

    /// <summary>Rejected datagrams with their source; completed when <see cref="RunAsync"/> ends.</summary>
    public ChannelReader<MalformedDatagram> Errors => _errors.Reader;

    public bool TryGetLatestStatus(Eui64 gateway, out GatewayStatusReport? report) => _gateways.TryGetStatus(gateway, out report);

    public IReadOnlyList<GatewayStatusReport> LatestStatuses() => _gateways.Statuses();

    public IReadOnlyList<GatewayActivity> GatewayActivities() => _gateways.Activities();

    /// <summary>Receives and answers datagrams until cancelled. One bad datagram never stops the loop.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(65_536, pinned: true);
        EndPoint anyEndpoint = LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        _logger.LogInformation("GWMP server listening on {Endpoint}", LocalEndPoint);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, anyEndpoint, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (ObjectDisposedException)
                {
                    // Disposed while running: stop quietly.
                    break;
                }
                catch (SocketException e)
                {
                    // E.g. ICMP port unreachable from an earlier send surfaces as ConnectionReset on some platforms.
                    Counters.SocketError();
                    _logger.LogWarning(e, "GWMP receive failed: {Error}", e.SocketErrorCode);
                    continue;
                }

                await HandleSafelyAsync(buffer.AsMemory(0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint, cancellationToken);
            }
        }
        finally
        {
            _uplinks.Writer.TryComplete();
            _errors.Writer.TryComplete();
        }
    }

    /// <summary>
    /// Sends a PULL_RESP to the gateway's latest PULL_DATA address and waits for the TX_ACK with the same token.
    /// </summary>
    /// <exception cref="GatewayNotConnectedException">No current keep-alive from the gateway.</exception>
    /// <exception cref="TimeoutException">No TX_ACK within <see cref="GwmpServerOptions.DownlinkAckTimeout"/>.</exception>
    public async Task<TxAck> SendDownlinkAsync(Eui64 gateway, TxPacket txpk, CancellationToken cancellationToken = default)
    {
        if (!Registry.TryGet(gateway, out var link))
        {
            throw new GatewayNotConnectedException(gateway, Registry.Expiry);
        }

        var (token, pending) = RegisterPendingTxAck(gateway);
        try
        {
            byte[] datagram;
            using (var builder = new GwmpDatagramBuilder())
            {
                datagram = builder.PullResp(token, txpk, link.ProtocolVersion).ToArray();
            }

            await _socket.SendToAsync(datagram, SocketFlags.None, link.Endpoint, cancellationToken);
            Counters.DownlinkSent();
            try
            {
                return await pending.Task.WaitAsync(_options.DownlinkAckTimeout, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                Counters.DownlinkTimeout();
                throw new TimeoutException($"gateway {gateway} sent no TX_ACK for PULL_RESP token {token} within {_options.DownlinkAckTimeout.TotalMilliseconds:0} ms");
            }
        }
        finally
        {
            _pendingTxAcks.TryRemove((gateway, token), out _);
        }
    }

    /// <summary>
    /// Class A downlink as helium gateway-rs does it: PULL_RESP for RX1 at <c>uplink tmst + RX1 delay</c>; if the
    /// gateway answers TOO_LATE or TOO_EARLY, a second PULL_RESP for RX2 one second later on the RX2 channel.
    /// </summary>
    public async Task<ClassADownlinkResult> SendClassADownlinkAsync(ClassADownlink request, CancellationToken cancellationToken = default)
    {
        var rx1 = request.ForWindow(DownlinkWindow.Rx1);
        var rx1Ack = await SendDownlinkAsync(request.Gateway, rx1, cancellationToken);
        if (rx1Ack.IsSuccess)
        {
            return new ClassADownlinkResult(DownlinkWindow.Rx1, rx1Ack, null);
        }

        if (rx1Ack.Error is not (TxAckError.TooLate or TxAckError.TooEarly))
        {
            _logger.LogWarning("RX1 downlink to {Gateway} refused with {Error}; not retrying in RX2", request.Gateway, rx1Ack);
            return new ClassADownlinkResult(null, rx1Ack, null);
        }

        _logger.LogDebug("RX1 downlink to {Gateway} was {Error}; retrying in RX2", request.Gateway, rx1Ack);
        var rx2Ack = await SendDownlinkAsync(request.Gateway, request.ForWindow(DownlinkWindow.Rx2), cancellationToken);
        return new ClassADownlinkResult(rx2Ack.IsSuccess ? DownlinkWindow.Rx2 : null, rx1Ack, rx2Ack);
    }

    public void Dispose() => _socket.Dispose();

    private (GwmpToken Token, TaskCompletionSource<TxAck> Pending) RegisterPendingTxAck(Eui64 gateway)
    {
        var pending = new TaskCompletionSource<TxAck>(TaskCreationOptions.RunContinuationsAsynchronously);
        while (true)
        {
            GwmpToken token;
            lock (_random)
            {
                token = GwmpToken.Next(_random);
            }

            if (_pendingTxAcks.TryAdd((gateway, token), pending))
            {
                return (token, pending);
            }
        }
    }

    private async ValueTask HandleSafelyAsync(ReadOnlyMemory<byte> datagram, IPEndPoint source, CancellationToken cancellationToken)
    {
        try
        {
            Counters.Datagram();
            await HandleAsync(datagram, source, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (SocketException e)
        {
            Counters.SocketError();
            _logger.LogWarning(e, "GWMP reply to {Source} failed: {Error}", source, e.SocketErrorCode);
        }
        catch (Exception e) when (e is not OperationCanceledException and not ObjectDisposedException)
        {
            // A defect in handling one datagram must not stop the server; it is logged and counted.
            Counters.HandlerFailure();
            _logger.LogError(e, "Handling a {Length}-byte datagram from {Source} failed", datagram.Length, source);
        }
    }

    private ValueTask HandleAsync(ReadOnlyMemory<byte> datagram, IPEndPoint source, CancellationToken cancellationToken)
    {
        if (!GwmpFrame.TryParse(datagram.Span, out var frame, out var error))
        {
            Reject(source, error, datagram.Length);
            return ValueTask.CompletedTask;
        }

        switch (frame.Type)
        {
            case GwmpPacketType.PushData:
                return OnPushData(frame, source, datagram.Length, cancellationToken);
            case GwmpPacketType.PullData:
                Counters.PullDataReceived();
                Registry.Record(frame.Gateway, source, frame.Version);
                _gateways.Activity(frame.Gateway).SawPullData(_time.GetUtcNow());
                return SendAckAsync(frame.Version, frame.Token, GwmpPacketType.PullAck, source, cancellationToken);
            case GwmpPacketType.TxAck:
                OnTxAck(frame, source, datagram.Length);
                return ValueTask.CompletedTask;
            default:
                Counters.IgnoredDatagram();
                _logger.LogDebug("Ignored {Type} from {Source}: it travels server to gateway", GwmpProtocol.Name(frame.Type), source);
                return ValueTask.CompletedTask;
        }
    }

    private ValueTask OnPushData(GwmpFrame frame, IPEndPoint source, int length, CancellationToken cancellationToken)
    {
        if (!GwmpJsonDecoder.TryDecodePushData(frame.Json, _scratch, out var error))
        {
            Reject(source, error, length);
            return ValueTask.CompletedTask;
        }

        Counters.PushDataReceived();
        var now = _time.GetUtcNow();
        var gateway = frame.Gateway;
        _gateways.Activity(gateway).SawPushData(_scratch.Packets.Count, now);
        foreach (var packet in _scratch.Packets)
        {
            Counters.Uplink();
            if (!_uplinks.Writer.TryWrite(new ReceivedUplink(gateway, source, packet, now, frame.Version)))
            {
                Counters.UplinkDropped();
                _logger.LogWarning("Uplink queue full ({Capacity}); dropped a packet from {Gateway}", _options.UplinkQueueCapacity, gateway);
            }
        }

        if (_scratch.Status is { } status)
        {
            Counters.StatusReport();
            _gateways.RecordStatus(new GatewayStatusReport(gateway, status, now));
        }

        return SendAckAsync(frame.Version, frame.Token, GwmpPacketType.PushAck, source, cancellationToken);
    }

    private void OnTxAck(GwmpFrame frame, IPEndPoint source, int length)
    {
        if (!GwmpJsonDecoder.TryDecodeTxAck(frame.Json, out var ack, out var error))
        {
            Reject(source, error, length);
            return;
        }

        Counters.TxAckReceived();
        if (_pendingTxAcks.TryRemove((frame.Gateway, frame.Token), out var pending))
        {
            pending.TrySetResult(ack);
        }
        else
        {
            Counters.UnmatchedTxAck();
            _logger.LogDebug("TX_ACK from {Gateway} with token {Token} matches no pending downlink", frame.Gateway, frame.Token);
        }
    }

    private ValueTask SendAckAsync(byte version, GwmpToken token, GwmpPacketType type, IPEndPoint destination, CancellationToken cancellationToken)
    {
        var n = GwmpEncoder.WriteAck(_ackBuffer, version, token, type);
        return new ValueTask(_socket.SendToAsync(_ackBuffer.AsMemory(0, n), SocketFlags.None, destination, cancellationToken).AsTask());
    }

    private void Reject(IPEndPoint source, GwmpDecodeError error, int length)
    {
        Counters.MalformedDatagram(error.Kind);
        _logger.LogWarning("Malformed GWMP datagram ({Length} bytes) from {Source}: {Error}", length, source, error);
        _errors.Writer.TryWrite(new MalformedDatagram(source, error, length, _time.GetUtcNow()));
    }
}
