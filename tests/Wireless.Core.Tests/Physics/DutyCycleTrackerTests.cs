using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;

namespace DePin.Wireless.Core.Tests.Physics;

public class DutyCycleTrackerTests
{
    private static readonly Hz G1 = new(868_100_000);
    private static readonly Hz G3 = new(869_525_000);

    [Fact]
    public void One_percent_band_allows_36_seconds_per_hour()
    {
        var clock = new ManualClock();
        var tracker = DutyCycleTracker.ForPlan(Eu868.Create(), clock);
        Assert.Equal(TimeSpan.FromSeconds(36), tracker.Budget(G1));
        Assert.Equal(TimeSpan.FromSeconds(360), tracker.Budget(G3));
        Assert.Equal(TimeSpan.FromSeconds(3.6), tracker.Budget(new Hz(868_900_000)));
        Assert.Equal(TimeSpan.FromSeconds(3.6), tracker.Budget(new Hz(864_000_000)));
    }

    [Fact]
    public void Blocks_when_the_hourly_budget_is_spent_and_reopens_one_window_after_the_oldest_transmission()
    {
        var clock = new ManualClock();
        var tracker = DutyCycleTracker.ForPlan(Eu868.Create(), clock);
        var airtime = TimeSpan.FromSeconds(12);
        var t0 = clock.GetUtcNow();

        Assert.True(tracker.TryRecordTransmission(G1, airtime));
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.True(tracker.TryRecordTransmission(G1, airtime));
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.True(tracker.TryRecordTransmission(G1, airtime));
        Assert.Equal(TimeSpan.FromSeconds(36), tracker.Used(G1));

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(tracker.CanTransmit(G1, airtime));
        Assert.False(tracker.TryRecordTransmission(G1, airtime));
        Assert.Equal(t0 + TimeSpan.FromHours(1), tracker.NextTransmitTime(G1, airtime));

        // Another sub-band has its own budget.
        Assert.True(tracker.TryRecordTransmission(G3, airtime));

        clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromMinutes(21));
        Assert.True(tracker.CanTransmit(G1, airtime));
        Assert.Equal(TimeSpan.FromSeconds(24), tracker.Used(G1));
    }

    [Fact]
    public void A_longer_frame_waits_for_more_expiries()
    {
        var clock = new ManualClock();
        var tracker = new DutyCycleTracker(Eu868.DutyCycleBands, clock);
        var t0 = clock.GetUtcNow();
        for (var i = 0; i < 6; i++)
        {
            Assert.True(tracker.TryRecordTransmission(G1, TimeSpan.FromSeconds(6)));
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        // 36 s used; a 13 s frame needs three 6 s entries (starting t0, t0+1, t0+2 min) to expire.
        Assert.Equal(t0 + TimeSpan.FromMinutes(62), tracker.NextTransmitTime(G1, TimeSpan.FromSeconds(13)));
        Assert.Equal(t0 + TimeSpan.FromMinutes(60), tracker.NextTransmitTime(G1, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Rejects_frequencies_outside_every_band_and_impossible_airtimes()
    {
        var tracker = DutyCycleTracker.ForPlan(Eu868.Create(), new ManualClock());
        Assert.Contains("outside every regulated sub-band", Assert.Throws<ArgumentException>(() => tracker.CanTransmit(new Hz(869_300_000), TimeSpan.FromSeconds(1))).Message, StringComparison.Ordinal);
        Assert.Contains("exceeds the whole", Assert.Throws<ArgumentOutOfRangeException>(() => tracker.NextTransmitTime(G1, TimeSpan.FromSeconds(37))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.TryRecordTransmission(G1, TimeSpan.Zero));
        Assert.Throws<ArgumentException>(() => DutyCycleTracker.ForPlan(Us915.Create(), new ManualClock()));
        Assert.Throws<ArgumentException>(() => new DutyCycleTracker([new DutyCycleBand("bad", G1, G1, 1.5, new Dbm(14))], new ManualClock()));
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}
