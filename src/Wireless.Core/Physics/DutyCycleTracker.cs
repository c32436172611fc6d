using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;

namespace DePin.Wireless.Core.Physics;

/// <summary>
/// Per-radio duty-cycle bookkeeping for regulated sub-bands (EU868, ETSI EN 300 220-2 V3.1.1 §4.3.3: the sum of
/// transmission times within any one-hour observation window must not exceed DutyCycle × 1 h).
/// A transmission counts against its band for one <see cref="ObservationWindow"/> from its start. Time comes from
/// the injected <see cref="TimeProvider"/>. Thread-safe.
/// </summary>
public sealed class DutyCycleTracker
{
    private readonly IReadOnlyList<DutyCycleBand> bands;
    private readonly TimeProvider time;
    private readonly Dictionary<DutyCycleBand, Queue<(DateTimeOffset Start, TimeSpan Airtime)>> history = [];
    private readonly Lock gate = new();

    public DutyCycleTracker(IReadOnlyList<DutyCycleBand> bands, TimeProvider time, TimeSpan? observationWindow = null)
    {
        ArgumentNullException.ThrowIfNull(bands);
        ArgumentNullException.ThrowIfNull(time);
        if (bands.Count == 0)
        {
            throw new ArgumentException("duty cycle: at least one sub-band is required", nameof(bands));
        }

        foreach (var band in bands)
        {
            if (!double.IsFinite(band.DutyCycle) || band.DutyCycle is <= 0 or > 1)
            {
                throw new ArgumentException($"duty cycle: band {band.Name} has limit {band.DutyCycle}, expected 0 < limit ≤ 1", nameof(bands));
            }

            history[band] = new Queue<(DateTimeOffset, TimeSpan)>();
        }

        ObservationWindow = observationWindow ?? TimeSpan.FromHours(1);
        if (ObservationWindow <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(observationWindow), $"duty cycle: observation window {ObservationWindow} must be positive");
        }

        this.bands = bands;
        this.time = time;
    }

    /// <summary>Tracker over a region plan's duty-cycle bands (EU868).</summary>
    public static DutyCycleTracker ForPlan(RegionPlan plan, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.DutyCycleBands.Count == 0
            ? throw new ArgumentException($"duty cycle: {plan.Name} has no duty-cycle sub-bands", nameof(plan))
            : new DutyCycleTracker(plan.DutyCycleBands, time);
    }

    public TimeSpan ObservationWindow { get; }

    public DutyCycleBand BandFor(Hz frequency) =>
        bands.FirstOrDefault(b => b.Contains(frequency))
        ?? throw new ArgumentException($"duty cycle: {frequency.Megahertz} MHz is outside every regulated sub-band ({string.Join(", ", bands.Select(b => b.Name))})", nameof(frequency));

    /// <summary>Airtime allowed per observation window in the band of this frequency.</summary>
    public TimeSpan Budget(Hz frequency) => BudgetOf(BandFor(frequency));

    /// <summary>Airtime already used in the current window of the band.</summary>
    public TimeSpan Used(Hz frequency)
    {
        var band = BandFor(frequency);
        lock (gate)
        {
            var now = time.GetUtcNow();
            Expire(band, now);
            return Sum(history[band]);
        }
    }

    /// <summary>The earliest time (≥ now) at which a transmission of <paramref name="airtime"/> on this frequency is allowed.</summary>
    public DateTimeOffset NextTransmitTime(Hz frequency, TimeSpan airtime)
    {
        var band = BandFor(frequency);
        RequireAirtime(band, airtime);
        lock (gate)
        {
            var now = time.GetUtcNow();
            Expire(band, now);
            return EarliestStart(band, airtime, now);
        }
    }

    public bool CanTransmit(Hz frequency, TimeSpan airtime) => NextTransmitTime(frequency, airtime) <= time.GetUtcNow();

    /// <summary>Records a transmission starting now if the band allows it; false (nothing recorded) otherwise.</summary>
    public bool TryRecordTransmission(Hz frequency, TimeSpan airtime)
    {
        var band = BandFor(frequency);
        RequireAirtime(band, airtime);
        lock (gate)
        {
            var now = time.GetUtcNow();
            Expire(band, now);
            if (EarliestStart(band, airtime, now) > now)
            {
                return false;
            }

            history[band].Enqueue((now, airtime));
            return true;
        }
    }

    private TimeSpan BudgetOf(DutyCycleBand band) => TimeSpan.FromTicks((long)(ObservationWindow.Ticks * band.DutyCycle));

    private DateTimeOffset EarliestStart(DutyCycleBand band, TimeSpan airtime, DateTimeOffset now)
    {
        // Drop the oldest transmissions (each frees its airtime one window after it started) until the new one fits.
        var allowed = BudgetOf(band) - airtime;
        var used = Sum(history[band]);
        var at = now;
        foreach (var (start, spent) in history[band])
        {
            if (used <= allowed)
            {
                break;
            }

            used -= spent;
            at = start + ObservationWindow;
        }

        return at > now ? at : now;
    }

    private void Expire(DutyCycleBand band, DateTimeOffset now)
    {
        var queue = history[band];
        while (queue.Count > 0 && queue.Peek().Start + ObservationWindow <= now)
        {
            queue.Dequeue();
        }
    }

    private static TimeSpan Sum(IEnumerable<(DateTimeOffset Start, TimeSpan Airtime)> entries)
    {
        var total = TimeSpan.Zero;
        foreach (var (_, airtime) in entries)
        {
            total += airtime;
        }

        return total;
    }

    private void RequireAirtime(DutyCycleBand band, TimeSpan airtime)
    {
        if (airtime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(airtime), $"duty cycle: airtime {airtime} must be positive");
        }

        if (airtime > BudgetOf(band))
        {
            throw new ArgumentOutOfRangeException(nameof(airtime), $"duty cycle: airtime {airtime.TotalMilliseconds} ms exceeds the whole {BudgetOf(band).TotalMilliseconds} ms budget of band {band.Name}");
        }
    }
}
