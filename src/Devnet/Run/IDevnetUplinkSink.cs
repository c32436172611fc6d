using DePin.Wireless.Devnet.Medium;

namespace DePin.Wireless.Devnet.Run;

/// <summary>One copy of a device uplink as a hotspot received it, on its way to the network server.</summary>
public sealed record DevnetUplinkCopy(int HotspotIndex, string HotspotAddress, string Region, Reception Reception, DateTimeOffset ReceivedAt);

/// <summary>What the network server and data-credit path made of the uplinks it was given.</summary>
public sealed record UplinkOutcomeTotals(long Delivered, long ChargedDc, long DroppedNoBalance);

/// <summary>
/// Where hotspots forward the device uplinks they hear. The NetworkServer pipeline with DataCredits plugs in here
/// (dedup, MIC check, DC charge); until it does, a run has no sink and reports delivered/charged as unknown.
/// </summary>
public interface IDevnetUplinkSink
{
    /// <summary>Called in simulated-time order for each copy; the sink may buffer.</summary>
    void Accept(DevnetUplinkCopy copy);

    /// <summary>Totals once every copy has been given (called after the run).</summary>
    UplinkOutcomeTotals Complete();
}
