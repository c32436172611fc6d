namespace DePin.Wireless.Core.Regions;

/// <summary>Looks up a region plan by its common name (case-insensitive).</summary>
public static class RegionPlans
{
    /// <summary>Canonical names accepted by <see cref="Get"/> (aliases: AS923_1 for AS923-1).</summary>
    public static IReadOnlyList<string> Names { get; } = ["EU868", "US915", "AU915", "AS923-1", "KR920", "IN865"];

    public static RegionPlan Get(string name, RegionPlanOptions? options = null) =>
        TryGetFactory(name, out var factory)
            ? factory(options ?? RegionPlanOptions.Default)
            : throw new ArgumentException($"region: '{name}' is not a known region plan (valid: {string.Join(", ", Names)}; AS923_1 is accepted for AS923-1)", nameof(name));

    public static bool IsKnown(string? name) => TryGetFactory(name, out _);

    private static bool TryGetFactory(string? name, out Func<RegionPlanOptions, RegionPlan> factory)
    {
        factory = name?.Trim().ToUpperInvariant() switch
        {
            "EU868" => Eu868.Create,
            "US915" => Us915.Create,
            "AU915" => Au915.Create,
            "AS923-1" or "AS923_1" => As923Group1.Create,
            "KR920" => Kr920.Create,
            "IN865" => In865.Create,
            _ => null!,
        };
        return factory is not null;
    }
}
