using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Physics;

/// <summary>
/// Whether a LoRa packet survives a concurrent transmission on the same channel.
/// <list type="bullet">
/// <item>Same SF (co-channel, capture effect): the wanted packet survives when it is at least 6 dB stronger
/// (Bor et al., "Do LoRa Low-Power Wide-Area Networks Scale?", MSWiM 2016, §3.3; LoRaSim <c>powerCollision</c>).</item>
/// <item>Different SF (imperfect quasi-orthogonality): it survives when the signal-to-interference ratio is at least
/// the threshold of Croce, Gucciardo, Mangione, Santaromita, Tinnirello, "Impact of LoRa Imperfect Orthogonality:
/// Analysis of Link-Level Performance", IEEE Communications Letters 22(4), 2018, Table I (as reproduced in
/// <c>dantard/yanets</c>; rows = wanted SF7..SF12, columns = interferer SF7..SF12).</item>
/// </list>
/// </summary>
public static class LoRaInterference
{
    /// <summary>Co-channel rejection for equal spreading factors, dB.</summary>
    public const double SameSpreadingFactorCaptureDb = 6.0;

    private static readonly double[,] SirThresholds =
    {
        // interferer: SF7     SF8     SF9     SF10    SF11    SF12
        { 6.0, -16.0, -18.0, -19.0, -19.0, -20.0 }, // wanted SF7
        { -24.0, 6.0, -20.0, -22.0, -22.0, -22.0 }, // wanted SF8
        { -27.0, -27.0, 6.0, -23.0, -25.0, -25.0 }, // wanted SF9
        { -30.0, -30.0, -30.0, 6.0, -26.0, -28.0 }, // wanted SF10
        { -33.0, -33.0, -33.0, -33.0, 6.0, -29.0 }, // wanted SF11
        { -36.0, -36.0, -36.0, -36.0, -36.0, 6.0 }, // wanted SF12
    };

    /// <summary>Minimum SIR (dB) the wanted packet needs against one interferer.</summary>
    public static double SirThresholdDb(int wantedSpreadingFactor, int interfererSpreadingFactor)
    {
        RequireSf(wantedSpreadingFactor, nameof(wantedSpreadingFactor));
        RequireSf(interfererSpreadingFactor, nameof(interfererSpreadingFactor));
        return SirThresholds[wantedSpreadingFactor - 7, interfererSpreadingFactor - 7];
    }

    /// <summary>True when the wanted packet still decodes despite the interferer (both received on the same channel).</summary>
    public static bool Survives(Dbm wanted, int wantedSpreadingFactor, Dbm interferer, int interfererSpreadingFactor) =>
        wanted - interferer >= SirThresholdDb(wantedSpreadingFactor, interfererSpreadingFactor);

    /// <summary>
    /// Survival against several overlapping interferers: the interferers of each spreading factor are summed in
    /// milliwatts and the SIR checked per SF, as in Croce et al. §III (interference from different SFs acts independently).
    /// </summary>
    public static bool SurvivesAll(Dbm wanted, int wantedSpreadingFactor, IEnumerable<(Dbm Power, int SpreadingFactor)> interferers)
    {
        ArgumentNullException.ThrowIfNull(interferers);
        RequireSf(wantedSpreadingFactor, nameof(wantedSpreadingFactor));
        var perSf = new double[6];
        foreach (var (power, sf) in interferers)
        {
            RequireSf(sf, "interferer spreading factor");
            perSf[sf - 7] += power.Milliwatts;
        }

        for (var i = 0; i < perSf.Length; i++)
        {
            if (perSf[i] > 0 && wanted.Value - (10 * Math.Log10(perSf[i])) < SirThresholds[wantedSpreadingFactor - 7, i])
            {
                return false;
            }
        }

        return true;
    }

    private static void RequireSf(int sf, string name)
    {
        if (sf is < 7 or > 12)
        {
            throw new ArgumentOutOfRangeException(name, $"interference: spreading factor {sf} is not 7..12");
        }
    }
}
