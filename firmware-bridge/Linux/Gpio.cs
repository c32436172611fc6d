namespace DePin.Wireless.FirmwareBridge.Linux;

/// <summary>Which edges of an input line produce events.</summary>
public enum GpioEdge
{
    None,
    Rising,
    Falling,
    Both,
}

/// <summary>Pull resistor configuration of an input line.</summary>
public enum GpioBias
{
    AsIs,
    PullUp,
    PullDown,
    Disabled,
}

/// <summary>One edge reported by the kernel, with its CLOCK_MONOTONIC timestamp.</summary>
public readonly record struct GpioEdgeEvent(int Offset, GpioV2EventId Kind, ulong TimestampNs, uint LineSequence)
{
    public bool IsRising => Kind == GpioV2EventId.RisingEdge;
}

/// <summary>A GPIO controller (/dev/gpiochipN) from which single lines are requested.</summary>
public interface IGpioChip : IDisposable
{
    /// <summary>Requests <paramref name="offset"/> as an output driven to <paramref name="initialValue"/>.</summary>
    IGpioLine RequestOutput(int offset, bool initialValue, string consumer);

    /// <summary>Requests <paramref name="offset"/> as an input, optionally with edge events.</summary>
    IGpioLine RequestInput(int offset, GpioEdge edge, GpioBias bias, string consumer);
}

/// <summary>One requested GPIO line (a line-request file descriptor).</summary>
public interface IGpioLine : IDisposable
{
    int Offset { get; }

    /// <summary>Current logical value (GPIO_V2_LINE_GET_VALUES_IOCTL).</summary>
    bool Read();

    /// <summary>Drives an output line (GPIO_V2_LINE_SET_VALUES_IOCTL).</summary>
    void Write(bool value);

    /// <summary>Blocks the calling thread until the next edge event; null when <paramref name="timeout"/> passes first.</summary>
    GpioEdgeEvent? WaitForEdge(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Waits for the next edge event on a pool thread; null when <paramref name="timeout"/> passes first.</summary>
    Task<GpioEdgeEvent?> WaitForEdgeAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
