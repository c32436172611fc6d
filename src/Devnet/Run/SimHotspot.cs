using DePin.Wireless.Core.Identity;
using DePin.Wireless.Devnet.Medium;
using DePin.Wireless.Devnet.World;
using DePin.Wireless.HotspotHost.Beaconing;
using DePin.Wireless.HotspotHost.Witnessing;

namespace DePin.Wireless.Devnet.Run;

/// <summary>What a hotspot in the run is: honest, or one of the adversary kinds of <c>--adversaries</c>.</summary>
public enum HotspotRole
{
    Honest,

    /// <summary>Radio in one place, location asserted tens of km away.</summary>
    LocationSpoofer,

    /// <summary>Hears beacons and tunnels them to its partner <see cref="RelayTransmitter"/>.</summary>
    RelayListener,

    /// <summary>Re-transmits the beacons its partner heard, far away, and reports witnessing them.</summary>
    RelayTransmitter,

    /// <summary>One of several hotspots side by side in one room, asserted as if spread over a town.</summary>
    RoomCluster,
}

/// <summary>One simulated hotspot: its radio, identity, asserted location and HotspotHost beaconing/witnessing parts.</summary>
public sealed class SimHotspot : IDisposable
{
    public required int Index { get; init; }

    public required PlacedRadio Radio { get; init; }

    public required RadioId RadioId { get; init; }

    public required KeyPair Key { get; init; }

    public required string Address { get; init; }

    /// <summary>The H3 resolution-12 cell the hotspot asserted (its true position for honest hotspots).</summary>
    public required ulong AssertedCell { get; init; }

    public required HotspotRole Role { get; init; }

    /// <summary>For relay listeners and transmitters: the index of the other half of the pair.</summary>
    public int? Partner { get; init; }

    /// <summary>Adversaries acting together share a group (null for honest hotspots).</summary>
    public int? AdversaryGroup { get; init; }

    public required BeaconSchedule Schedule { get; init; }

    public required BeaconRecognizer Recognizer { get; init; }

    /// <summary>The hotspot's own stream for local beacon entropy.</summary>
    public required IRandomSource Random { get; init; }

    public bool IsAdversary => Role != HotspotRole.Honest;

    public DateTimeOffset NextBeacon { get; set; }

    public void Dispose() => Key.Dispose();
}
