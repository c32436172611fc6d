using System.Globalization;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Devnet.Medium;

namespace DePin.Wireless.Devnet.World;

/// <summary>
/// Places hotspots and devices like a city and its suburbs: a dense core whose density falls off exponentially with
/// distance from the centre, a few satellite towns with Gaussian spread, and a thin uniform rural background.
/// Every radio draws from its own stream derived from (seed, kind, index), so adding devices — or more hotspots —
/// leaves every earlier radio exactly where it was.
/// </summary>
public static class WorldGenerator
{
    public const string CoreName = "core";
    public const string RuralName = "rural";

    public static SimulatedWorld Generate(WorldOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var towns = PlaceSettlements(options, seed);
        var hotspots = new PlacedRadio[options.HotspotCount];
        for (var i = 0; i < hotspots.Length; i++)
        {
            hotspots[i] = PlaceHotspot(options, towns, seed, i);
        }

        var devices = new PlacedRadio[options.DeviceCount];
        for (var i = 0; i < devices.Length; i++)
        {
            devices[i] = PlaceDevice(options, towns, seed, i);
        }

        return new SimulatedWorld(options, seed, towns, hotspots, devices);
    }

    private static Settlement[] PlaceSettlements(WorldOptions options, int seed)
    {
        var random = new Random(SeedMixer.DeriveSeed(seed, "settlements"));
        var towns = new Settlement[options.SatelliteTownCount + 1];
        towns[0] = new Settlement(CoreName, options.Centre, options.CoreScaleMeters);
        for (var i = 1; i < towns.Length; i++)
        {
            // Evenly spread bearings with jitter, so towns do not pile onto one side.
            var bearing = (360.0 * (i - 1) / options.SatelliteTownCount) + ((random.NextDouble() - 0.5) * 360.0 / options.SatelliteTownCount * 0.6);
            var fraction = options.SatelliteMinDistanceFraction + (random.NextDouble() * (options.SatelliteMaxDistanceFraction - options.SatelliteMinDistanceFraction));
            var centre = GreatCircle.Destination(options.Centre, bearing, fraction * options.RadiusMeters);
            towns[i] = new Settlement(string.Create(CultureInfo.InvariantCulture, $"town-{i}"), centre, options.SatelliteScaleMeters);
        }

        return towns;
    }

    private static PlacedRadio PlaceHotspot(WorldOptions options, Settlement[] towns, int seed, int index)
    {
        var random = new Random(SeedMixer.DeriveSeed(seed, "hotspot", index));
        var (position, settlement) = PlacePoint(options, towns, random);
        var indoor = random.NextDouble() < options.HotspotIndoorShare;
        var gain = PickWeighted(options.HotspotAntennas, random);
        var hasGps = random.NextDouble() < options.HotspotGpsShare;

        // Indoor: on a floor of a 1–8 storey building (3 m per storey, antenna 1.5 m above the floor).
        // Outdoor: roof or mast, log-normal around 12 m (median), capped at 60 m.
        var height = indoor
            ? (random.Next(0, 8) * 3.0) + 1.5
            : Math.Min(60.0, 12.0 * Math.Exp(0.5 * Gaussian.StandardNormal(random)));
        var name = string.Create(CultureInfo.InvariantCulture, $"hotspot-{index:D6}");
        return new PlacedRadio(name, RadioKind.Hotspot, position, gain, Math.Round(height, 2), indoor, hasGps, settlement);
    }

    private static PlacedRadio PlaceDevice(WorldOptions options, Settlement[] towns, int seed, int index)
    {
        var random = new Random(SeedMixer.DeriveSeed(seed, "device", index));
        var (position, settlement) = PlacePoint(options, towns, random);
        var indoor = random.NextDouble() < options.DeviceIndoorShare;
        var (minGain, maxGain) = options.DeviceAntennaGainDbi;
        var gain = minGain + (random.NextDouble() * (maxGain - minGain));

        // Sensors sit near the ground or on a floor of a low building.
        var height = indoor ? (random.Next(0, 4) * 3.0) + 1.0 : 1.0 + random.NextDouble();
        var name = string.Create(CultureInfo.InvariantCulture, $"device-{index:D6}");
        return new PlacedRadio(name, RadioKind.Device, position, Math.Round(gain, 2), Math.Round(height, 2), indoor, false, settlement);
    }

    private static (GeoPoint Position, string Settlement) PlacePoint(WorldOptions options, Settlement[] towns, Random random)
    {
        var which = random.NextDouble();
        if (which < options.CoreShare || towns.Length == 1 && which < options.CoreShare + options.SatelliteShare)
        {
            var distance = TruncatedExponential(options.CoreScaleMeters, options.RadiusMeters, random);
            return (GreatCircle.Destination(options.Centre, random.NextDouble() * 360.0, distance), CoreName);
        }

        if (which < options.CoreShare + options.SatelliteShare)
        {
            var town = towns[1 + random.Next(towns.Length - 1)];
            return (PlaceAroundTown(options, town, random), town.Name);
        }

        // Uniform over the disk: P(r ≤ x) = (x / R)², so r = R·√U.
        var radius = options.RadiusMeters * Math.Sqrt(random.NextDouble());
        return (GreatCircle.Destination(options.Centre, random.NextDouble() * 360.0, radius), RuralName);
    }

    private static GeoPoint PlaceAroundTown(WorldOptions options, Settlement town, Random random)
    {
        // 2-D isotropic Gaussian: Rayleigh-distributed distance, redrawn while it falls outside the world disk.
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var distance = town.SpreadMeters * Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble()));
            var point = GreatCircle.Destination(town.Centre, random.NextDouble() * 360.0, distance);
            if (GreatCircle.DistanceMeters(options.Centre, point) <= options.RadiusMeters)
            {
                return point;
            }
        }

        return town.Centre;
    }

    /// <summary>Exponential distance with mean <paramref name="scale"/>, conditioned on ≤ <paramref name="limit"/> (inverse CDF of the truncated law).</summary>
    private static double TruncatedExponential(double scale, double limit, Random random)
    {
        var mass = 1.0 - Math.Exp(-limit / scale);
        return -scale * Math.Log(1.0 - (random.NextDouble() * mass));
    }

    private static double PickWeighted(IReadOnlyList<(double GainDbi, double Weight)> choices, Random random)
    {
        var total = choices.Sum(c => c.Weight);
        var pick = random.NextDouble() * total;
        foreach (var (gain, weight) in choices)
        {
            pick -= weight;
            if (pick < 0)
            {
                return gain;
            }
        }

        return choices[^1].GainDbi;
    }
}
