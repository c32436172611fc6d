using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Devnet.Medium;

/// <summary>
/// Received power on a link:
/// <code>
/// L    = max(FSPL(d, f), PL_logdist(d) − G_height) + L_indoor(tx) + L_indoor(rx) + X_shadow(link) + X_fade(packet)
/// P_rx = P_tx + G_tx + G_rx − L
/// G_height = k · log10(h_tx · h_rx / H_ref²)
/// </code>
/// Shadowing is a pure function of (seed, the unordered pair of radio keys), so a link is reciprocal and the same
/// every time; fading is a pure function of (seed, transmission, receiver). Both are clipped Gaussians, which is
/// what makes <see cref="MaxRangeMeters"/> a true upper bound. Not thread-safe (one reused keyed generator).
/// </summary>
public sealed class PropagationModel
{
    private const ulong ShadowPurpose = 0x5348414457UL; // "SHADW"
    private const ulong FadePurpose = 0x46414445UL; // "FADE"

    private readonly LogDistancePathLoss logDistance;
    private readonly KeyedRandom keyed = new();
    private readonly ulong seedKey;
    private readonly double referenceHeightTermDb;
    private readonly double log10ReferenceDistance;

    public PropagationModel(PropagationOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        logDistance = new LogDistancePathLoss(options.PathLoss);
        seedKey = SeedMixer.Mix((ulong)(uint)seed);
        referenceHeightTermDb = options.HeightGainDbPerDecade * Math.Log10(options.ReferenceHeightProductSquareMeters);
        log10ReferenceDistance = Math.Log10(options.PathLoss.ReferenceDistanceMeters);
    }

    public PropagationOptions Options { get; }

    /// <summary>Height gain of a link (dB, may be negative below the reference heights).</summary>
    public double HeightGainDb(double heightAMeters, double heightBMeters) =>
        HeightTermDb(heightAMeters) + HeightTermDb(heightBMeters) - referenceHeightTermDb;

    /// <summary>One antenna's share of the height gain, k·log10(max(h, h_min)); the medium caches it per radio.</summary>
    public double HeightTermDb(double heightMeters) =>
        Options.HeightGainDbPerDecade * Math.Log10(Math.Max(heightMeters, Options.MinimumHeightMeters));

    /// <summary>Deterministic path loss without shadowing or fading (dB).</summary>
    public double MedianPathLossDb(double distanceMeters, Hz frequency, double heightAMeters, double heightBMeters)
    {
        if (!double.IsFinite(distanceMeters) || distanceMeters < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(distanceMeters), $"propagation: distance {distanceMeters} m must be finite and ≥ 0");
        }

        return MedianPathLossDb(Math.Log10(Math.Max(distanceMeters, Options.MinimumDistanceMeters)), FreeSpaceAtOneMeterDb(frequency), HeightTermDb(heightAMeters) + HeightTermDb(heightBMeters));
    }

    /// <summary>FSPL at 1 m for a frequency: 20·log10(4π·f/c) (Friis), so FSPL(d) = this + 20·log10(d).</summary>
    public static double FreeSpaceAtOneMeterDb(Hz frequency) => FreeSpacePathLoss.Db(1, frequency);

    /// <summary>
    /// The fast form of <see cref="MedianPathLossDb(double, Hz, double, double)"/> for the medium's inner loop:
    /// log10 of the (already clamped) distance, FSPL at 1 m, and the sum of both radios' <see cref="HeightTermDb"/>.
    /// </summary>
    public double MedianPathLossDb(double log10Distance, double freeSpaceAtOneMeterDb, double heightTermsDb)
    {
        var pathLoss = Options.PathLoss;
        var terrain = pathLoss.ReferenceLossDb + (10 * pathLoss.Exponent * (log10Distance - log10ReferenceDistance)) - (heightTermsDb - referenceHeightTermDb);
        var freeSpace = freeSpaceAtOneMeterDb + (20 * log10Distance);
        return Math.Max(freeSpace, terrain);
    }

    /// <summary>Per-link shadowing in dB: the same for both directions and for every packet.</summary>
    public double ShadowingDb(ulong radioKeyA, ulong radioKeyB)
    {
        var (low, high) = radioKeyA <= radioKeyB ? (radioKeyA, radioKeyB) : (radioKeyB, radioKeyA);
        keyed.Reset(SeedMixer.Combine(seedKey, ShadowPurpose, low, high));
        return ClippedGaussian(Options.PathLoss.ShadowingSigmaDb, Options.ShadowingClipSigmas);
    }

    /// <summary>Per-packet fading in dB for one transmission at one receiver.</summary>
    public double FadingDb(long transmissionId, ulong receiverKey)
    {
        keyed.Reset(SeedMixer.Combine(seedKey, FadePurpose, (ulong)transmissionId, receiverKey));
        return ClippedGaussian(Options.FadingSigmaDb, Options.FadingClipSigmas);
    }

    /// <summary>
    /// Received power of one transmission at one receiver. Shadowing and fading scatter the loss around the median,
    /// but never below free space plus <see cref="PropagationOptions.LineOfSightExcessLossDb"/>: no real link beats
    /// line of sight in vacuum, and a simulated one that did would make honest hotspots fail the oracle's
    /// free-space RSSI ceiling.
    /// </summary>
    public Dbm ReceivedPower(Dbm txPower, RegisteredRadio sender, RegisteredRadio receiver, double distanceMeters, Hz frequency, long transmissionId)
    {
        var scattered = DeterministicLossDb(sender, receiver, distanceMeters, frequency) + RandomLossDb(sender, receiver, transmissionId);
        var lineOfSight = FreeSpacePathLoss.Db(Math.Max(distanceMeters, Options.MinimumDistanceMeters), frequency) + Options.LineOfSightExcessLossDb;
        var loss = Math.Max(scattered, lineOfSight);
        return LinkBudget.ReceivedPower(txPower + sender.Registration.AntennaGainDbi, loss, receiver.Registration.AntennaGainDbi);
    }

    /// <summary>Median path loss plus building entry losses: the part of the loss with no random term.</summary>
    public double DeterministicLossDb(RegisteredRadio sender, RegisteredRadio receiver, double distanceMeters, Hz frequency)
    {
        var tx = sender.Registration;
        var rx = receiver.Registration;
        return MedianPathLossDb(distanceMeters, frequency, tx.HeightMeters, rx.HeightMeters)
            + (tx.Indoor ? Options.IndoorPenetrationLossDb : 0)
            + (rx.Indoor ? Options.IndoorPenetrationLossDb : 0);
    }

    /// <summary>Shadowing of the link plus fading of this packet at this receiver.</summary>
    public double RandomLossDb(RegisteredRadio sender, RegisteredRadio receiver, long transmissionId) =>
        ShadowingDb(sender.Key, receiver.Key) + FadingDb(transmissionId, receiver.Key);

    /// <summary>The most fading can take off the loss (at its clip).</summary>
    public double MaxFadingGainDb => Options.FadingClipSigmas * Options.FadingSigmaDb;

    /// <summary>The most the random terms can take off the loss (both at their clip).</summary>
    public double MaxRandomGainDb =>
        (Options.ShadowingClipSigmas * Options.PathLoss.ShadowingSigmaDb) + (Options.FadingClipSigmas * Options.FadingSigmaDb);

    /// <summary>
    /// Largest distance at which a transmission can arrive at <paramref name="floor"/> or above, given the best receiver
    /// antenna gain and height among registered radios. Every received power computed by <see cref="ReceivedPower"/>
    /// beyond it is below the floor: L ≥ PL_logdist − G_height − clip·σ_shadow − clip·σ_fade.
    /// </summary>
    public double MaxRangeMeters(Dbm eirp, double senderHeightMeters, double bestReceiverGainDbi, double bestReceiverHeightMeters, Dbm floor)
    {
        var allowedLoss = eirp.Value + bestReceiverGainDbi - floor.Value
            + HeightGainDb(senderHeightMeters, bestReceiverHeightMeters)
            + MaxRandomGainDb;
        var distance = logDistance.DistanceForMeanLossMeters(allowedLoss);
        return Math.Max(distance, Options.MinimumDistanceMeters) * (1 + 1e-9);
    }

    /// <summary>
    /// dB per decade of squared distance in the terrain branch of the loss (5·n): the reach bounds below are
    /// 10^(reach dB / this) in square metres.
    /// </summary>
    public double ReachDbPerDecadeSquared => 5 * Options.PathLoss.Exponent;

    /// <summary>
    /// A receiver's share of the link budget in the terrain branch: G − L_indoor + k·log10(h). With
    /// <see cref="SenderReachDb"/> it bounds the distance at which a packet can still reach a floor:
    /// d² ≤ 10^((sender + receiver) / <see cref="ReachDbPerDecadeSquared"/>) (the terrain loss is a lower bound of the
    /// median loss, and the random terms are taken at their best).
    /// </summary>
    public double ReceiverReachDb(RadioRegistration receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        return receiver.AntennaGainDbi - (receiver.Indoor ? Options.IndoorPenetrationLossDb : 0) + HeightTermDb(receiver.HeightMeters);
    }

    /// <summary>
    /// The sender's share: EIRP − floor + best random gain − L_indoor + k·log10(h) − k·log10(H_ref²) − PL(d0) + 10·n·log10(d0).
    /// Received power ≤ EIRP + G_rx − PL(d0) − 10·n·log10(d/d0) + k·log10(h_tx·h_rx/H_ref²) − L_indoor(tx) − L_indoor(rx) + max random,
    /// so it stays below the floor when 10·n·log10(d) exceeds sender + receiver reach.
    /// </summary>
    public double SenderReachDb(Dbm eirp, Dbm floor, RadioRegistration sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var pathLoss = Options.PathLoss;
        return eirp.Value - floor.Value + MaxRandomGainDb - (sender.Indoor ? Options.IndoorPenetrationLossDb : 0) + HeightTermDb(sender.HeightMeters)
            - referenceHeightTermDb - pathLoss.ReferenceLossDb + (10 * pathLoss.Exponent * log10ReferenceDistance);
    }

    private double ClippedGaussian(double sigma, double clipSigmas)
    {
        if (sigma == 0)
        {
            return 0;
        }

        var z = Math.Clamp(Gaussian.StandardNormal(keyed), -clipSigmas, clipSigmas);
        return sigma * z;
    }
}
