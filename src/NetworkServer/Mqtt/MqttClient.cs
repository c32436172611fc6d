using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.NetworkServer.Mqtt;

/// <summary>
/// MQTT 3.1.1 client over <see cref="IMqttTransport"/>. After the first successful <see cref="ConnectAsync"/> it keeps
/// itself connected: on loss it reconnects with exponential backoff, re-sends unacknowledged QoS 1 PUBLISHes with DUP set
/// (section 4.4) and re-subscribes every active filter whether or not the broker kept the session — ChirpStack lost
/// subscriptions after reconnects (chirpstack/chirpstack#972), this client must not.
/// </summary>
public sealed class MqttClient : IMqttClient
{
    private const int FiltersPerResubscribe = 64;

    private readonly MqttClientOptions _options;
    private readonly IMqttTransport _transport;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ReconnectBackoff _backoff;
    private readonly Channel<MqttApplicationMessage> _messages =
        Channel.CreateUnbounded<MqttApplicationMessage>(new UnboundedChannelOptions { SingleWriter = false });

    private readonly Lock _gate = new();
    private readonly Dictionary<string, MqttQos> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<ushort, InFlightPublish> _inFlight = [];
    private readonly HashSet<ushort> _idsInUse = [];
    private TaskCompletionSource _connectedSignal = NewSignal();
    private CancellationTokenSource? _runCts;
    private LiveConnection? _live;
    private Task _supervisor = Task.CompletedTask;
    private MqttConnectionState _state = MqttConnectionState.Disconnected;
    private ushort _lastPacketId;
    private long _publishSequence;

    public MqttClient(MqttClientOptions options, ILogger<MqttClient> logger, TimeProvider timeProvider, IMqttTransport? transport = null, Random? random = null)
    {
        options.Validate();
        _options = options;
        _logger = logger;
        _time = timeProvider;
        _transport = transport ?? new TcpMqttTransport(options);
        _backoff = new ReconnectBackoff(options.Reconnect, random ?? new Random());
    }

    public event EventHandler<MqttConnectionState>? StateChanged;

    public MqttConnectionState State
    {
        get { lock (_gate) { return _state; } }
    }

    public ChannelReader<MqttApplicationMessage> Messages => _messages.Reader;

    /// <summary>Filters currently subscribed (and restored after reconnects).</summary>
    public IReadOnlyDictionary<string, MqttQos> ActiveSubscriptions
    {
        get { lock (_gate) { return new Dictionary<string, MqttQos>(_subscriptions, StringComparer.Ordinal); } }
    }

    public async Task<MqttConnectResult> ConnectAsync(CancellationToken cancellationToken)
    {
        CancellationTokenSource run;
        lock (_gate)
        {
            if (_state != MqttConnectionState.Disconnected)
            {
                throw new InvalidOperationException($"MqttClient.ConnectAsync called in state {_state}; it is only valid when Disconnected");
            }

            run = _runCts = new CancellationTokenSource();
        }

        SetState(MqttConnectionState.Connecting);
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, run.Token);
            var (live, sessionPresent) = await EstablishAsync(linked.Token, run.Token);
            _supervisor = Task.Run(() => SuperviseAsync(live, run.Token), CancellationToken.None);
            return new MqttConnectResult(sessionPresent);
        }
        catch
        {
            lock (_gate)
            {
                _runCts = null;
            }

            run.Dispose();
            SetState(MqttConnectionState.Disconnected);
            throw;
        }
    }

    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain, CancellationToken cancellationToken)
    {
        MqttTopic.ValidateName(topic);
        if (qos == MqttQos.AtMostOnce)
        {
            var live = await WaitConnectedAsync(cancellationToken);
            await live.Connection.SendAsync(new PublishPacket(topic, payload, qos, retain, false, 0), cancellationToken);
            return;
        }

        InFlightPublish inFlight;
        LiveConnection? current;
        lock (_gate)
        {
            ThrowIfNotRunning("publish");
            var id = AllocatePacketIdLocked();
            inFlight = new InFlightPublish(new PublishPacket(topic, payload, qos, retain, false, id), ++_publishSequence);
            _inFlight[id] = inFlight;
            current = _live;
        }

        // While reconnecting there is no live connection: the message waits in _inFlight and goes out on restore.
        if (current is not null)
        {
            await TrySendAsync(current, inFlight.Packet, cancellationToken);
        }

        try
        {
            await inFlight.Acknowledged.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                if (_inFlight.Remove(inFlight.Packet.PacketId))
                {
                    _idsInUse.Remove(inFlight.Packet.PacketId);
                }
            }

            throw;
        }
    }

    public async Task<MqttQos> SubscribeAsync(string filter, MqttQos qos, CancellationToken cancellationToken)
    {
        MqttTopic.ValidateFilter(filter);
        var live = await WaitConnectedAsync(cancellationToken);
        lock (_gate)
        {
            _subscriptions[filter] = qos;
        }

        var ack = await RequestAsync(live, id => new SubscribePacket(id, [new MqttTopicSubscription(filter, qos)]), cancellationToken);
        if (ack is SubAckPacket subAck)
        {
            return AcceptGranted(filter, subAck.ReturnCodes[0]);
        }

        // Connection lost before SUBACK: the filter is registered, so the reconnect restores it; report that outcome.
        await WaitConnectedAsync(cancellationToken);
        lock (_gate)
        {
            if (_subscriptions.TryGetValue(filter, out var granted))
            {
                return granted;
            }
        }

        throw new MqttSubscribeRejectedException(filter);
    }

    public async Task UnsubscribeAsync(string filter, CancellationToken cancellationToken)
    {
        MqttTopic.ValidateFilter(filter);
        lock (_gate)
        {
            _subscriptions.Remove(filter);
        }

        // Removed from the registry first, so a reconnect in between cannot bring it back; a fresh session has none.
        var live = await WaitConnectedAsync(cancellationToken);
        await RequestAsync(live, id => new UnsubscribePacket(id, [filter]), cancellationToken);
    }

    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        LiveConnection? live;
        CancellationTokenSource? run;
        lock (_gate)
        {
            live = _live;
            run = _runCts;
            _runCts = null;
        }

        if (run is null)
        {
            return;
        }

        try
        {
            if (live is not null)
            {
                await TrySendAsync(live, new DisconnectPacket(), cancellationToken);
            }
        }
        finally
        {
            // Even if sending DISCONNECT was cancelled, the client must stop: no reconnect loop may outlive this call.
            await run.CancelAsync();
            live?.Connection.Abort();
            await _supervisor;
            run.Dispose();
        }

        FailOutstanding(new MqttNotConnectedException("the MQTT client was disconnected before the broker acknowledged"));
        SetState(MqttConnectionState.Disconnected);
        _logger.LogInformation("MQTT client {ClientId} disconnected from {Host}:{Port}", _options.ClientId, _options.Host, _options.Port);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await DisconnectAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _logger.LogWarning("MQTT client {ClientId}: DISCONNECT did not finish within 5 s during dispose", _options.ClientId);
        }

        SetState(MqttConnectionState.Closed);
        _messages.Writer.TryComplete();
    }

    private async Task<(LiveConnection Live, bool SessionPresent)> EstablishAsync(CancellationToken cancellationToken, CancellationToken runToken)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        MqttConnection? connection = null;
        LiveConnection? live = null;
        try
        {
            connection = new MqttConnection(await _transport.OpenAsync(linked.Token), _time, _options.MaxIncomingPacketSize);
            await connection.SendAsync(CreateConnectPacket(), linked.Token);
            var first = await connection.ReceiveAsync(linked.Token);
            var ack = first as ConnAckPacket
                ?? throw new MqttProtocolException($"expected CONNACK as the broker's first packet, got {first?.Type.ToString() ?? "end of stream"}");
            if (ack.ReturnCode != MqttConnectReturnCode.Accepted)
            {
                throw new MqttConnectException(ack.ReturnCode);
            }

            live = new LiveConnection(connection, CancellationTokenSource.CreateLinkedTokenSource(runToken));
            live.ReadLoop = Task.Run(() => ReadLoopAsync(live), CancellationToken.None);
            lock (_gate)
            {
                _live = live;
            }

            await RestoreSessionAsync(live, ack.SessionPresent, linked.Token);
            live.KeepAliveLoop = Task.Run(() => KeepAliveLoopAsync(live), CancellationToken.None);
            _logger.LogInformation(
                "MQTT client {ClientId} connected to {Host}:{Port} (session present: {SessionPresent}, subscriptions restored: {Count})",
                _options.ClientId, _options.Host, _options.Port, ack.SessionPresent, ActiveSubscriptions.Count);
            SetState(MqttConnectionState.Connected);
            return (live, ack.SessionPresent);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await AbandonAsync(connection, live);
            throw new TimeoutException($"MQTT connect to {_options.Host}:{_options.Port} did not complete within {_options.ConnectTimeout}");
        }
        catch
        {
            await AbandonAsync(connection, live);
            throw;
        }
    }

    private async Task AbandonAsync(MqttConnection? connection, LiveConnection? live)
    {
        if (live is not null)
        {
            await TearDownAsync(live);
        }
        else if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    private ConnectPacket CreateConnectPacket() => new(
        _options.ClientId,
        _options.UserName,
        _options.Password,
        _options.CleanSession,
        (ushort)_options.KeepAlive.TotalSeconds,
        _options.Will);

    /// <summary>Re-sends unacknowledged QoS 1 publishes (DUP=1, section 4.4) then re-subscribes every active filter.</summary>
    private async Task RestoreSessionAsync(LiveConnection live, bool sessionPresent, CancellationToken cancellationToken)
    {
        List<InFlightPublish> pending;
        List<MqttTopicSubscription> subscriptions;
        lock (_gate)
        {
            pending = [.. _inFlight.Values.OrderBy(p => p.Sequence)];
            subscriptions = [.. _subscriptions.Select(s => new MqttTopicSubscription(s.Key, s.Value))];
        }

        foreach (var publish in pending)
        {
            await live.Connection.SendAsync(publish.Packet with { Duplicate = true }, cancellationToken);
        }

        if (pending.Count > 0)
        {
            _logger.LogInformation("MQTT client {ClientId} re-sent {Count} unacknowledged QoS 1 messages (session present: {SessionPresent})", _options.ClientId, pending.Count, sessionPresent);
        }

        foreach (var batch in subscriptions.Chunk(FiltersPerResubscribe))
        {
            var ack = await RequestAsync(live, id => new SubscribePacket(id, batch), cancellationToken) as SubAckPacket
                ?? throw new IOException("connection lost while restoring subscriptions");
            for (var i = 0; i < batch.Length; i++)
            {
                if (ack.ReturnCodes[i] == SubAckPacket.Failure)
                {
                    lock (_gate)
                    {
                        _subscriptions.Remove(batch[i].Filter);
                    }

                    _logger.LogError("MQTT client {ClientId}: broker rejected re-subscription to {Filter} after reconnect (SUBACK 0x80); dropped", _options.ClientId, batch[i].Filter);
                }
            }
        }
    }

    /// <summary>Sends a packet that expects an acknowledgement with the same identifier; null when the connection died first.</summary>
    private async Task<MqttPacket?> RequestAsync(LiveConnection live, Func<ushort, MqttPacket> build, CancellationToken cancellationToken)
    {
        ushort id;
        var reply = new TaskCompletionSource<MqttPacket?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (live.Closed)
            {
                return null;
            }

            id = AllocatePacketIdLocked();
            live.PendingAcks[id] = reply;
        }

        try
        {
            if (!await TrySendAsync(live, build(id), cancellationToken))
            {
                return null;
            }

            return await reply.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            lock (_gate)
            {
                live.PendingAcks.Remove(id);
                _idsInUse.Remove(id);
            }
        }
    }

    private MqttQos AcceptGranted(string filter, byte code)
    {
        if (code == SubAckPacket.Failure)
        {
            lock (_gate)
            {
                _subscriptions.Remove(filter);
            }

            throw new MqttSubscribeRejectedException(filter);
        }

        _logger.LogDebug("MQTT client {ClientId} subscribed to {Filter} with QoS {Qos}", _options.ClientId, filter, code);
        return (MqttQos)code;
    }

    private async Task<bool> TrySendAsync(LiveConnection live, MqttPacket packet, CancellationToken cancellationToken)
    {
        try
        {
            await live.Connection.SendAsync(packet, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            _logger.LogDebug(ex, "MQTT client {ClientId}: sending {Type} failed, connection is going down", _options.ClientId, packet.Type);
            return false;
        }
    }

    private async Task ReadLoopAsync(LiveConnection live)
    {
        try
        {
            while (await live.Connection.ReceiveAsync(live.Cts.Token) is { } packet)
            {
                await HandleIncomingAsync(live, packet);
            }

            live.LossReason ??= "broker closed the connection";
        }
        catch (Exception ex)
        {
            live.LossReason ??= ex.Message;
        }
    }

    private async Task HandleIncomingAsync(LiveConnection live, MqttPacket packet)
    {
        switch (packet)
        {
            case PublishPacket publish:
                _messages.Writer.TryWrite(new MqttApplicationMessage(publish.Topic, publish.Payload, publish.Qos, publish.Retain, publish.Duplicate));
                if (publish.Qos == MqttQos.AtLeastOnce)
                {
                    await live.Connection.SendAsync(new PubAckPacket(publish.PacketId), live.Cts.Token);
                }

                break;
            case PubAckPacket pubAck:
                CompletePublish(pubAck.PacketId);
                break;
            case SubAckPacket or UnsubAckPacket:
                CompleteRequest(live, packet);
                break;
            case PingRespPacket:
                live.PendingPing?.TrySetResult();
                break;
            default:
                throw new MqttProtocolException($"unexpected {packet.Type} from the broker");
        }
    }

    private void CompletePublish(ushort packetId)
    {
        InFlightPublish? done;
        lock (_gate)
        {
            if (_inFlight.Remove(packetId, out done))
            {
                _idsInUse.Remove(packetId);
            }
        }

        done?.Acknowledged.TrySetResult();
    }

    private void CompleteRequest(LiveConnection live, MqttPacket ack)
    {
        var id = ack is SubAckPacket s ? s.PacketId : ((UnsubAckPacket)ack).PacketId;
        TaskCompletionSource<MqttPacket?>? waiter;
        lock (_gate)
        {
            live.PendingAcks.TryGetValue(id, out waiter);
        }

        if (waiter is null)
        {
            _logger.LogWarning("MQTT client {ClientId}: {Type} for unknown packet id {Id} ignored", _options.ClientId, ack.Type, id);
        }

        waiter?.TrySetResult(ack);
    }

    /// <summary>Sends PINGREQ after KeepAlive without other traffic; no PINGRESP within PingTimeout kills the connection.</summary>
    private async Task KeepAliveLoopAsync(LiveConnection live)
    {
        if (_options.KeepAlive == TimeSpan.Zero)
        {
            return;
        }

        var token = live.Cts.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var idle = _time.GetElapsedTime(live.Connection.LastSendTimestamp);
                if (idle < _options.KeepAlive)
                {
                    await Task.Delay(_options.KeepAlive - idle, _time, token);
                    continue;
                }

                var pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                live.PendingPing = pong;
                await live.Connection.SendAsync(new PingReqPacket(), token);
                var timeout = Task.Delay(_options.PingTimeout, _time, token);
                if (await Task.WhenAny(pong.Task, timeout) != pong.Task)
                {
                    await timeout; // surfaces cancellation instead of reporting a false timeout
                    live.LossReason = $"no PINGRESP within {_options.PingTimeout}";
                    _logger.LogWarning("MQTT client {ClientId}: no PINGRESP within {Timeout}; dropping the connection", _options.ClientId, _options.PingTimeout);
                    live.Connection.Abort();
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Connection is ending; the read loop reports why.
        }
    }

    private async Task SuperviseAsync(LiveConnection live, CancellationToken runToken)
    {
        while (true)
        {
            await live.ReadLoop;
            await TearDownAsync(live);
            if (runToken.IsCancellationRequested)
            {
                return;
            }

            _logger.LogWarning("MQTT client {ClientId} lost its connection to {Host}:{Port}: {Reason}", _options.ClientId, _options.Host, _options.Port, live.LossReason);
            if (!_options.Reconnect.Enabled)
            {
                FailOutstanding(new MqttNotConnectedException($"connection lost ({live.LossReason}) and reconnect is disabled"));
                // _runCts is not disposed here: a concurrent DisconnectAsync may still cancel it (it has no timer to release).
                lock (_gate)
                {
                    _runCts = null;
                }

                SetState(MqttConnectionState.Disconnected);
                return;
            }

            SetState(MqttConnectionState.Reconnecting);
            var next = await ReconnectAsync(runToken);
            if (next is null)
            {
                return;
            }

            live = next;
        }
    }

    private async Task<LiveConnection?> ReconnectAsync(CancellationToken runToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var delay = _backoff.DelayFor(attempt);
            try
            {
                await Task.Delay(delay, _time, runToken);
                return (await EstablishAsync(runToken, runToken)).Live;
            }
            catch (OperationCanceledException) when (runToken.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception ex)
            {
                _logger.LogWarning("MQTT client {ClientId}: reconnect attempt {Attempt} to {Host}:{Port} failed after {Delay}: {Error}", _options.ClientId, attempt + 1, _options.Host, _options.Port, delay, ex.Message);
            }
        }
    }

    private async Task TearDownAsync(LiveConnection live)
    {
        List<TaskCompletionSource<MqttPacket?>> waiters;
        lock (_gate)
        {
            if (live.Closed)
            {
                return;
            }

            live.Closed = true;
            if (ReferenceEquals(_live, live))
            {
                _live = null;
            }

            if (_connectedSignal.Task.IsCompleted)
            {
                _connectedSignal = NewSignal();
            }

            waiters = [.. live.PendingAcks.Values];
        }

        await live.Cts.CancelAsync();
        live.Connection.Abort();
        foreach (var waiter in waiters)
        {
            waiter.TrySetResult(null);
        }

        await live.KeepAliveLoop;
        await live.Connection.DisposeAsync();
        live.Cts.Dispose();
    }

    private async Task<LiveConnection> WaitConnectedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                ThrowIfNotRunning("use the connection");
                if (_state == MqttConnectionState.Connected && _live is { Closed: false } live)
                {
                    return live;
                }

                signal = _connectedSignal.Task;
            }

            await signal.WaitAsync(cancellationToken);
        }
    }

    private void ThrowIfNotRunning(string action)
    {
        if (_runCts is null)
        {
            throw new MqttNotConnectedException($"cannot {action}: the MQTT client is {_state}; call ConnectAsync first");
        }
    }

    private void FailOutstanding(Exception error)
    {
        List<InFlightPublish> publishes;
        TaskCompletionSource signal;
        lock (_gate)
        {
            publishes = [.. _inFlight.Values];
            _inFlight.Clear();
            _idsInUse.Clear();
            signal = _connectedSignal;
            _connectedSignal = NewSignal();
        }

        foreach (var publish in publishes)
        {
            publish.Acknowledged.TrySetException(error);
        }

        signal.TrySetException(error);
    }

    private ushort AllocatePacketIdLocked()
    {
        if (_idsInUse.Count >= ushort.MaxValue)
        {
            throw new InvalidOperationException("all 65535 MQTT packet identifiers are in flight; wait for acknowledgements");
        }

        do
        {
            _lastPacketId = _lastPacketId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastPacketId + 1);
        }
        while (!_idsInUse.Add(_lastPacketId));

        return _lastPacketId;
    }

    private void SetState(MqttConnectionState state)
    {
        TaskCompletionSource? connected = null;
        lock (_gate)
        {
            if (_state == state || _state == MqttConnectionState.Closed)
            {
                return;
            }

            _state = state;
            if (state == MqttConnectionState.Connected)
            {
                connected = _connectedSignal;
            }
        }

        connected?.TrySetResult();
        StateChanged?.Invoke(this, state);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record InFlightPublish(PublishPacket Packet, long Sequence)
    {
        public TaskCompletionSource Acknowledged { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One accepted broker connection with its loops and outstanding SUBSCRIBE/UNSUBSCRIBE requests.</summary>
    private sealed class LiveConnection(MqttConnection connection, CancellationTokenSource cts)
    {
        public MqttConnection Connection { get; } = connection;

        public CancellationTokenSource Cts { get; } = cts;

        public Dictionary<ushort, TaskCompletionSource<MqttPacket?>> PendingAcks { get; } = [];

        public Task ReadLoop { get; set; } = Task.CompletedTask;

        public Task KeepAliveLoop { get; set; } = Task.CompletedTask;

        public volatile TaskCompletionSource? PendingPing;

        public volatile string? LossReason;

        /// <summary>Guarded by the client's lock.</summary>
        public bool Closed { get; set; }
    }
}
