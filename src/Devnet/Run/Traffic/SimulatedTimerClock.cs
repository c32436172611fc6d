namespace DePin.Wireless.Devnet.Run.Traffic;

/// <summary>
/// A <see cref="TimeProvider"/> on simulated time whose timers fire only when the simulation advances the clock
/// (<see cref="AdvanceTo"/>), in order of due time and then of creation. The network server's dedup window and
/// envelope checks run on it, so a run never reads the wall clock and the same seed gives the same order of events.
/// Driven from the single simulation thread; timer callbacks run synchronously inside <see cref="AdvanceTo"/>.
/// </summary>
public sealed class SimulatedTimerClock(DateTimeOffset start) : TimeProvider
{
    private readonly PriorityQueue<(SimulatedTimer Timer, long Generation), (DateTimeOffset Due, long Order)> _due = new();
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;
    private long _order;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>Timers waiting to fire.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_gate)
            {
                return _due.Count;
            }
        }
    }

    /// <summary>The due time of the next armed timer, if any.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate)
            {
                Discard();
                return _due.TryPeek(out _, out var key) ? key.Due : null;
            }
        }
    }

    /// <summary>Moves time forward to <paramref name="time"/>, firing every timer due by then at its own due time.</summary>
    public void AdvanceTo(DateTimeOffset time)
    {
        while (true)
        {
            SimulatedTimer timer;
            lock (_gate)
            {
                Discard();
                if (!_due.TryPeek(out var entry, out var key) || key.Due > time)
                {
                    if (time > _now)
                    {
                        _now = time;
                    }

                    return;
                }

                _due.Dequeue();
                timer = entry.Timer;
                if (key.Due > _now)
                {
                    _now = key.Due;
                }

                timer.Armed = false;
                if (timer.Period is { } period)
                {
                    Arm(timer, key.Due + period);
                }
            }

            timer.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SimulatedTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    internal void Schedule(SimulatedTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            timer.Generation++;
            timer.Armed = false;
            timer.Period = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? null : period;
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                Arm(timer, _now + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime));
            }
        }
    }

    private void Arm(SimulatedTimer timer, DateTimeOffset due)
    {
        timer.Armed = true;
        _due.Enqueue((timer, timer.Generation), (due, _order++));
    }

    /// <summary>Drops queue heads that were re-armed or disposed since they were queued.</summary>
    private void Discard()
    {
        while (_due.TryPeek(out var head, out _) && (!head.Timer.Armed || head.Generation != head.Timer.Generation))
        {
            _due.Dequeue();
        }
    }

    internal sealed class SimulatedTimer(SimulatedTimerClock clock, TimerCallback callback, object? state) : ITimer
    {
        public long Generation { get; set; }

        public bool Armed { get; set; }

        public TimeSpan? Period { get; set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Schedule(this, dueTime, period);
            return true;
        }

        public void Dispose() => clock.Schedule(this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
