using DePin.Wireless.HotspotHost.Forwarding;
using DePin.Wireless.TestSupport;

namespace DePin.Wireless.HotspotHost.Tests;

public class ForwardQueueTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void Fresh_items_go_before_due_retries()
    {
        var q = new ForwardQueue<string>(new ForwardQueueOptions(), _clock);
        q.Enqueue("old");
        var first = q.TakeReady()!;
        q.Failed(first);
        _clock.Advance(TimeSpan.FromSeconds(1)); // retry now due
        q.Enqueue("new");
        Assert.Equal("new", q.TakeReady()!.Value);
        var retry = q.TakeReady()!;
        Assert.Equal("old", retry.Value);
        Assert.Equal(2, retry.Attempts);
        Assert.Null(q.TakeReady());
    }

    [Fact]
    public void Retries_back_off_exponentially_up_to_the_cap()
    {
        var options = new ForwardQueueOptions { InitialRetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(4), MaxAge = TimeSpan.FromMinutes(5) };
        var q = new ForwardQueue<int>(options, _clock);
        q.Enqueue(1);
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            var item = q.TakeReady()!;
            var start = _clock.GetUtcNow();
            q.Failed(item);
            Assert.Null(q.TakeReady()); // not due yet
            var due = q.NextRetryDue()!.Value;
            delays.Add(due - start);
            _clock.SetUtcNow(due);
        }

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4)], delays);
        Assert.Equal(4, q.Retried);
    }

    [Fact]
    public void Overflow_drops_the_oldest_and_counts_it()
    {
        var q = new ForwardQueue<int>(new ForwardQueueOptions { Capacity = 3 }, _clock);
        for (var i = 1; i <= 5; i++)
        {
            q.Enqueue(i);
            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(3, q.Depth);
        Assert.Equal(2, q.DroppedOverflow);
        Assert.Equal([3, 4, 5], [q.TakeReady()!.Value, q.TakeReady()!.Value, q.TakeReady()!.Value]);
    }

    [Fact]
    public void Items_past_max_age_are_dropped_not_retried()
    {
        var q = new ForwardQueue<int>(new ForwardQueueOptions { MaxAge = TimeSpan.FromSeconds(10), InitialRetryDelay = TimeSpan.FromSeconds(4), MaxRetryDelay = TimeSpan.FromSeconds(8) }, _clock);
        q.Enqueue(7);
        q.Failed(q.TakeReady()!);                 // due at +4 s
        _clock.Advance(TimeSpan.FromSeconds(4));
        q.Failed(q.TakeReady()!);                 // due at +12 s: past the 10 s age, dropped
        Assert.Equal(1, q.DroppedExpired);
        Assert.Equal(0, q.Depth);
        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Null(q.TakeReady());
    }

    [Fact]
    public void Bad_options_are_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ForwardQueue<int>(new ForwardQueueOptions { Capacity = 0 }, _clock));
}
