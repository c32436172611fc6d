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

    /// <summary>Signed distance from <paramref name="from"/> to <paramref name="to"/> in µs, modulo 2^32.</summary>
    public static long Difference(uint to, uint from) => unchecked((int)(to - from));
}
