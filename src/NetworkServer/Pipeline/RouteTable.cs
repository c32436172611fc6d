using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.NetworkServer.Storage;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>What a frame is routed by: its DevAddr (data frames) or its JoinEUI (join requests).</summary>
public readonly record struct RoutingKey(MType MType, DevAddr? DevAddr, Eui64? JoinEui)
{
    /// <summary>Reads the routing key; null for frames a network server does not route (downlinks, proprietary, rejoin).</summary>
    public static RoutingKey? From(ReadOnlySpan<byte> phyPayload, out string? problem)
    {
        if (!PhyFrame.TryParse(phyPayload, out var frame, out var error))
        {
            problem = $"{error.Field}: {error.Problem}";
            return null;
        }

        problem = null;
        switch (frame.MType)
        {
            case MType.JoinRequest:
                return new RoutingKey(frame.MType, null, frame.AsJoinRequest().JoinEui);
            case MType.UnconfirmedDataUp or MType.ConfirmedDataUp:
                return new RoutingKey(frame.MType, frame.AsDataFrame().DevAddr, null);
            default:
                problem = $"MType: {frame.MType} is not routed (only uplink data and join requests)";
                return null;
        }
    }
}

/// <summary>
/// Stage 2: which organisation owns a frame, by DevAddr range or JoinEUI range (Helium packet-router routes).
/// Immutable; rebuild it when organisations change.
/// </summary>
public sealed class RouteTable(IReadOnlyList<Organization> organizations)
{
    public IReadOnlyList<Organization> Organizations { get; } = organizations;

    public Organization? Lookup(RoutingKey key)
    {
        foreach (var org in Organizations)
        {
            var owns = key.DevAddr is { } addr ? org.DevAddrRange.Contains(addr.Value) : key.JoinEui is { } join && org.JoinEuiRange.Contains(join.Value);
            if (owns)
            {
                return org;
            }
        }

        return null;
    }
}
