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
        var cities = CityCentres(options, seed).Select((centre, c) => PlaceSettlements(options, seed, c, centre)).ToArray();
        var hotspots = new PlacedRadio[options.HotspotCount];
        for (var i = 0; i < hotspots.Length; i++)
        {
            hotspots[i] = PlaceHotspot(options, cities, seed, i);
        }

        var devices = new PlacedRadio[options.DeviceCount];
        for (var i = 0; i < devices.Length; i++)
        {
            devices[i] = PlaceDevice(options, cities, seed, i);
        }

        return new SimulatedWorld(options, seed, cities.SelectMany(c => c).ToArray(), hotspots, devices);
    }

    /// <summary>
    /// City centres: the first at the world centre, the rest on the rings of a hexagonal lattice around it (so the
    /// region stays compact), each moved by up to 15 % of the spacing so the pattern is not a perfect grid.
    /// </summary>
    internal static GeoPoint[] CityCentres(WorldOptions options, int seed)
    {
        var centres = new GeoPoint[options.CityCount];
        centres[0] = options.Centre;
        var random = new Random(SeedMixer.DeriveSeed(seed, "cities"));
        var placed = 1;
        for (var ring = 1; placed < centres.Length; ring++)
        {
            foreach (var (east, north) in HexRing(ring))
            {
                if (placed == centres.Length)
                {
                    break;
                }

                var jitterBearing = random.NextDouble() * 360.0;
                var jitter = random.NextDouble() * 0.15 * options.CitySpacingMeters;
                var offsetEast = east * options.CitySpacingMeters;
                var offsetNorth = north * options.CitySpacingMeters;
                var bearing = Math.Atan2(offsetEast, offsetNorth) * 180.0 / Math.PI;
                var lattice = GreatCircle.Destination(options.Centre, bearing, Math.Sqrt((offsetEast * offsetEast) + (offsetNorth * offsetNorth)));
                centres[placed++] = GreatCircle.Destination(lattice, jitterBearing, jitter);
            }
        }

        return centres;
    }

    /// <summary>The 6·k points of ring k of a unit hexagonal lattice, as (east, north) offsets in lattice spacings.</summary>
    private static IEnumerable<(double East, double North)> HexRing(int k)
    {
        // Axial coordinates (q, r) → Cartesian: x = q + r/2, y = r·√3/2. Walk the ring's six sides.
        (int Q, int R)[] directions = [(1, 0), (1, -1), (0, -1), (-1, 0), (-1, 1), (0, 1)];
        var (q, r) = (-k, k);
        foreach (var (dq, dr) in directions)
        {
            for (var step = 0; step < k; step++)
            {
                yield return (q + (r / 2.0), r * Math.Sqrt(3) / 2.0);
                q += dq;
                r += dr;
            }
        }
    }

    private static Settlement[] PlaceSettlements(WorldOptions options, int seed, int city, GeoPoint cityCentre)
    {
        // City 0 keeps the single-city names and stream, so a one-city world is exactly what it always was.
        var random = new Random(city == 0 ? SeedMixer.DeriveSeed(seed, "settlements") : SeedMixer.DeriveSeed(seed, "settlements", city));
        var prefix = city == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"city-{city}/");
        var towns = new Settlement[options.SatelliteTownCount + 1];
        towns[0] = new Settlement(prefix + CoreName, cityCentre, options.CoreScaleMeters);
        for (var i = 1; i < towns.Length; i++)
        {
            // Evenly spread bearings with jitter, so towns do not pile onto one side.
            var bearing = (360.0 * (i - 1) / options.SatelliteTownCount) + ((random.NextDouble() - 0.5) * 360.0 / options.SatelliteTownCount * 0.6);
            var fraction = options.SatelliteMinDistanceFraction + (random.NextDouble() * (options.SatelliteMaxDistanceFraction - options.SatelliteMinDistanceFraction));
            var centre = GreatCircle.Destination(cityCentre, bearing, fraction * options.RadiusMeters);
            towns[i] = new Settlement(prefix + string.Create(CultureInfo.InvariantCulture, $"town-{i}"), centre, options.SatelliteScaleMeters);
        }

        return towns;
    }

    private static Settlement[] PickCity(Settlement[][] cities, Random random) =>
        cities.Length == 1 ? cities[0] : cities[random.Next(cities.Length)];

    private static PlacedRadio PlaceHotspot(WorldOptions options, Settlement[][] cities, int seed, int index)
    {
        var random = new Random(SeedMixer.DeriveSeed(seed, "hotspot", index));
        var (position, settlement) = PlacePoint(options, PickCity(cities, random), random);
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

    private static PlacedRadio PlaceDevice(WorldOptions options, Settlement[][] cities, int seed, int index)
    {
        var random = new Random(SeedMixer.DeriveSeed(seed, "device", index));
        var (position, settlement) = PlacePoint(options, PickCity(cities, random), random);
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
            return (GreatCircle.Destination(towns[0].Centre, random.NextDouble() * 360.0, distance), towns[0].Name);
        }

        if (which < options.CoreShare + options.SatelliteShare)
        {
            var town = towns[1 + random.Next(towns.Length - 1)];
            return (PlaceAroundTown(options, towns[0].Centre, town, random), town.Name);
        }

        // Uniform over the disk: P(r ≤ x) = (x / R)², so r = R·√U.
        var radius = options.RadiusMeters * Math.Sqrt(random.NextDouble());
        return (GreatCircle.Destination(towns[0].Centre, random.NextDouble() * 360.0, radius), RuralNameOf(towns[0]));
    }

    private static string RuralNameOf(Settlement core) =>
        core.Name == CoreName ? RuralName : core.Name[..^CoreName.Length] + RuralName;

    private static GeoPoint PlaceAroundTown(WorldOptions options, GeoPoint cityCentre, Settlement town, Random random)
    {
        // 2-D isotropic Gaussian: Rayleigh-distributed distance, redrawn while it falls outside the world disk.
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var distance = town.SpreadMeters * Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble()));
            var point = GreatCircle.Destination(town.Centre, random.NextDouble() * 360.0, distance);
            if (GreatCircle.DistanceMeters(cityCentre, point) <= options.RadiusMeters)
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
