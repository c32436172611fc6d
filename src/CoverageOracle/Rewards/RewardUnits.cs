namespace DePin.Wireless.CoverageOracle.Rewards;

/// <summary>
/// HIP-15 reward units for one proof of coverage with W valid selected witnesses
/// (iot_verifier/src/runner.rs: WITNESS_REDUNDANCY = 4, POC_REWARD_DECAY_RATE = 0.8, HIP15_TX_REWARD_UNIT_CAP = 2).
/// </summary>
public static class RewardUnits
{
    public const int WitnessRedundancy = 4;
    public const double DecayRate = 0.8;
    public const double BeaconerCap = 2.0;

    /// <summary>Beaconer: 0 for no witness, W/4 up to 4 witnesses, then 2 − 0.8^(W−4), capped at 2.</summary>
    public static double Beaconer(int witnesses)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(witnesses);
        if (witnesses <= WitnessRedundancy)
        {
            return (double)witnesses / WitnessRedundancy;
        }

        return Math.Min(BeaconerCap, 2.0 - Math.Pow(DecayRate, witnesses - WitnessRedundancy));
    }

    /// <summary>Each witness: 1 up to 4 witnesses, then (4 − (1 − 0.8^(W−4))) / W.</summary>
    public static double PerWitness(int witnesses)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(witnesses, 1);
        if (witnesses <= WitnessRedundancy)
        {
            return 1.0;
        }

        return (WitnessRedundancy - (1.0 - Math.Pow(DecayRate, witnesses - WitnessRedundancy))) / witnesses;
    }
}
