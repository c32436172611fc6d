using DePin.Wireless.Core.Physics;

namespace DePin.Wireless.Devnet.Medium;

/// <summary>Parameters of the simulated propagation (see README.md beside this file for the sources of each default).</summary>
public sealed record PropagationOptions
{
    /// <summary>
    /// Log-distance model for a link between antennas at the reference heights. Default: Okumura–Hata urban (small/medium
    /// city), f = 868 MHz, base station 10 m, mobile 1.5 m (Hata, IEEE Trans. Veh. Technol. VT-29(3), 1980, eq. 13 with
    /// a(h_m) of eq. 14a): PL(1 km) = 132.59 dB, n = 3.835; shadowing σ = 6 dB (3GPP TR 38.901 Table 7.4.1-1, UMa NLOS).
    /// The devnet's hotspots stand in towns, and with the urban figure a PoC beacon is heard by a few tens of
    /// hotspots at the world's density, as on Helium (see README.md, "Witnesses per beacon").
    /// </summary>
    public LogDistancePathLossOptions PathLoss { get; init; } = HataUrban868;

    /// <summary>Heights the path-loss model is calibrated for: product of the two antenna heights (10 m × 1.5 m).</summary>
    public double ReferenceHeightProductSquareMeters { get; init; } = 15.0;

    /// <summary>
    /// Gain per decade of the product of both antenna heights over the reference. 13.82 dB is Hata's base-station
    /// height coefficient; applying it to the product of both heights is our simplification (two-ray theory gives 20).
    /// </summary>
    public double HeightGainDbPerDecade { get; init; } = 13.82;

    /// <summary>Antennas lower than this are treated as this high (keeps the logarithm sane).</summary>
    public double MinimumHeightMeters { get; init; } = 1.0;

    /// <summary>
    /// Building entry loss for an indoor radio, per indoor end of a link: the 3GPP TR 38.901 §7.4.3 low-loss O2I model
    /// at 0.868 GHz (glass 2 + 0.2f, concrete 5 + 4f, 30 %/70 %) gives 10.5 dB.
    /// </summary>
    public double IndoorPenetrationLossDb { get; init; } = 10.5;

    /// <summary>Shadowing draws are clipped at ±this many σ so a maximum range exists (neighbour search needs one).</summary>
    public double ShadowingClipSigmas { get; init; } = 3.0;

    /// <summary>Standard deviation of the per-packet fading term, dB (small-scale variation on top of per-link shadowing).</summary>
    public double FadingSigmaDb { get; init; } = 1.5;

    public double FadingClipSigmas { get; init; } = 3.0;

    /// <summary>Receiver noise figure (SX127x/SX130x; <c>LinkBudget.DefaultNoiseFigureDb</c>).</summary>
    public double NoiseFigureDb { get; init; } = LinkBudget.DefaultNoiseFigureDb;

    /// <summary>
    /// The least loss any link has beyond free space (dB): the received power never exceeds
    /// P_tx + G_tx + G_rx − FSPL(d) − this, whatever the shadowing and fading draws (shadowing is an excess loss over
    /// the median; it cannot beat line of sight). 1 dB stands for what a real line-of-sight installation always
    /// loses — feeder cable and connectors (LMR-400 ≈ 0.13 dB/m at 868 MHz plus ≈ 0.1 dB per connector) and
    /// imperfect Fresnel-zone clearance — and keeps an honest hotspot under the oracle's free-space RSSI ceiling when
    /// its asserted location (an H3 resolution-12 cell centre, ≤ ~10 m from the radio) makes the link look up to
    /// ~0.6 dB shorter at the 350 m minimum witness distance.
    /// </summary>
    public double LineOfSightExcessLossDb { get; init; } = 1.0;

    /// <summary>Links shorter than this are computed at this distance.</summary>
    public double MinimumDistanceMeters { get; init; } = 1.0;

    /// <summary>Okumura–Hata suburban at 868 MHz, h_b = 10 m, h_m = 1.5 m, as a log-distance model with d0 = 1 km.</summary>
    public static LogDistancePathLossOptions HataSuburban868 { get; } = new()
    {
        ReferenceDistanceMeters = 1000,
        ReferenceLossDb = 122.74,
        Exponent = 3.835,
        ShadowingSigmaDb = 6.0,
    };

    /// <summary>
    /// Okumura–Hata urban (small/medium city) at 868 MHz, h_b = 10 m, h_m = 1.5 m: 69.55 + 26.16·log10(868) −
    /// 13.82·log10(10) − a(1.5) with a(1.5) = (1.1·log10 f − 0.7)·1.5 − (1.56·log10 f − 0.8) = 0.01 dB, i.e. the
    /// suburban figure plus its correction 2·log10²(f/28) + 5.4 = 9.85 dB.
    /// </summary>
    public static LogDistancePathLossOptions HataUrban868 { get; } = HataSuburban868 with { ReferenceLossDb = 132.59 };

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(PathLoss);
        RequireNonNegative(ReferenceHeightProductSquareMeters, nameof(ReferenceHeightProductSquareMeters), strictlyPositive: true);
        RequireNonNegative(HeightGainDbPerDecade, nameof(HeightGainDbPerDecade));
        RequireNonNegative(MinimumHeightMeters, nameof(MinimumHeightMeters), strictlyPositive: true);
        RequireNonNegative(IndoorPenetrationLossDb, nameof(IndoorPenetrationLossDb));
        RequireNonNegative(ShadowingClipSigmas, nameof(ShadowingClipSigmas));
        RequireNonNegative(FadingSigmaDb, nameof(FadingSigmaDb));
        RequireNonNegative(FadingClipSigmas, nameof(FadingClipSigmas));
        RequireNonNegative(MinimumDistanceMeters, nameof(MinimumDistanceMeters), strictlyPositive: true);
        RequireNonNegative(LineOfSightExcessLossDb, nameof(LineOfSightExcessLossDb));
        if (!double.IsFinite(NoiseFigureDb))
        {
            throw new ArgumentException($"propagation: NoiseFigureDb {NoiseFigureDb} must be finite", nameof(NoiseFigureDb));
        }
    }

    private static void RequireNonNegative(double value, string name, bool strictlyPositive = false)
    {
        if (!double.IsFinite(value) || value < 0 || (strictlyPositive && value == 0))
        {
            throw new ArgumentException($"propagation: {name} is {value}, expected a finite number {(strictlyPositive ? "> 0" : "≥ 0")}", name);
        }
    }
}
