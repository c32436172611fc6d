using DePin.Wireless.Devnet.Run.Traffic;

namespace DePin.Wireless.Devnet.Tests.Traffic;

public sealed class SimulatedTimerClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Timers_fire_only_when_time_is_advanced_in_due_order_at_their_due_time()
    {
        var clock = new SimulatedTimerClock(Start);
        var fired = new List<(string Name, DateTimeOffset At)>();
        using var late = clock.CreateTimer(_ => fired.Add(("late", clock.GetUtcNow())), null, TimeSpan.FromMilliseconds(300), Timeout.InfiniteTimeSpan);
        using var early = clock.CreateTimer(_ => fired.Add(("early", clock.GetUtcNow())), null, TimeSpan.FromMilliseconds(200), Timeout.InfiniteTimeSpan);
        using var tie = clock.CreateTimer(_ => fired.Add(("tie", clock.GetUtcNow())), null, TimeSpan.FromMilliseconds(200), Timeout.InfiniteTimeSpan);

        clock.AdvanceTo(Start.AddMilliseconds(199));
        Assert.Empty(fired);

        clock.AdvanceTo(Start.AddSeconds(1));
        Assert.Equal(["early", "tie", "late"], fired.Select(f => f.Name));
        Assert.Equal([Start.AddMilliseconds(200), Start.AddMilliseconds(200), Start.AddMilliseconds(300)], fired.Select(f => f.At));
        Assert.Equal(Start.AddSeconds(1), clock.GetUtcNow());
    }

    [Fact]
    public void Disposed_and_changed_timers_fire_as_last_told_and_timers_created_in_callbacks_run_in_the_same_advance()
    {
        var clock = new SimulatedTimerClock(Start);
        var fired = new List<string>();
        var disposed = clock.CreateTimer(_ => fired.Add("disposed"), null, TimeSpan.FromMilliseconds(100), Timeout.InfiniteTimeSpan);
        disposed.Dispose();
        using var moved = clock.CreateTimer(_ => fired.Add("moved"), null, TimeSpan.FromMilliseconds(100), Timeout.InfiniteTimeSpan);
        moved.Change(TimeSpan.FromMilliseconds(500), Timeout.InfiniteTimeSpan);
        ITimer? child = null;
        using var parent = clock.CreateTimer(_ => child = clock.CreateTimer(_ => fired.Add("child"), null, TimeSpan.FromMilliseconds(50), Timeout.InfiniteTimeSpan), null, TimeSpan.FromMilliseconds(200), Timeout.InfiniteTimeSpan);

        clock.AdvanceTo(Start.AddMilliseconds(400));
        Assert.Equal(["child"], fired);
        clock.AdvanceTo(Start.AddMilliseconds(600));
        Assert.Equal(["child", "moved"], fired);
        Assert.Equal(0, clock.PendingTimers);
        child!.Dispose();
    }

    [Fact]
    public void Periodic_timers_repeat_and_time_never_goes_back()
    {
        var clock = new SimulatedTimerClock(Start);
        var count = 0;
        using var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        clock.AdvanceTo(Start.AddSeconds(3.5));
        Assert.Equal(3, count);
        clock.AdvanceTo(Start.AddSeconds(1));
        Assert.Equal(Start.AddSeconds(3.5), clock.GetUtcNow());
        Assert.Equal(Start.AddSeconds(4), clock.NextDue);
    }
}
