using DePin.Wireless.Core.Physics;
using DePin.Wireless.Devnet.Medium;
using DePin.Wireless.Devnet.World;

namespace DePin.Wireless.Devnet.Run;

/// <summary>Where an adversarial hotspot's radio really is and where it claims to be.</summary>
/// <param name="Group">Adversaries acting together (a relay pair, a room cluster) share a group; a spoofer is alone in its own.</param>
public sealed record AdversaryPlacement(HotspotRole Role, GeoPoint RadioPosition, GeoPoint AssertedPosition, int? Partner, int Group);

/// <summary>
/// Turns the last K hotspots of the world into adversaries: about a third location spoofers (asserted 20–150 km
/// from their radio), pairs of beacon relayers (the transmitter 20–35 km from the listener), and the rest room
/// clusters of 2–4 hotspots within 5 m of each other, asserted 0.8–3 km apart over a town. Deterministic in the seed.
/// </summary>
public static class AdversaryPlan
{
    public const int MaxClusterSize = 4;

    public static IReadOnlyDictionary<int, AdversaryPlacement> Plan(IReadOnlyList<PlacedRadio> hotspots, int adversaries, int seed)
    {
        var result = new Dictionary<int, AdversaryPlacement>();
        if (adversaries <= 0)
        {
            return result;
        }

        var random = new Random(SeedMixer.DeriveSeed(seed, "adversaries"));
        var (spoofers, relayHotspots, clusterHotspots) = Split(adversaries);
        var next = hotspots.Count - adversaries;
        var group = 0;
        for (var i = 0; i < spoofers; i++, next++)
        {
            var radio = hotspots[next].Position;
            var asserted = GreatCircle.Destination(radio, random.NextDouble() * 360, 20_000 + (random.NextDouble() * 130_000));
            result[next] = new AdversaryPlacement(HotspotRole.LocationSpoofer, radio, asserted, null, group++);
        }

        for (var i = 0; i < relayHotspots; i += 2, next += 2)
        {
            var listener = hotspots[next].Position;
            var transmitter = GreatCircle.Destination(listener, random.NextDouble() * 360, 20_000 + (random.NextDouble() * 15_000));
            result[next] = new AdversaryPlacement(HotspotRole.RelayListener, listener, listener, next + 1, group);
            result[next + 1] = new AdversaryPlacement(HotspotRole.RelayTransmitter, transmitter, transmitter, next, group++);
        }

        var remaining = clusterHotspots;
        while (remaining > 0)
        {
            var size = Math.Min(MaxClusterSize, remaining);
            var room = hotspots[next].Position;
            for (var m = 0; m < size; m++, next++)
            {
                var radio = m == 0 ? room : GreatCircle.Destination(room, random.NextDouble() * 360, 1 + (random.NextDouble() * 4));
                var asserted = GreatCircle.Destination(room, random.NextDouble() * 360, 800 + (random.NextDouble() * 2_200));
                result[next] = new AdversaryPlacement(HotspotRole.RoomCluster, radio, asserted, null, group);
            }

            remaining -= size;
            group++;
        }

        return result;
    }

    /// <summary>K adversaries as (spoofers, relay hotspots, cluster hotspots); relays come in pairs and clusters hold ≥ 2, leftovers become spoofers.</summary>
    public static (int Spoofers, int RelayHotspots, int ClusterHotspots) Split(int adversaries)
    {
        var spoofers = (adversaries + 2) / 3;
        var relay = (adversaries / 3 / 2) * 2;
        var cluster = adversaries - spoofers - relay;
        if (cluster == 1)
        {
            spoofers++;
            cluster = 0;
        }

        // A last cluster of one cannot happen: groups are filled 4 at a time, so 5 → 4 + 1; move that one to spoofers.
        if (cluster > MaxClusterSize && cluster % MaxClusterSize == 1)
        {
            spoofers++;
            cluster--;
        }

        return (spoofers, relay, cluster);
    }
}
