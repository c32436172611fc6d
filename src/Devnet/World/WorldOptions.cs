using DePin.Wireless.Core.Physics;

namespace DePin.Wireless.Devnet.World;

/// <summary>How to generate a simulated area: a city core with satellite towns and a thin rural background.</summary>
public sealed record WorldOptions
{
    public required GeoPoint Centre { get; init; }

    /// <summary>No radio is placed farther than this from the centre.</summary>
    public double RadiusMeters { get; init; } = 25_000;

    public int HotspotCount { get; init; } = 1_000;

    /// <summary>
    /// How many cities like the one described by the other options make up the world. City 0 is at
    /// <see cref="Centre"/>; the others sit on a jittered hexagonal lattice <see cref="CitySpacingMeters"/> apart around
    /// it, and each radio picks its city uniformly. 1 (the default) is a single city exactly as before.
    /// </summary>
    public int CityCount { get; init; } = 1;

    /// <summary>Distance between neighbouring city centres. Default 60 km: a 25 km city disk leaves ~10 km of countryside to the next.</summary>
    public double CitySpacingMeters { get; init; } = 60_000;

    public int DeviceCount { get; init; } = 2_000;

    /// <summary>Towns around the core (placed between <see cref="SatelliteMinDistanceFraction"/> and <see cref="SatelliteMaxDistanceFraction"/> of the radius).</summary>
    public int SatelliteTownCount { get; init; } = 4;

    /// <summary>Radial falloff of the core: distance from the centre is exponential with this mean, truncated at the radius.</summary>
    public double CoreScaleMeters { get; init; } = 4_000;

    /// <summary>Standard deviation of the Gaussian spread of each satellite town.</summary>
    public double SatelliteScaleMeters { get; init; } = 1_500;

    public double SatelliteMinDistanceFraction { get; init; } = 0.35;

    public double SatelliteMaxDistanceFraction { get; init; } = 0.85;

    /// <summary>Share of radios in the core; satellites share <see cref="SatelliteShare"/>; the rest are uniform over the disk.</summary>
    public double CoreShare { get; init; } = 0.65;

    public double SatelliteShare { get; init; } = 0.28;

    /// <summary>Share of hotspots placed indoors (window sills, shelves); the rest are on roofs and masts.</summary>
    public double HotspotIndoorShare { get; init; } = 0.6;

    public double DeviceIndoorShare { get; init; } = 0.5;

    /// <summary>Share of hotspots whose concentrator has GPS (fine timestamps).</summary>
    public double HotspotGpsShare { get; init; } = 0.5;

    /// <summary>
    /// Antenna gain choices for hotspots with their weights: stock 2–4 dBi whips and upgraded 6/8 dBi fibreglass
    /// antennas. Whole dB on purpose: Helium's RSSI ceiling truncates asserted gains to whole dB
    /// (reference: helium-poc-and-data-credits.md, witness check 12; helium/oracles issue 330), so a 5.8 dBi antenna
    /// would be credited 5 dB and its honest near-line-of-sight links flagged bad_rssi.
    /// </summary>
    public IReadOnlyList<(double GainDbi, double Weight)> HotspotAntennas { get; init; } =
        [(2.0, 0.30), (3.0, 0.20), (4.0, 0.25), (6.0, 0.15), (8.0, 0.10)];

    /// <summary>Device antenna gain range in dBi (small chip and whip antennas), drawn uniformly.</summary>
    public (double Min, double Max) DeviceAntennaGainDbi { get; init; } = (-2.0, 2.15);

    /// <summary>
    /// The default world for a run of <paramref name="hotspots"/> hotspots at a realistic, N-independent density: one
    /// city for up to <paramref name="hotspotsPerCity"/> hotspots, otherwise ⌈N / hotspotsPerCity⌉ cities — a region
    /// of towns the way Helium's network spread, rather than one ever denser city (where every SF12 beacon would be
    /// heard by a share of all N hotspots, so witnesses per beacon and the whole run's cost would grow ∝ N).
    /// Devices spread over the same cities.
    /// </summary>
    public static WorldOptions ForNetwork(GeoPoint centre, int hotspots, int devices, int hotspotsPerCity = DefaultHotspotsPerCity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hotspotsPerCity, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(hotspots);
        return new WorldOptions
        {
            Centre = centre,
            HotspotCount = hotspots,
            DeviceCount = devices,
            CityCount = Math.Max(1, (int)Math.Ceiling(hotspots / (double)hotspotsPerCity)),
        };
    }

    /// <summary>
    /// Hotspots per city in <see cref="ForNetwork"/>. 100 in a 25 km city gives, with the default (Hata urban)
    /// propagation, 20–30 witnesses per SF12 beacon on average (median ≈ 20; Helium's network averaged 10–30),
    /// whatever the network's size; the default 500-hotspot run is a region of five such towns.
    /// </summary>
    public const int DefaultHotspotsPerCity = 100;

    internal void Validate()
    {
        RequirePositive(RadiusMeters, nameof(RadiusMeters));
        RequirePositive(CoreScaleMeters, nameof(CoreScaleMeters));
        RequirePositive(SatelliteScaleMeters, nameof(SatelliteScaleMeters));
        RequireCount(HotspotCount, nameof(HotspotCount));
        RequirePositive(CitySpacingMeters, nameof(CitySpacingMeters));
        if (CityCount < 1)
        {
            throw new ArgumentException($"world: CityCount is {CityCount}, expected ≥ 1", nameof(CityCount));
        }

        RequireCount(DeviceCount, nameof(DeviceCount));
        RequireCount(SatelliteTownCount, nameof(SatelliteTownCount));
        RequireShare(CoreShare, nameof(CoreShare));
        RequireShare(SatelliteShare, nameof(SatelliteShare));
        RequireShare(HotspotIndoorShare, nameof(HotspotIndoorShare));
        RequireShare(DeviceIndoorShare, nameof(DeviceIndoorShare));
        RequireShare(HotspotGpsShare, nameof(HotspotGpsShare));
        RequireShare(SatelliteMinDistanceFraction, nameof(SatelliteMinDistanceFraction));
        RequireShare(SatelliteMaxDistanceFraction, nameof(SatelliteMaxDistanceFraction));
        if (CoreShare + SatelliteShare > 1)
        {
            throw new ArgumentException($"world: CoreShare {CoreShare} + SatelliteShare {SatelliteShare} exceed 1", nameof(SatelliteShare));
        }

        if (SatelliteMinDistanceFraction > SatelliteMaxDistanceFraction)
        {
            throw new ArgumentException($"world: SatelliteMinDistanceFraction {SatelliteMinDistanceFraction} exceeds SatelliteMaxDistanceFraction {SatelliteMaxDistanceFraction}", nameof(SatelliteMinDistanceFraction));
        }

        ArgumentNullException.ThrowIfNull(HotspotAntennas);
        if (HotspotAntennas.Count == 0 || HotspotAntennas.Any(a => !double.IsFinite(a.GainDbi) || !double.IsFinite(a.Weight) || a.Weight <= 0))
        {
            throw new ArgumentException("world: HotspotAntennas needs at least one choice, each with a finite gain and a positive weight", nameof(HotspotAntennas));
        }

        if (!double.IsFinite(DeviceAntennaGainDbi.Min) || !double.IsFinite(DeviceAntennaGainDbi.Max) || DeviceAntennaGainDbi.Min > DeviceAntennaGainDbi.Max)
        {
            throw new ArgumentException($"world: DeviceAntennaGainDbi {DeviceAntennaGainDbi} must be a finite range with Min ≤ Max", nameof(DeviceAntennaGainDbi));
        }
    }

    private static void RequirePositive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentException($"world: {name} is {value}, expected a positive number", name);
        }
    }

    private static void RequireCount(int value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentException($"world: {name} is {value}, expected ≥ 0", name);
        }
    }

    private static void RequireShare(double value, string name)
    {
        if (!double.IsFinite(value) || value is < 0 or > 1)
        {
            throw new ArgumentException($"world: {name} is {value}, expected a share within 0..1", name);
        }
    }
}
