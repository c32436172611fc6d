using DePin.Wireless.Core.Regions;

namespace DePin.Wireless.Core.Tests.Regions;

public class RegionPlanLookupTests
{
    [Theory]
    [InlineData("EU868", "EU868")]
    [InlineData("eu868", "EU868")]
    [InlineData(" US915 ", "US915")]
    [InlineData("au915", "AU915")]
    [InlineData("AS923-1", "AS923-1")]
    [InlineData("as923_1", "AS923-1")]
    [InlineData("KR920", "KR920")]
    [InlineData("In865", "IN865")]
    public void Finds_plans_case_insensitively(string name, string canonical)
    {
        Assert.Equal(canonical, RegionPlans.Get(name).Name);
        Assert.True(RegionPlans.IsKnown(name));
    }

    [Theory]
    [InlineData("EU433")]
    [InlineData("AS923")]
    [InlineData("")]
    public void Unknown_region_names_list_the_valid_ones(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => RegionPlans.Get(name));
        Assert.Contains($"'{name}' is not a known region plan", ex.Message, StringComparison.Ordinal);
        foreach (var valid in RegionPlans.Names)
        {
            Assert.Contains(valid, ex.Message, StringComparison.Ordinal);
        }

        Assert.False(RegionPlans.IsKnown(name));
        Assert.False(RegionPlans.IsKnown(null));
    }

    [Fact]
    public void Every_plan_is_internally_consistent()
    {
        foreach (var name in RegionPlans.Names)
        {
            var plan = RegionPlans.Get(name);
            Assert.Equal(plan.DataRates.OrderBy(d => d.Index).Select(d => d.Index), plan.DataRates.Select(d => d.Index));
            Assert.All(plan.DataRates.Where(d => d.IsLoRa), d => Assert.NotNull(d.LoRa));
            Assert.All(plan.DataRates.Where(d => !d.IsLoRa), d => Assert.Null(d.LoRa));
            Assert.True(plan.GetDataRate(plan.Rx2DataRate).Downlink);
            Assert.NotEmpty(plan.JoinChannels);
            Assert.All(plan.JoinDataRates, dr => Assert.True(plan.GetDataRate(dr).Uplink));
            Assert.True(plan.EnabledUplinkChannels.Count <= plan.MaxChannels);

            // Every RX1 answer to every uplink DR is a downlink-capable DR of the plan.
            foreach (var up in plan.DataRates.Where(d => d.Uplink))
            {
                for (var offset = 0; offset < plan.Rx1DataRateTable[up.Index].Count; offset++)
                {
                    Assert.True(plan.GetDataRate(plan.Rx1DataRate(up.Index, offset)).Downlink, $"{name} DR{up.Index} offset {offset}");
                }
            }
        }
    }
}
