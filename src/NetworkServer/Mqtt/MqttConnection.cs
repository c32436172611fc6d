namespace DePin.Wireless.NetworkServer.Mqtt;

/// <summary>
/// One open broker stream: serialises writes, frames incoming bytes into packets with <see cref="MqttPacketCodec"/>,
/// and remembers when it last sent something (for keep-alive).
/// </summary>
internal sealed class MqttConnection(Stream stream, TimeProvider timeProvider, int maxIncomingPacketSize) : IAsyncDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private byte[] _buffer = new byte[4096];
    private int _buffered;
    private int _disposed;

    public long LastSendTimestamp { get; private set; } = timeProvider.GetTimestamp();

    public async Task SendAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        var bytes = MqttPacketCodec.Encode(packet);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await stream.WriteAsync(bytes, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            LastSendTimestamp = timeProvider.GetTimestamp();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Next packet, or null when the broker closed the stream cleanly between packets.</summary>
    public async Task<MqttPacket?> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (MqttPacketCodec.TryDecode(_buffer.AsSpan(0, _buffered), out var packet, out var consumed))
            {
                _buffer.AsSpan(consumed, _buffered - consumed).CopyTo(_buffer);
                _buffered -= consumed;
                return packet;
            }

            EnsureRoomForNextPacket();
            var read = await stream.ReadAsync(_buffer.AsMemory(_buffered), cancellationToken);
            if (read == 0)
            {
                return _buffered == 0
                    ? null
                    : throw new MqttProtocolException($"connection closed in the middle of a packet ({_buffered} bytes of it received)");
            }

            _buffered += read;
        }
    }

    /// <summary>Closes the stream so a pending read ends; used on keep-alive timeout and shutdown.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            stream.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Abort();
        _writeLock.Dispose();
        return ValueTask.CompletedTask;
    }

    private void EnsureRoomForNextPacket()
    {
        var needed = _buffered + 1;
        if (_buffered > 1 && MqttPacketCodec.TryReadRemainingLength(_buffer.AsSpan(1, _buffered - 1), out var remaining, out var lengthBytes))
        {
            needed = 1 + lengthBytes + remaining;
            if (needed > maxIncomingPacketSize)
            {
                throw new MqttProtocolException($"incoming packet of {needed} bytes exceeds MaxIncomingPacketSize {maxIncomingPacketSize}");
            }
        }

        if (needed > _buffer.Length || _buffered == _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        }
    }
}
