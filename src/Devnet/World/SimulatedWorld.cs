using DePin.Wireless.Core.Physics;
using DePin.Wireless.Devnet.Medium;

namespace DePin.Wireless.Devnet.World;

/// <summary>A town: a centre of population that radios cluster around.</summary>
public sealed record Settlement(string Name, GeoPoint Centre, double SpreadMeters);

/// <summary>A radio placed by the generator, with the physical facts the medium needs.</summary>
public sealed record PlacedRadio(string Name, RadioKind Kind, GeoPoint Position, double AntennaGainDbi, double HeightMeters, bool Indoor, bool HasGps, string Settlement)
{
    public RadioRegistration ToRegistration() => new()
    {
        Name = Name,
        Kind = Kind,
        Position = Position,
        AntennaGainDbi = AntennaGainDbi,
        HeightMeters = HeightMeters,
        Indoor = Indoor,
        HasGps = HasGps,
    };
}

/// <summary>A generated area: its towns, hotspots and devices. Same options and seed give an identical world.</summary>
public sealed record SimulatedWorld(WorldOptions Options, int Seed, IReadOnlyList<Settlement> Settlements, IReadOnlyList<PlacedRadio> Hotspots, IReadOnlyList<PlacedRadio> Devices)
{
    /// <summary>Registers every hotspot, then every device, with the medium; returns their ids by name.</summary>
    public IReadOnlyDictionary<string, RadioId> RegisterWith(RadioMedium medium)
    {
        ArgumentNullException.ThrowIfNull(medium);
        var ids = new Dictionary<string, RadioId>(Hotspots.Count + Devices.Count, StringComparer.Ordinal);
        foreach (var radio in Hotspots.Concat(Devices))
        {
            ids[radio.Name] = medium.Register(radio.ToRegistration());
        }

        return ids;
    }
}
