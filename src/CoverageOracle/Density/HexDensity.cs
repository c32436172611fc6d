namespace DePin.Wireless.CoverageOracle.Density;

/// <summary>The hex hierarchy operations hex density needs (implemented over H3).</summary>
public interface IHexHierarchy
{
    int Resolution(ulong cell);

    ulong Parent(ulong cell, int resolution);

    /// <summary>Writes the cell and its immediate neighbours (grid disk k = 1, at most 7) into <paramref name="destination"/>; returns the count.</summary>
    int Disk1(ulong cell, Span<ulong> destination);
}

/// <summary>Per-resolution HIP-17 parameters: neighbour allowance N, target density and maximum.</summary>
public sealed record DensityLevel(int Resolution, int Neighbours, int Target, int Max);

public sealed record HexDensityOptions
{
    /// <summary>HIP-104 values (shared/reference/helium-poc-and-data-credits.md §3; iot_verifier/src/hex_density.rs).</summary>
    public IReadOnlyList<DensityLevel> Levels { get; init; } =
    [
        new(4, 2, 500, 1000),
        new(5, 4, 100, 200),
        new(6, 4, 25, 50),
        new(7, 4, 5, 10),
        new(8, 2, 1, 1),
        new(9, 2, 1, 1),
        new(10, 2, 1, 1),
    ];

    /// <summary>Active hotspots are counted at this resolution before rolling up (res 11).</summary>
    public int BaseResolution { get; init; } = 11;

    /// <summary>Scale for a hotspot with no entry (DEFAULT_TX_SCALE = 0.2).</summary>
    public double DefaultScale { get; init; } = 0.2;

    public void Validate()
    {
        var resolutions = Levels.Select(l => l.Resolution).ToList();
        if (resolutions.Count == 0 || resolutions.Distinct().Count() != resolutions.Count || resolutions.Any(r => r < 0 || r >= BaseResolution))
        {
            throw new ArgumentException("hex density levels need distinct resolutions below the base resolution");
        }

        if (Levels.Any(l => l.Target < 0 || l.Max < l.Target || l.Neighbours < 0))
        {
            throw new ArgumentException("hex density levels need 0 <= target <= max and neighbours >= 0");
        }
    }
}
