using System.Collections.Concurrent;
using DePin.Wireless.Core.Identity;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>
/// Hotspot addresses (Base58Check, i.e. a double SHA-256 and a base conversion: about 3 µs) by key, computed once per
/// hotspot instead of once per uplink copy. Holds at most <paramref name="capacity"/> hotspots; beyond that the
/// address is computed each time.
/// </summary>
public sealed class HotspotAddresses(int capacity = 1_000_000)
{
    private readonly ConcurrentDictionary<PublicKey, string> _addresses = new();

    public string Of(PublicKey hotspot)
    {
        if (_addresses.TryGetValue(hotspot, out var address))
        {
            return address;
        }

        address = hotspot.ToAddress();
        if (_addresses.Count < capacity)
        {
            _addresses.TryAdd(hotspot, address);
        }

        return address;
    }
}
