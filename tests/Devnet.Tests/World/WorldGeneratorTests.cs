using DePin.Wireless.Core.Physics;
using DePin.Wireless.Devnet.Medium;
using DePin.Wireless.Devnet.World;

namespace DePin.Wireless.Devnet.Tests.World;

public sealed class WorldGeneratorTests
{
    private static readonly GeoPoint Centre = new(51.5, -0.12);

    private static WorldOptions Options(int hotspots = 2_000, int devices = 500) => new()
    {
        Centre = Centre,
        RadiusMeters = 25_000,
        HotspotCount = hotspots,
        DeviceCount = devices,
    };

    [Fact]
    public void Same_seed_gives_an_identical_world_and_another_seed_does_not()
    {
        var a = WorldGenerator.Generate(Options(), 42);
        var b = WorldGenerator.Generate(Options(), 42);
        var c = WorldGenerator.Generate(Options(), 43);

        Assert.Equal(a.Settlements, b.Settlements);
        Assert.Equal(a.Hotspots, b.Hotspots);
        Assert.Equal(a.Devices, b.Devices);
        Assert.NotEqual(a.Hotspots.Select(h => h.Position), c.Hotspots.Select(h => h.Position));
    }

    [Fact]
    public void Adding_devices_or_hotspots_leaves_existing_radios_in_place()
    {
        var small = WorldGenerator.Generate(Options(hotspots: 300, devices: 10), 7);
        var moreDevices = WorldGenerator.Generate(Options(hotspots: 300, devices: 400), 7);
        var moreHotspots = WorldGenerator.Generate(Options(hotspots: 900, devices: 10), 7);

        Assert.Equal(small.Hotspots, moreDevices.Hotspots);
        Assert.Equal(small.Devices, moreDevices.Devices.Take(10));
        Assert.Equal(small.Hotspots, moreHotspots.Hotspots.Take(300));
        Assert.Equal(small.Devices, moreHotspots.Devices);
    }

    [Fact]
    public void Radios_are_denser_in_the_core_than_at_the_edge_and_stay_inside_the_radius()
    {
        var world = WorldGenerator.Generate(Options(hotspots: 5_000), 3);
        var distances = world.Hotspots.Select(h => GreatCircle.DistanceMeters(Centre, h.Position)).ToArray();

        Assert.All(distances, d => Assert.True(d <= 25_000 * 1.000001, $"{d} m is outside the radius"));
        var core = distances.Count(d => d <= 5_000) / (Math.PI * 5_000 * 5_000);
        var edge = distances.Count(d => d >= 20_000) / (Math.PI * ((25_000.0 * 25_000) - (20_000.0 * 20_000)));
        Assert.True(core > 10 * edge, $"core density {core * 1e6:0.0}/km² is not ≫ edge density {edge * 1e6:0.00}/km²");
    }

    [Fact]
    public void Satellite_towns_are_clusters()
    {
        var world = WorldGenerator.Generate(Options(hotspots: 5_000), 3);
        var town = world.Settlements[1];
        var members = world.Hotspots.Where(h => h.Settlement == town.Name).ToList();

        // Density within one spread of the town centre vs at the point equally far from the core that is farthest from every town.
        var nearTown = world.Hotspots.Count(h => GreatCircle.DistanceMeters(town.Centre, h.Position) <= town.SpreadMeters);
        var townDistance = GreatCircle.DistanceMeters(Centre, town.Centre);
        var elsewhere = Enumerable.Range(0, 72)
            .Select(i => GreatCircle.Destination(Centre, i * 5.0, townDistance))
            .MaxBy(p => world.Settlements.Skip(1).Min(s => GreatCircle.DistanceMeters(p, s.Centre)));
        var nearElsewhere = world.Hotspots.Count(h => GreatCircle.DistanceMeters(elsewhere, h.Position) <= town.SpreadMeters);

        Assert.NotEmpty(members);
        Assert.True(nearTown > 3 * Math.Max(nearElsewhere, 1), $"town has {nearTown} hotspots within its spread, elsewhere {nearElsewhere}");
    }

    [Fact]
    public void Radio_attributes_are_realistic_and_mixed()
    {
        var world = WorldGenerator.Generate(Options(), 9);

        Assert.All(world.Hotspots, h =>
        {
            Assert.Equal(RadioKind.Hotspot, h.Kind);
            Assert.InRange(h.AntennaGainDbi, 2.0, 8.0);
            Assert.InRange(h.HeightMeters, 1.0, 60.0);
        });
        Assert.All(world.Devices, d =>
        {
            Assert.Equal(RadioKind.Device, d.Kind);
            Assert.InRange(d.AntennaGainDbi, -2.0, 2.15);
            Assert.InRange(d.HeightMeters, 1.0, 12.0);
            Assert.False(d.HasGps);
        });
        var indoorShare = world.Hotspots.Count(h => h.Indoor) / (double)world.Hotspots.Count;
        var gpsShare = world.Hotspots.Count(h => h.HasGps) / (double)world.Hotspots.Count;
        Assert.InRange(indoorShare, 0.55, 0.65);
        Assert.InRange(gpsShare, 0.45, 0.55);
        Assert.True(world.Hotspots.Select(h => h.AntennaGainDbi).Distinct().Count() >= 4);
        Assert.Equal(world.Hotspots.Count + world.Devices.Count, world.Hotspots.Concat(world.Devices).Select(r => r.Name).Distinct().Count());
    }

    [Fact]
    public void A_world_registers_with_the_medium_under_its_names()
    {
        var world = WorldGenerator.Generate(Options(hotspots: 50, devices: 20), 1);
        var medium = new RadioMedium(new RadioMediumOptions());

        var ids = world.RegisterWith(medium);

        Assert.Equal(70, medium.Radios.Count);
        Assert.Equal(world.Devices[3].Position, medium[ids[world.Devices[3].Name]].Position);
    }

    [Fact]
    public void Bad_options_name_the_field()
    {
        var negative = Assert.Throws<ArgumentException>(() => WorldGenerator.Generate(Options() with { HotspotCount = -1 }, 1));
        Assert.Contains("HotspotCount", negative.Message, StringComparison.Ordinal);
        var shares = Assert.Throws<ArgumentException>(() => WorldGenerator.Generate(Options() with { CoreShare = 0.8, SatelliteShare = 0.5 }, 1));
        Assert.Contains("SatelliteShare", shares.Message, StringComparison.Ordinal);
        var radius = Assert.Throws<ArgumentException>(() => WorldGenerator.Generate(Options() with { RadiusMeters = 0 }, 1));
        Assert.Contains("RadiusMeters", radius.Message, StringComparison.Ordinal);
    }
}
