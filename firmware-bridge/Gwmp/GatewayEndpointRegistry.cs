using System.Collections.Concurrent;
using System.Net;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>Where downlinks for a gateway go: the source of its latest PULL_DATA.</summary>
public readonly record struct GatewayLink(Eui64 Gateway, IPEndPoint Endpoint, byte ProtocolVersion, DateTimeOffset LastPullData);

/// <summary>
/// Per-gateway registry of the latest PULL_DATA source address. PULL_RESP must go to the address of the latest
/// PULL_DATA of that EUI (PROTOCOL.TXT §5: the keep-alive opens the NAT path), and an entry that has not been
/// refreshed within the expiry is treated as disconnected (lora_pkt_fwd sends keep-alives every 5–10 s).
/// </summary>
public sealed class GatewayEndpointRegistry(TimeProvider time, TimeSpan expiry)
{
    private readonly ConcurrentDictionary<Eui64, GatewayLink> _links = new();

    public TimeSpan Expiry { get; } = expiry > TimeSpan.Zero ? expiry : throw new ArgumentOutOfRangeException(nameof(expiry), "gateway expiry must be positive");

    /// <summary>Records a PULL_DATA; a newer address replaces the older one (the gateway's NAT mapping may change).</summary>
    public GatewayLink Record(Eui64 gateway, IPEndPoint source, byte protocolVersion)
    {
        var link = new GatewayLink(gateway, source, protocolVersion, time.GetUtcNow());
        _links[gateway] = link;
        return link;
    }

    /// <summary>The live link of a gateway; false if it never sent PULL_DATA or its last one is older than the expiry.</summary>
    public bool TryGet(Eui64 gateway, out GatewayLink link)
    {
        if (_links.TryGetValue(gateway, out link) && !IsExpired(link))
        {
            return true;
        }

        link = default;
        return false;
    }

    /// <summary>The gateways whose keep-alive is current.</summary>
    public IReadOnlyList<GatewayLink> Active() => [.. _links.Values.Where(l => !IsExpired(l))];

    /// <summary>Forgets expired gateways; returns how many were removed.</summary>
    public int Prune()
    {
        var removed = 0;
        foreach (var (eui, link) in _links)
        {
            if (IsExpired(link) && _links.TryRemove(new KeyValuePair<Eui64, GatewayLink>(eui, link)))
            {
                removed++;
            }
        }

        return removed;
    }

    private bool IsExpired(GatewayLink link) => time.GetUtcNow() - link.LastPullData > Expiry;
}
