using DePin.Wireless.Devnet.Run;

namespace DePin.Wireless.Devnet.Tests.Run;

public sealed class SerialWorkerTests
{
    [Fact]
    public void Items_run_one_at_a_time_in_the_order_posted()
    {
        using var worker = new SerialWorker("test");
        var seen = new List<int>();
        var running = 0;
        var overlapped = false;
        var items = Enumerable.Range(0, 2_000).Select(i => worker.Post(() =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            seen.Add(i);
            Interlocked.Decrement(ref running);
        })).ToList();

        items[^1].Wait();
        Assert.All(items, item => Assert.True(item.IsCompleted));
        Assert.Equal(Enumerable.Range(0, 2_000), seen);
        Assert.False(overlapped);
    }

    [Fact]
    public void A_failure_is_rethrown_by_its_item_and_by_drain_and_later_items_still_run()
    {
        using var worker = new SerialWorker("test");
        var failing = worker.Post(() => throw new InvalidOperationException("report 7: session disposed"));
        var later = 0;
        var next = worker.Post(() => later = 1);

        Assert.Equal("report 7: session disposed", Assert.Throws<InvalidOperationException>(failing.Wait).Message);
        next.Wait();
        Assert.Equal(1, later);
        Assert.Throws<InvalidOperationException>(worker.Drain);
    }

    [Fact]
    public void Dispose_lets_queued_work_finish_and_refuses_new_work()
    {
        var worker = new SerialWorker("test");
        var done = 0;
        for (var i = 0; i < 100; i++)
        {
            worker.Post(() => Interlocked.Increment(ref done));
        }

        worker.Dispose();
        Assert.Equal(100, done);
        Assert.Throws<ObjectDisposedException>(() => worker.Post(() => { }));
    }
}
