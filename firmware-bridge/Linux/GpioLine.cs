namespace DePin.Wireless.FirmwareBridge.Linux;

/// <summary>A single-line GPIO v2 line request: values through ioctls, edges by poll + read of gpio_v2_line_event records.</summary>
public sealed class GpioLine : IGpioLine
{
    // Poll in short slices so cancellation is noticed promptly without a second fd (eventfd) per line.
    private const int PollSliceMilliseconds = 20;

    private readonly ILinuxIoctl _io;
    private readonly TimeProvider _time;
    private int _fd;

    internal GpioLine(ILinuxIoctl io, TimeProvider time, int fd, int offset)
    {
        _io = io;
        _time = time;
        _fd = fd;
        Offset = offset;
    }

    public int Offset { get; }

    public bool Read()
    {
        var values = new GpioV2LineValues { Mask = 1 };
        _io.Ioctl(LiveFd(), GpioV2Abi.GetValuesIoctl, StructBytes.Of(ref values));
        return (values.Bits & 1) != 0;
    }

    public void Write(bool value)
    {
        var values = new GpioV2LineValues { Bits = value ? 1UL : 0UL, Mask = 1 };
        _io.Ioctl(LiveFd(), GpioV2Abi.SetValuesIoctl, StructBytes.Of(ref values));
    }

    public Task<GpioEdgeEvent?> WaitForEdgeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var fd = LiveFd();
        return Task.Run(() => WaitForEdge(fd, timeout, cancellationToken), cancellationToken);
    }

    public GpioEdgeEvent? WaitForEdge(TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitForEdge(LiveFd(), timeout, cancellationToken);

    private GpioEdgeEvent? WaitForEdge(int fd, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var remaining = timeout - _time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
                return null;
            var slice = (int)Math.Min(Math.Ceiling(remaining.TotalMilliseconds), PollSliceMilliseconds);
            if (_io.PollReadable(fd, slice))
                return ReadEvent(fd);
        }
    }

    private GpioEdgeEvent ReadEvent(int fd)
    {
        Span<byte> buffer = stackalloc byte[GpioV2Abi.EventSize];
        var read = _io.Read(fd, buffer);
        if (read != buffer.Length)
            throw new LinuxIoException($"read of gpio_v2_line_event (got {read} of {buffer.Length} bytes)", $"line {Offset}", LinuxIoException.EIO);
        var record = StructBytes.Read<GpioV2LineEvent>(buffer);
        return new GpioEdgeEvent((int)record.Offset, record.Id, record.TimestampNs, record.LineSequenceNumber);
    }

    private int LiveFd()
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        return _fd;
    }

    public void Dispose()
    {
        if (_fd < 0)
            return;
        _io.Close(_fd);
        _fd = -1;
    }
}
