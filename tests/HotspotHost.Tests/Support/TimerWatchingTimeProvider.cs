using DePin.Wireless.TestSupport;

namespace DePin.Wireless.HotspotHost.Tests.Support;

/// <summary>
/// A <see cref="ManualTimeProvider"/> that also remembers when each timer created through it falls due, so a test can
/// wait until a component has armed its timer before moving the clock (instead of sleeping and hoping).
/// </summary>
public sealed class TimerWatchingTimeProvider(ManualTimeProvider inner) : TimeProvider
{
    private readonly List<DateTimeOffset> _dueTimes = [];

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public void Advance(TimeSpan by) => inner.Advance(by);

    /// <summary>
    /// True once a timer due at <paramref name="at"/> has been armed; within 1 ms, because Task.Delay passes its delay
    /// to the timer in whole milliseconds.
    /// </summary>
    public bool HasTimerDueAt(DateTimeOffset at)
    {
        lock (_dueTimes)
        {
            return _dueTimes.Exists(due => (due - at).Duration() <= TimeSpan.FromMilliseconds(1));
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Note(dueTime);
        return new WatchedTimer(this, inner.CreateTimer(callback, state, dueTime, period));
    }

    private void Note(TimeSpan dueTime)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (_dueTimes)
            {
                _dueTimes.Add(inner.GetUtcNow() + dueTime);
            }
        }
    }

    /// <summary>Task.Delay creates its timer unarmed and arms it with <see cref="ITimer.Change"/>: watch that too.</summary>
    private sealed class WatchedTimer(TimerWatchingTimeProvider owner, ITimer timer) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Note(dueTime);
            return timer.Change(dueTime, period);
        }

        public void Dispose() => timer.Dispose();

        public ValueTask DisposeAsync() => timer.DisposeAsync();
    }
}
