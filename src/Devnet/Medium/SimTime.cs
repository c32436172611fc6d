using System.Globalization;

namespace DePin.Wireless.Devnet.Medium;

/// <summary>
/// A point on the simulation's time line, in whole nanoseconds since the simulation epoch. Nanoseconds because
/// fine timestamps (time of arrival for TDoA) need them; a signed 64-bit count covers ±292 years.
/// </summary>
public readonly record struct SimTime(long Nanoseconds) : IComparable<SimTime>, ISpanFormattable
{
    public static SimTime Zero => default;

    public static SimTime FromMilliseconds(double milliseconds) => new(checked((long)Math.Round(milliseconds * 1_000_000)));

    public static SimTime FromSeconds(double seconds) => new(checked((long)Math.Round(seconds * 1_000_000_000)));

    public static SimTime FromTimeSpan(TimeSpan sinceEpoch) => new(checked(sinceEpoch.Ticks * 100));

    /// <summary>Whole microseconds since the epoch (rounded down), the unit of concentrator counters.</summary>
    public long Microseconds => Math.DivRem(Nanoseconds, 1000, out var rest) - (rest < 0 ? 1 : 0);

    public TimeSpan SinceEpoch => TimeSpan.FromTicks(Nanoseconds / 100);

    public static SimTime operator +(SimTime time, TimeSpan span) => new(checked(time.Nanoseconds + (span.Ticks * 100)));

    public static SimTime operator -(SimTime time, TimeSpan span) => new(checked(time.Nanoseconds - (span.Ticks * 100)));

    public static TimeSpan operator -(SimTime a, SimTime b) => TimeSpan.FromTicks((a.Nanoseconds - b.Nanoseconds) / 100);

    public static bool operator <(SimTime a, SimTime b) => a.Nanoseconds < b.Nanoseconds;

    public static bool operator >(SimTime a, SimTime b) => a.Nanoseconds > b.Nanoseconds;

    public static bool operator <=(SimTime a, SimTime b) => a.Nanoseconds <= b.Nanoseconds;

    public static bool operator >=(SimTime a, SimTime b) => a.Nanoseconds >= b.Nanoseconds;

    public SimTime AddNanoseconds(long nanoseconds) => new(checked(Nanoseconds + nanoseconds));

    public static SimTime Max(SimTime a, SimTime b) => a >= b ? a : b;

    public int CompareTo(SimTime other) => Nanoseconds.CompareTo(other.Nanoseconds);

    /// <summary>Formats as seconds with nanosecond precision, e.g. "12.000345678 s".</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null)
    {
        var seconds = Math.DivRem(Nanoseconds, 1_000_000_000, out var fraction);
        var sign = Nanoseconds < 0 ? "-" : string.Empty;
        return destination.TryWrite(CultureInfo.InvariantCulture, $"{sign}{Math.Abs(seconds)}.{Math.Abs(fraction):000000000} s", out charsWritten);
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public override string ToString()
    {
        Span<char> buffer = stackalloc char[40];
        return TryFormat(buffer, out var written) ? new string(buffer[..written]) : Nanoseconds.ToString(CultureInfo.InvariantCulture) + " ns";
    }
}

/// <summary>
/// A <see cref="TimeProvider"/> whose "now" is whatever the simulation sets, so time-based Core components
/// (<c>DutyCycleTracker</c>) run on simulated time instead of the wall clock.
/// </summary>
public sealed class SimulationClock(DateTimeOffset epoch) : TimeProvider
{
    private SimTime now;

    public DateTimeOffset Epoch { get; } = epoch;

    public SimTime Now => now;

    public void Set(SimTime time) => now = time;

    public DateTimeOffset ToUtc(SimTime time) => Epoch + time.SinceEpoch;

    public override DateTimeOffset GetUtcNow() => ToUtc(now);
}
