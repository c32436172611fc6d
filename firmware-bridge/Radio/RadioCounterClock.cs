namespace DePin.Wireless.FirmwareBridge.Radio;

/// <summary>
/// A free-running 32-bit microsecond counter derived from a <see cref="TimeProvider"/>, standing in for
/// a concentrator's internal counter ("tmst") on radios that have none. It wraps every ~71.6 minutes,
/// so differences are computed modulo 2^32.
/// </summary>
public sealed class RadioCounterClock
{
    private readonly TimeProvider _time;
    private readonly long _origin;

    public RadioCounterClock(TimeProvider time)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _origin = time.GetTimestamp();
    }

    public TimeProvider TimeProvider => _time;

    public uint NowUs => unchecked((uint)(long)_time.GetElapsedTime(_origin).TotalMicroseconds);

    /// <summary>
    /// The counter value at a past event stamped by the kernel (GPIO edge events carry CLOCK_MONOTONIC ns):
    /// now minus the time since the event. Latencies outside 0..1 s mean the clocks are unrelated; then now is used.
    /// </summary>
    public uint AtEvent(ulong eventMonotonicNs, ulong nowMonotonicNs)
    {
        var latencyUs = (long)(nowMonotonicNs - eventMonotonicNs) / 1000;
        var now = NowUs;
        return latencyUs is > 0 and < 1_000_000 ? unchecked(now - (uint)latencyUs) : now;
    }

    /// <summary>CLOCK_MONOTONIC in ns as .NET sees it on Linux (Stopwatch is backed by clock_gettime(CLOCK_MONOTONIC)).</summary>
    public static ulong MonotonicNowNs() =>
        (ulong)(System.Diagnostics.Stopwatch.GetTimestamp() * (1_000_000_000.0 / System.Diagnostics.Stopwatch.Frequency));

    /// <summary>Signed distance from <paramref name="from"/> to <paramref name="to"/> in µs, modulo 2^32.</summary>
    public static long Difference(uint to, uint from) => unchecked((int)(to - from));
}
