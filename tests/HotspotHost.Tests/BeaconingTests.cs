using DePin.Wireless.HotspotHost.Beaconing;
using DePin.Wireless.HotspotHost.Witnessing;

namespace DePin.Wireless.HotspotHost.Tests;

public class BeaconingTests
{
    private static readonly DateTimeOffset Midnight = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void One_beacon_per_six_hour_window_at_a_random_moment()
    {
        var schedule = new BeaconSchedule(TimeSpan.FromHours(6), new Random(42));
        var now = Midnight.AddHours(1);
        DateTimeOffset? lastWindow = null;
        var times = new List<DateTimeOffset>();
        for (var i = 0; i < 8; i++)
        {
            var t = schedule.NextBeaconTime(now, lastWindow);
            Assert.True(t >= now);
            times.Add(t);
            lastWindow = schedule.WindowStart(t);
            now = t;
        }

        var windows = times.Select(schedule.WindowStart).ToList();
        Assert.Equal(windows.Count, windows.Distinct().Count());
        for (var i = 1; i < windows.Count; i++)
        {
            Assert.Equal(TimeSpan.FromHours(6), windows[i] - windows[i - 1]);
        }

        // Not always at the same offset inside the window.
        Assert.True(times.Select(t => t - schedule.WindowStart(t)).Distinct().Count() > 1);
    }

    [Fact]
    public void No_beacon_in_the_last_two_minutes_of_a_window_so_a_late_report_cannot_fall_into_the_next()
    {
        var schedule = new BeaconSchedule(TimeSpan.FromHours(6), new Random(3));
        Assert.Equal(TimeSpan.FromMinutes(2), schedule.EndGuard);
        for (var i = 0; i < 2_000; i++)
        {
            var now = Midnight.AddSeconds(i * 97.3);
            var t = schedule.NextBeaconTime(now, null);
            Assert.True(t - schedule.WindowStart(t) < TimeSpan.FromHours(6) - schedule.EndGuard, $"{t:O} from {now:O}");
        }

        // Woken inside the guard with nothing sent: the beacon moves to the next window.
        var late = Midnight.AddHours(6) - TimeSpan.FromSeconds(30);
        Assert.Equal(Midnight.AddHours(6), schedule.WindowStart(schedule.NextBeaconTime(late, null)));
    }

    [Fact]
    public void Same_seed_same_schedule()
    {
        var a = new BeaconSchedule(TimeSpan.FromHours(6), new Random(7)).NextBeaconTime(Midnight, null);
        var b = new BeaconSchedule(TimeSpan.FromHours(6), new Random(7)).NextBeaconTime(Midnight, null);
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(0)]
    public void Interval_must_divide_a_day(int hours) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BeaconSchedule(TimeSpan.FromHours(hours), new Random(1)));

    [Fact]
    public void Recognizer_witnesses_a_beacon_once_and_never_our_own()
    {
        var r = new BeaconRecognizer(payloadLength: 51);
        var neighbour = Frame(1);
        var own = Frame(2);
        r.RememberOwn(own.AsSpan(1));
        Assert.Equal(WitnessDecision.Witness, r.Classify(neighbour, out var payload));
        Assert.Equal(neighbour[1..], payload.ToArray());
        Assert.Equal(WitnessDecision.AlreadySeen, r.Classify(neighbour, out _));
        Assert.Equal(WitnessDecision.AlreadySeen, r.Classify(own, out _));
        Assert.Equal(WitnessDecision.NotABeacon, r.Classify(neighbour.AsSpan(0, 40), out _));
        var dataUp = (byte[])neighbour.Clone();
        dataUp[0] = 0x40; // UnconfirmedDataUp
        Assert.Equal(WitnessDecision.NotABeacon, r.Classify(dataUp, out _));
    }

    [Fact]
    public void Recognizer_cache_is_bounded()
    {
        var r = new BeaconRecognizer(payloadLength: 51, cacheCapacity: 2);
        Assert.Equal(WitnessDecision.Witness, r.Classify(Frame(1), out _));
        Assert.Equal(WitnessDecision.Witness, r.Classify(Frame(2), out _));
        Assert.Equal(WitnessDecision.Witness, r.Classify(Frame(3), out _));
        Assert.Equal(WitnessDecision.Witness, r.Classify(Frame(1), out _)); // evicted, heard again later
    }

    [Fact]
    public void Recognizer_forgets_the_oldest_beacon_first_and_a_repeat_does_not_refresh_it()
    {
        var r = new BeaconRecognizer(payloadLength: 51, cacheCapacity: 3);
        foreach (var seed in new byte[] { 1, 2, 3 })
        {
            Assert.Equal(WitnessDecision.Witness, r.Classify(Frame(seed), out _));
        }

        Assert.Equal(WitnessDecision.AlreadySeen, r.Classify(Frame(1), out _)); // seen, still the oldest
        Assert.Equal(WitnessDecision.Witness, r.Classify(Frame(4), out _)); // forgets 1
        Assert.Equal(WitnessDecision.AlreadySeen, r.Classify(Frame(2), out _));
        Assert.Equal(WitnessDecision.Witness, r.Classify(Frame(1), out _)); // forgets 2
        Assert.Equal(WitnessDecision.AlreadySeen, r.Classify(Frame(3), out _));
        Assert.Equal(WitnessDecision.AlreadySeen, r.Classify(Frame(4), out _));
        Assert.Equal(WitnessDecision.Witness, r.Classify(Frame(2), out _));
    }

    private static byte[] Frame(byte seed)
    {
        var f = new byte[52];
        f[0] = BeaconRecognizer.ProprietaryMhdr;
        new Random(seed).NextBytes(f.AsSpan(1));
        return f;
    }
}
