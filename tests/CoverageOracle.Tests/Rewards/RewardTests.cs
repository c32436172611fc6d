using System.Numerics;
using DePin.Wireless.CoverageOracle.Rewards;

namespace DePin.Wireless.CoverageOracle.Tests.Rewards;

public class RewardTests
{
    [Theory]
    // The HIP-15 table in shared/reference/helium-poc-and-data-credits.md §3.
    [InlineData(0, 0.0, double.NaN)]
    [InlineData(1, 0.25, 1.0)]
    [InlineData(4, 1.0, 1.0)]
    [InlineData(5, 1.2, 0.76)]
    [InlineData(8, 1.5904, 0.4262)]
    [InlineData(14, 1.8926, 0.2220)]
    public void Reward_units_follow_HIP15(int w, double beaconer, double perWitness)
    {
        Assert.Equal(beaconer, RewardUnits.Beaconer(w), 4);
        if (w > 0)
        {
            Assert.Equal(perWitness, RewardUnits.PerWitness(w), 4);
        }
    }

    [Fact]
    public void Beaconer_units_never_exceed_the_cap() => Assert.True(RewardUnits.Beaconer(1000) <= 2.0);

    [Fact]
    public void Whole_emission_is_paid_to_the_last_unit()
    {
        var random = new Random(3);
        var shares = Enumerable.Range(0, 997)
            .Select(i => new HotspotShares($"h{i}", random.NextDouble() * 2, random.NextDouble() * 5, (ulong)random.Next(0, 50)))
            .ToList();
        var emission = BigInteger.Parse("123456789012345", System.Globalization.CultureInfo.InvariantCulture);
        var result = EpochRewardCalculator.Compute(emission, shares, new RewardPoolOptions { TokenPriceUsd = 0.5m });
        Assert.Equal(emission, result.Distributed);
        Assert.Equal(emission, result.BeaconPool + result.WitnessPool + result.DataPool);
        Assert.All(result.Rewards, r => Assert.True(r.Total >= 0));
    }

    [Fact]
    public void Data_transfer_is_paid_at_the_DC_price_and_the_unspent_part_goes_20_80()
    {
        // 1,000,000 base units; weights 6/24/50 → beacon 75,000, witness 300,000, data cap 625,000.
        // 2,000 DC at $1/token = $0.02 = 0.02 token = 2,000,000 base units → capped? No: 8 decimals:
        // 2,000 DC × 1e-5 USD = 0.02 USD = 0.02 token = 2,000,000 base units > cap → capped at 625,000.
        var capped = EpochRewardCalculator.Compute(1_000_000, [new("a", 1, 1, 2_000)], new RewardPoolOptions());
        Assert.Equal(625_000, capped.DataPool);
        Assert.Equal(75_000, capped.BeaconPool);

        // 10 DC = 0.0001 USD = 10,000 base units: 615,000 unspent → 123,000 to beacons, 492,000 to witnesses.
        var under = EpochRewardCalculator.Compute(1_000_000, [new("a", 1, 1, 10)], new RewardPoolOptions());
        Assert.Equal(10_000, under.DataPool);
        Assert.Equal(75_000 + 123_000, under.BeaconPool);
        Assert.Equal(300_000 + 492_000, under.WitnessPool);
    }

    [Fact]
    public void Pools_pay_pro_rata()
    {
        var result = EpochRewardCalculator.Compute(800, [new("a", 3, 1, 0), new("b", 1, 3, 0)], new RewardPoolOptions { DataTransferWeight = 0 });
        // beacon pool 6/30 of 800 = 160 → 120 / 40; witness pool 640 → 160 / 480.
        Assert.Equal(120, result.Rewards[0].Beacon);
        Assert.Equal(40, result.Rewards[1].Beacon);
        Assert.Equal(160, result.Rewards[0].Witness);
        Assert.Equal(480, result.Rewards[1].Witness);
    }

    [Fact]
    public void Nobody_earned_nothing_paid()
    {
        var result = EpochRewardCalculator.Compute(1000, [new("a", 0, 0, 0)], new RewardPoolOptions());
        Assert.Equal(BigInteger.Zero, result.Distributed);
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => EpochRewardCalculator.Compute(1, [], new RewardPoolOptions { TokenPriceUsd = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => EpochRewardCalculator.Compute(-1, [], new RewardPoolOptions()));
    }
}
