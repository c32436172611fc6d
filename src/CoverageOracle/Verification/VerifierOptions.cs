namespace DePin.Wireless.CoverageOracle.Verification;

/// <summary>
/// Every constant of the PoC checks, with Helium's value as default
/// (shared/reference/helium-poc-and-data-credits.md §1–2; iot_verifier/src/poc.rs, runner.rs, entropy.rs).
/// </summary>
public sealed record VerifierOptions
{
    /// <summary>Entropy is valid this long after it was generated (ENTROPY_LIFESPAN = 180 s).</summary>
    public TimeSpan EntropyLifespan { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>One beacon per UTC-aligned bucket of this length (6 h).</summary>
    public TimeSpan BeaconInterval { get; init; } = TimeSpan.FromHours(6);

    /// <summary>HIP-106 reciprocity look-back (48 h).</summary>
    public TimeSpan ReciprocityWindow { get; init; } = TimeSpan.FromHours(48);

    /// <summary>A witness may arrive at most this long after its beacon (4000 ms).</summary>
    public TimeSpan MaxLagAfterBeacon { get; init; } = TimeSpan.FromMilliseconds(4000);

    /// <summary>When witnesses arrive before the beacon: at most this long after the first witness (1500 ms).</summary>
    public TimeSpan MaxLagAfterFirstWitness { get; init; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>Largest beacon/witness frequency difference (100 kHz).</summary>
    public long MaxFrequencyDeltaHz { get; init; } = 100_000;

    /// <summary>Resolution at which the minimum distance is measured in grid cells (res 11).</summary>
    public int MinDistanceResolution { get; init; } = 11;

    /// <summary>Minimum H3 grid distance between beaconer and witness at <see cref="MinDistanceResolution"/> (8 cells).</summary>
    public int MinGridDistance { get; init; } = 8;

    /// <summary>HIP-58 maximum beaconer–witness distance (100 km).</summary>
    public double MaxDistanceMeters { get; init; } = 100_000;

    /// <summary>HIP-83: the first 14 valid witnesses by receive time are rewarded.</summary>
    public int MaxWitnessesPerPoc { get; init; } = 14;

    /// <summary>Speed of light used by the free-space path-loss ceiling (Helium: 2.998e8 m/s).</summary>
    public double SpeedOfLight { get; init; } = 2.998e8;

    public void Validate()
    {
        if (EntropyLifespan <= TimeSpan.Zero || BeaconInterval <= TimeSpan.Zero || TimeSpan.FromDays(1).Ticks % BeaconInterval.Ticks != 0)
        {
            throw new ArgumentException("EntropyLifespan must be positive and BeaconInterval must divide 24 h");
        }

        if (MaxWitnessesPerPoc < 1 || MinGridDistance < 0 || MaxDistanceMeters <= 0 || MaxFrequencyDeltaHz < 0)
        {
            throw new ArgumentException("verifier limits must be positive");
        }
    }
}
