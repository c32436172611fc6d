using DePin.Wireless.Core.Regions;

namespace DePin.Wireless.Devnet.Medium;

/// <summary>Configuration of a <see cref="RadioMedium"/>. Every default is listed with its source in README.md.</summary>
public sealed record RadioMediumOptions
{
    /// <summary>Seed of every random term (shadowing, fading, counter offsets, timestamp jitter).</summary>
    public int Seed { get; init; }

    public PropagationOptions Propagation { get; init; } = new();

    /// <summary>Region whose duty-cycle sub-bands bind transmitters (EU868: ETSI EN 300 220-2). Plans without bands impose none.</summary>
    public RegionPlan Region { get; init; } = RegionPlans.Get("EU868");

    /// <summary>Grid cell edge for the neighbour index. Any size gives the same receptions; see README ("Neighbour search") for why 20 km.</summary>
    public double GridCellSizeMeters { get; init; } = 20_000;

    /// <summary>Wall-clock instant that simulated time zero maps to (only used to drive <c>DutyCycleTracker</c>'s <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset Epoch { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Standard deviation of the error added to GPS fine timestamps, ns (0 = ideal receivers).</summary>
    public double FineTimestampSigmaNanoseconds { get; init; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Propagation);
        ArgumentNullException.ThrowIfNull(Region);
        if (!double.IsFinite(GridCellSizeMeters) || GridCellSizeMeters <= 0)
        {
            throw new ArgumentException($"radio medium: GridCellSizeMeters {GridCellSizeMeters} must be positive", nameof(GridCellSizeMeters));
        }

        if (!double.IsFinite(FineTimestampSigmaNanoseconds) || FineTimestampSigmaNanoseconds < 0)
        {
            throw new ArgumentException($"radio medium: FineTimestampSigmaNanoseconds {FineTimestampSigmaNanoseconds} must be ≥ 0", nameof(FineTimestampSigmaNanoseconds));
        }
    }
}
