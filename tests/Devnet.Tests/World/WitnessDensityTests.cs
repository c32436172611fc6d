using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Devnet.Medium;
using DePin.Wireless.Devnet.World;
using Xunit.Abstractions;

namespace DePin.Wireless.Devnet.Tests.World;

/// <summary>
/// How many hotspots hear one PoC beacon (EU868 SF12BW125, 16 dBm EIRP, 52-byte PHY payload) in the worlds the devnet
/// generates. Helium's mainnet averaged on the order of 10–30 witnesses per beacon; the world and the propagation
/// model should land there, and the count must not grow with the number of hotspots.
/// </summary>
public sealed class WitnessDensityTests(ITestOutputHelper output)
{
    private static readonly GeoPoint Utrecht = new(52.0907, 5.1214);

    [Theory]
    [InlineData(100)]
    [InlineData(500)]
    [InlineData(2_000)]
    public void Beacons_are_heard_by_a_realistic_number_of_hotspots(int hotspots)
    {
        var mean = MeanHearers(hotspots, beacons: 200);
        output.WriteLine($"{hotspots} hotspots: {mean:0.0} hotspots hear a beacon on average");
        Assert.InRange(mean, 10, 40);
    }

    [Fact]
    public void Witnesses_per_beacon_do_not_grow_with_the_network()
    {
        var small = MeanHearers(500, beacons: 200);
        var large = MeanHearers(5_000, beacons: 200);
        output.WriteLine($"500: {small:0.0}, 5000: {large:0.0}");
        Assert.InRange(large / small, 0.6, 1.5);
    }

    [Fact]
    public void A_large_network_is_spread_over_several_cities_at_the_single_city_density()
    {
        var options = WorldOptions.ForNetwork(Utrecht, 2_000, 0, hotspotsPerCity: 100);
        Assert.Equal(20, options.CityCount);
        Assert.Equal(1, WorldOptions.ForNetwork(Utrecht, 100, 0, hotspotsPerCity: 100).CityCount);
        Assert.Equal(2, WorldOptions.ForNetwork(Utrecht, 101, 0, hotspotsPerCity: 100).CityCount);
        Assert.Equal(1_000, WorldOptions.ForNetwork(Utrecht, 100_000, 0, hotspotsPerCity: 100).CityCount);

        var world = WorldGenerator.Generate(options, 5);
        var cores = world.Settlements.Where(s => s.Name.EndsWith(WorldGenerator.CoreName, StringComparison.Ordinal)).ToList();
        Assert.Equal(20, cores.Count);
        Assert.Equal(20, cores.Select(c => c.Name).Distinct().Count());

        // Neighbouring city centres are about one spacing apart (± the 15 % jitter of each), never on top of each other.
        foreach (var core in cores)
        {
            var nearest = cores.Where(c => c != core).Min(c => GreatCircle.DistanceMeters(core.Centre, c.Centre));
            Assert.InRange(nearest, 0.65 * options.CitySpacingMeters, 1.35 * options.CitySpacingMeters);
        }

        // Every city gets a fair share of hotspots (uniform pick: 100 expected, binomial σ ≈ 10).
        var perCity = world.Hotspots.GroupBy(h => h.Settlement.Contains('/', StringComparison.Ordinal) ? h.Settlement.Split('/')[0] : "city-0").Select(g => g.Count()).ToList();
        Assert.Equal(20, perCity.Count);
        Assert.All(perCity, n => Assert.InRange(n, 55, 145));
    }

    [Fact]
    public void A_single_city_world_is_unchanged_by_the_multi_city_option()
    {
        var implicitOne = WorldGenerator.Generate(new WorldOptions { Centre = Utrecht, HotspotCount = 90, DeviceCount = 50 }, 9);
        var explicitOne = WorldGenerator.Generate(WorldOptions.ForNetwork(Utrecht, 90, 50), 9);
        Assert.Equal(implicitOne.Hotspots, explicitOne.Hotspots);
        Assert.Equal(implicitOne.Devices, explicitOne.Devices);
        Assert.Contains(implicitOne.Hotspots, h => h.Settlement == WorldGenerator.CoreName);
    }

    /// <summary>Each of the first <paramref name="beacons"/> hotspots beacons once, alone on the air; returns the mean number of hotspots that demodulate it.</summary>
    private static double MeanHearers(int hotspots, int beacons)
    {
        var world = WorldGenerator.Generate(WorldOptions.ForNetwork(Utrecht, hotspots, 0), 11);
        var medium = new RadioMedium(new RadioMediumOptions { Seed = 11 });
        var ids = world.RegisterWith(medium);
        var heard = 0L;
        var start = SimTime.Zero;
        var sf12 = new DataRate(12, 125);
        for (var i = 0; i < beacons; i++)
        {
            // Spread the beaconers over the whole list (and so over every city).
            var beaconer = world.Hotspots[(int)((long)i * hotspots / beacons)];
            var result = medium.Submit(new TransmitRequest
            {
                Sender = ids[beaconer.Name], Start = start, Frequency = Hz.FromMegahertz(868.1), DataRate = sf12,
                TxPower = new Dbm(16 - beaconer.AntennaGainDbi), Payload = new byte[52],
            });
            Assert.True(result.Accepted);
            start += TimeSpan.FromSeconds(5);
            heard += medium.ResolveUntil(start).Count;
        }

        return heard / (double)beacons;
    }
}
