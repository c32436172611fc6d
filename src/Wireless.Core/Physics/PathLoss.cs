using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Physics;

/// <summary>Free-space path loss (Friis transmission equation).</summary>
public static class FreeSpacePathLoss
{
    /// <summary>Speed of light in vacuum, m/s (exact, SI).</summary>
    public const double SpeedOfLight = 299_792_458.0;

    /// <summary>
    /// FSPL(dB) = 20·log10(4π·d·f / c) = 20·log10(d) + 20·log10(f) − 147.55 (d in metres, f in hertz).
    /// </summary>
    public static double Db(double distanceMeters, Hz frequency)
    {
        if (!double.IsFinite(distanceMeters) || distanceMeters <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(distanceMeters), $"free-space path loss: distance {distanceMeters} m must be positive and finite");
        }

        if (frequency.Value <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(frequency), $"free-space path loss: frequency {frequency.Value} Hz must be positive");
        }

        return 20 * Math.Log10(4 * Math.PI * distanceMeters * frequency.Value / SpeedOfLight);
    }

    /// <summary>Inverse of <see cref="Db"/>: the distance at which free space loses the given number of dB.</summary>
    public static double DistanceMeters(double pathLossDb, Hz frequency)
    {
        LinkBudget.RequireFinite(pathLossDb, nameof(pathLossDb));
        if (frequency.Value <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(frequency), $"free-space path loss: frequency {frequency.Value} Hz must be positive");
        }

        return Math.Pow(10, pathLossDb / 20) * SpeedOfLight / (4 * Math.PI * frequency.Value);
    }
}

/// <summary>Parameters of a log-distance path-loss model with log-normal shadowing.</summary>
public sealed record LogDistancePathLossOptions
{
    /// <summary>d0 in metres.</summary>
    public double ReferenceDistanceMeters { get; init; } = 40.0;

    /// <summary>Mean path loss at d0 in dB.</summary>
    public double ReferenceLossDb { get; init; } = 127.41;

    /// <summary>Path-loss exponent n (2 = free space; 2.7–3.5 urban).</summary>
    public double Exponent { get; init; } = 2.08;

    /// <summary>Standard deviation σ of the zero-mean Gaussian shadowing term X_σ, in dB.</summary>
    public double ShadowingSigmaDb { get; init; } = 3.57;

    /// <summary>
    /// Bor, Roedig, Voigt, Alonso, "Do LoRa Low-Power Wide-Area Networks Scale?" (MSWiM 2016), §3.2: measured in
    /// Lancaster at 868 MHz, d0 = 40 m, PL(d0) = 127.41 dB, n = 2.08, σ = 3.57 dB (LoRaSim uses the same d0/PL(d0)/n but sets the variance to 0).
    /// </summary>
    public static LogDistancePathLossOptions BorLancaster868 { get; } = new();

    /// <summary>Log-distance model that equals free space: d0 = 1 m, PL(d0) = FSPL(1 m, f), n = 2, no shadowing.</summary>
    public static LogDistancePathLossOptions FreeSpace(Hz frequency) => new()
    {
        ReferenceDistanceMeters = 1,
        ReferenceLossDb = FreeSpacePathLoss.Db(1, frequency),
        Exponent = 2,
        ShadowingSigmaDb = 0,
    };
}

/// <summary>
/// Log-distance path loss: PL(d) = PL(d0) + 10·n·log10(d/d0) + X_σ, X_σ ~ N(0, σ²) (Rappaport, "Wireless
/// Communications", §4.9, eqs. 4.68–4.69a). Shadowing is drawn from a caller-supplied seeded <see cref="Random"/>.
/// </summary>
public sealed class LogDistancePathLoss
{
    public LogDistancePathLoss(LogDistancePathLossOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!double.IsFinite(options.ReferenceDistanceMeters) || options.ReferenceDistanceMeters <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"log-distance path loss: reference distance {options.ReferenceDistanceMeters} m must be positive");
        }

        if (!double.IsFinite(options.Exponent) || options.Exponent <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"log-distance path loss: exponent {options.Exponent} must be positive");
        }

        if (!double.IsFinite(options.ShadowingSigmaDb) || options.ShadowingSigmaDb < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"log-distance path loss: shadowing sigma {options.ShadowingSigmaDb} dB must be ≥ 0");
        }

        LinkBudget.RequireFinite(options.ReferenceLossDb, "ReferenceLossDb");
        Options = options;
    }

    public LogDistancePathLossOptions Options { get; }

    /// <summary>Mean (median) path loss at a distance, without shadowing.</summary>
    public double MeanDb(double distanceMeters)
    {
        RequireDistance(distanceMeters);
        return Options.ReferenceLossDb + (10 * Options.Exponent * Math.Log10(distanceMeters / Options.ReferenceDistanceMeters));
    }

    /// <summary>One path-loss realisation: mean plus a Gaussian shadowing draw from <paramref name="random"/>.</summary>
    public double SampleDb(double distanceMeters, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return MeanDb(distanceMeters) + (Options.ShadowingSigmaDb * Gaussian.StandardNormal(random));
    }

    /// <summary>Distance at which the mean path loss equals <paramref name="pathLossDb"/> (inverse of <see cref="MeanDb"/>).</summary>
    public double DistanceForMeanLossMeters(double pathLossDb)
    {
        LinkBudget.RequireFinite(pathLossDb, nameof(pathLossDb));
        return Options.ReferenceDistanceMeters * Math.Pow(10, (pathLossDb - Options.ReferenceLossDb) / (10 * Options.Exponent));
    }

    private static void RequireDistance(double distanceMeters)
    {
        if (!double.IsFinite(distanceMeters) || distanceMeters <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(distanceMeters), $"log-distance path loss: distance {distanceMeters} m must be positive and finite");
        }
    }
}

/// <summary>Standard-normal draws from a seeded <see cref="Random"/> (Box–Muller transform).</summary>
public static class Gaussian
{
    public static double StandardNormal(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);

        // 1 − U keeps u1 in (0, 1] so the logarithm is finite.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
