namespace DePin.Wireless.HotspotHost.Beaconing;

/// <summary>
/// When to beacon: once in every UTC-aligned window (6 h by default, gateway-rs settings.rs), at a random moment
/// inside it, so neighbours cannot predict the beacon and the verifier's one-beacon-per-window rule holds.
/// The window length must divide 24 h, as the verifier buckets beacons by truncating their time to it.
/// </summary>
public sealed class BeaconSchedule
{
    private readonly TimeSpan _interval;
    private readonly Random _random;

    public BeaconSchedule(TimeSpan interval, Random random)
    {
        if (interval <= TimeSpan.Zero || TimeSpan.FromDays(1).Ticks % interval.Ticks != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), $"beacon interval {interval} must be positive and divide 24 h");
        }

        _interval = interval;
        _random = random;
    }

    public TimeSpan Interval => _interval;

    /// <summary>
    /// No beacon is drawn in the last part of a window: the oracle files a beacon under the window of its *receive*
    /// time (CoverageOracle BeaconChecks, Helium's bucketing), and a report may reach it up to the forwarding queue's
    /// MaxAge (60 s by default) plus the SF12 airtime after transmission. A beacon sent in the window's last seconds
    /// would land in the next window, where the hotspot's next beacon would then be refused as irregular_interval.
    /// Two minutes, or a tenth of a short test interval.
    /// </summary>
    public TimeSpan EndGuard => TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(2).Ticks, _interval.Ticks / 10));

    /// <summary>Start of the window that contains <paramref name="time"/>.</summary>
    public DateTimeOffset WindowStart(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % _interval.Ticks), TimeSpan.Zero);
    }

    /// <summary>
    /// The next beacon time after <paramref name="now"/>, given the window of the last beacon sent (null if none):
    /// a random moment in the current window if we have not beaconed in it and time remains, otherwise in the next.
    /// </summary>
    public DateTimeOffset NextBeaconTime(DateTimeOffset now, DateTimeOffset? lastBeaconWindow)
    {
        var window = WindowStart(now);
        if (lastBeaconWindow is { } last && last >= window)
        {
            window += _interval;
        }

        var earliest = window > now ? window : now;
        var remaining = window + _interval - EndGuard - earliest;
        if (remaining <= TimeSpan.FromSeconds(1))
        {
            window += _interval;
            earliest = window;
            remaining = _interval - EndGuard;
        }

        var offset = TimeSpan.FromTicks((long)(_random.NextDouble() * remaining.Ticks));
        return earliest + offset;
    }
}
