using DePin.Wireless.CoverageOracle.Adapters;
using System.Numerics;
using DePin.Wireless.CoverageOracle.Density;
using DePin.Wireless.CoverageOracle.Rewards;
using DePin.Wireless.Devnet.Poc;

namespace DePin.Wireless.Devnet.Run;

/// <summary>
/// Pays the run as one reward epoch: HIP-17/104 hex density over the active hotspots' asserted cells scales each
/// hotspot's reward units (beacon and witness), then <see cref="EpochRewardCalculator"/> splits the emission.
/// Data-transfer shares are the DC the ledger charged for each hotspot's bought copies (HIP-10: the data pool pays
/// DC × $0.00001 at the token price, capped, the unspent part going to PoC).
/// With <c>rewardFactors</c> (the oracle's spoofing trust, <see cref="EpochSpoofingCheck.RewardFactors"/>) each
/// hotspot's beacon and witness shares are multiplied by its factor before the split: a penalised hotspot's withheld
/// part stays in its pool and goes pro rata to everyone else, as Helium does with denied hotspots' shares.
/// </summary>
public static class EpochSettlement
{
    public static (IReadOnlyList<HotspotRewardLine> Lines, BigInteger Distributed) Settle(IReadOnlyList<SimHotspot> hotspots, PocTally tally, BigInteger emission, IReadOnlyDictionary<string, ulong>? dataCredits = null, IReadOnlyList<double>? rewardFactors = null)
    {
        if (rewardFactors is not null && rewardFactors.Count != hotspots.Count)
        {
            throw new ArgumentException($"settlement: {rewardFactors.Count} reward factors for {hotspots.Count} hotspots", nameof(rewardFactors));
        }

        var active = new Dictionary<string, ulong>(StringComparer.Ordinal);
        for (var i = 0; i < hotspots.Count; i++)
        {
            if (tally.PerHotspot[i].Active)
            {
                active[hotspots[i].Address] = hotspots[i].AssertedCell;
            }
        }

        var density = new HexDensityCalculator(new H3HexHierarchy(), new HexDensityOptions());
        var scales = density.Compute(active);
        var shares = new List<HotspotShares>(hotspots.Count);
        for (var i = 0; i < hotspots.Count; i++)
        {
            var record = tally.PerHotspot[i];
            var factor = rewardFactors?[i] ?? 1.0;
            if (!double.IsFinite(factor) || factor is < 0 or > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(rewardFactors), $"settlement: reward factor {factor} of {hotspots[i].Address} is not within 0..1");
            }

            var scale = scales.GetValueOrDefault(hotspots[i].Address) * factor;
            shares.Add(new HotspotShares(hotspots[i].Address, record.BeaconUnits * scale, record.WitnessUnits * scale, dataCredits?.GetValueOrDefault(hotspots[i].Address) ?? 0));
        }

        var result = EpochRewardCalculator.Compute(emission, shares, new RewardPoolOptions());
        var lines = new HotspotRewardLine[hotspots.Count];
        for (var i = 0; i < hotspots.Count; i++)
        {
            lines[i] = new HotspotRewardLine(hotspots[i].Address, shares[i].BeaconShares, shares[i].WitnessShares, shares[i].DataCredits, result.Rewards[i].Total);
        }

        return (lines, result.Distributed);
    }
}
