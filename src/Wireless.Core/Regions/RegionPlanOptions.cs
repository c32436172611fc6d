using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Regions;

/// <summary>Per-deployment choices inside a region.</summary>
public sealed record RegionPlanOptions
{
    /// <summary>US915/AU915 sub-band 1..8 (8 × 125 kHz + one 500 kHz channel). Default 2, the sub-band Helium and TTN use.</summary>
    public int SubBand { get; init; } = 2;

    /// <summary>Uplink 400 ms dwell limit for AU915/AS923 (TxParamSetupReq UplinkDwellTime); null = the region's boot default (on).</summary>
    public bool? UplinkDwellTime { get; init; }

    /// <summary>Downlink 400 ms dwell limit for AS923 (DownlinkDwellTime); null = the region's boot default (on for AS923).</summary>
    public bool? DownlinkDwellTime { get; init; }

    /// <summary>
    /// Extra channels for EU-like plans (at most 16 − defaults; sent in the CFList). Null = the region's common network plan
    /// (EU868: 867.1/867.3/867.5/867.7/867.9 MHz as used by TTN and Helium; others: none).
    /// </summary>
    public IReadOnlyList<Hz>? ExtraChannels { get; init; }

    public static RegionPlanOptions Default { get; } = new();
}
