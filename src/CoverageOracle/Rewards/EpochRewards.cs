using System.Numerics;

namespace DePin.Wireless.CoverageOracle.Rewards;

/// <summary>How an epoch's hotspot emission is split between the pools (Helium iot_verifier/src/reward_share.rs, before HIP-149).</summary>
public sealed record RewardPoolOptions
{
    /// <summary>Relative weight of beacon rewards: 6% of Helium's IoT emission.</summary>
    public decimal BeaconWeight { get; init; } = 6;

    /// <summary>Relative weight of witness rewards: 24%.</summary>
    public decimal WitnessWeight { get; init; } = 24;

    /// <summary>Relative weight (the cap) of data-transfer rewards: 50%.</summary>
    public decimal DataTransferWeight { get; init; } = 50;

    /// <summary>Share of unspent data-transfer rewards that goes to beacons; the rest goes to witnesses (20/80).</summary>
    public decimal UnspentDataToBeacons { get; init; } = 0.2m;

    /// <summary>Token price in USD used to value data credits ($0.00001 each).</summary>
    public decimal TokenPriceUsd { get; init; } = 1m;

    /// <summary>Base units per whole token (8 decimals).</summary>
    public long BaseUnitsPerToken { get; init; } = 100_000_000;

    public void Validate()
    {
        if (BeaconWeight < 0 || WitnessWeight < 0 || DataTransferWeight < 0 || BeaconWeight + WitnessWeight + DataTransferWeight <= 0)
        {
            throw new ArgumentException("reward pool weights must be non-negative and not all zero");
        }

        if (UnspentDataToBeacons is < 0 or > 1)
        {
            throw new ArgumentException("UnspentDataToBeacons must be between 0 and 1");
        }

        if (TokenPriceUsd <= 0)
        {
            throw new ArgumentException("TokenPriceUsd must be positive");
        }
    }
}

/// <summary>One hotspot's shares in an epoch: scaled reward units from PoC, and data credits from bought packets.</summary>
public sealed record HotspotShares(string Hotspot, double BeaconShares, double WitnessShares, ulong DataCredits);

/// <summary>What one hotspot is paid, in token base units, and from which pool.</summary>
public sealed record HotspotReward(string Hotspot, BigInteger Beacon, BigInteger Witness, BigInteger DataTransfer)
{
    public BigInteger Total => Beacon + Witness + DataTransfer;
}

public sealed record EpochRewardResult(BigInteger Emission, BigInteger BeaconPool, BigInteger WitnessPool, BigInteger DataPool, IReadOnlyList<HotspotReward> Rewards)
{
    public BigInteger Distributed => Rewards.Aggregate(BigInteger.Zero, (s, r) => s + r.Total);
}

/// <summary>
/// Splits an epoch's emission into beacon, witness and data-transfer pools and pays each pool pro rata to its
/// shares. Data transfer is paid at DC × $0.00001 / price, capped at its pool; the unspent part goes 20/80 to
/// beacons and witnesses as Helium did. Every pool is paid out to the last base unit (largest-remainder
/// rounding); a pool with no shares at all passes its amount to the other pools so the whole emission is paid
/// whenever anyone earned anything.
/// </summary>
public static class EpochRewardCalculator
{
    public static EpochRewardResult Compute(BigInteger emission, IReadOnlyList<HotspotShares> shares, RewardPoolOptions options)
    {
        options.Validate();
        if (emission.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(emission), "emission must not be negative");
        }

        var totalWeight = options.BeaconWeight + options.WitnessWeight + options.DataTransferWeight;
        var dataCap = Fraction(emission, options.DataTransferWeight / totalWeight);
        var beaconPool = Fraction(emission, options.BeaconWeight / totalWeight);
        var witnessPool = emission - dataCap - beaconPool;

        // Data transfer: value of the DC at the token price, capped at the pool.
        var totalDc = shares.Aggregate(BigInteger.Zero, (s, h) => s + h.DataCredits);
        var dataValue = DcToBaseUnits(totalDc, options);
        var dataPool = BigInteger.Min(dataValue, dataCap);
        var unspent = dataCap - dataPool;
        var unspentToBeacons = Fraction(unspent, options.UnspentDataToBeacons);
        beaconPool += unspentToBeacons;
        witnessPool += unspent - unspentToBeacons;

        var beaconTotal = shares.Sum(s => s.BeaconShares);
        var witnessTotal = shares.Sum(s => s.WitnessShares);

        // Pass pools nobody can claim to the pools somebody can, so the emission is conserved.
        if (beaconTotal <= 0 && witnessTotal > 0)
        {
            witnessPool += beaconPool;
            beaconPool = 0;
        }
        else if (witnessTotal <= 0 && beaconTotal > 0)
        {
            beaconPool += witnessPool;
            witnessPool = 0;
        }
        else if (beaconTotal <= 0 && witnessTotal <= 0 && totalDc > 0)
        {
            dataPool += beaconPool + witnessPool;
            beaconPool = witnessPool = 0;
        }

        var beacon = ProRata(beaconPool, shares.Select(s => s.BeaconShares).ToArray());
        var witness = ProRata(witnessPool, shares.Select(s => s.WitnessShares).ToArray());
        var data = ProRata(dataPool, shares.Select(s => (double)s.DataCredits).ToArray());
        var rewards = new HotspotReward[shares.Count];
        for (var i = 0; i < shares.Count; i++)
        {
            rewards[i] = new HotspotReward(shares[i].Hotspot, beacon[i], witness[i], data[i]);
        }

        return new EpochRewardResult(emission, beaconPool, witnessPool, dataPool, rewards);
    }

    /// <summary>Token base units worth <paramref name="dc"/> data credits: dc × 0.00001 / price × unitsPerToken, floored.</summary>
    public static BigInteger DcToBaseUnits(BigInteger dc, RewardPoolOptions options)
    {
        // dc * 1e-5 USD / price USD per token * unitsPerToken — computed with the price as an exact decimal fraction.
        var (priceNum, priceDen) = AsFraction(options.TokenPriceUsd);
        return dc * options.BaseUnitsPerToken * priceDen / (priceNum * 100_000);
    }

    /// <summary>Pays <paramref name="pool"/> in proportion to <paramref name="weights"/>; sums to the pool exactly.</summary>
    public static BigInteger[] ProRata(BigInteger pool, IReadOnlyList<double> weights)
    {
        var result = new BigInteger[weights.Count];
        var total = weights.Where(w => w > 0).Sum();
        if (pool.IsZero || total <= 0)
        {
            return result;
        }

        // Scale weights to integers with enough precision, then largest-remainder rounding.
        const double scale = 1e12;
        var scaled = weights.Select(w => w > 0 ? new BigInteger(Math.Round(w / total * scale)) : BigInteger.Zero).ToArray();
        var scaledTotal = scaled.Aggregate(BigInteger.Zero, (s, v) => s + v);
        var remainders = new (BigInteger Remainder, int Index)[weights.Count];
        var paid = BigInteger.Zero;
        for (var i = 0; i < scaled.Length; i++)
        {
            result[i] = BigInteger.DivRem(pool * scaled[i], scaledTotal, out var rem);
            remainders[i] = (rem, i);
            paid += result[i];
        }

        var left = pool - paid;
        foreach (var (_, index) in remainders.Where(r => scaled[r.Index] > 0).OrderByDescending(r => r.Remainder).ThenBy(r => r.Index))
        {
            if (left.IsZero)
            {
                break;
            }

            result[index] += 1;
            left -= 1;
        }

        return result;
    }

    private static BigInteger Fraction(BigInteger amount, decimal fraction)
    {
        var (num, den) = AsFraction(fraction);
        return amount * num / den;
    }

    private static (BigInteger Numerator, BigInteger Denominator) AsFraction(decimal value)
    {
        var bits = decimal.GetBits(value);
        var scale = (bits[3] >> 16) & 0xFF;
        var mantissa = (new BigInteger((uint)bits[2]) << 64) | (new BigInteger((uint)bits[1]) << 32) | new BigInteger((uint)bits[0]);
        if (bits[3] < 0)
        {
            mantissa = -mantissa;
        }

        return (mantissa, BigInteger.Pow(10, scale));
    }
}
