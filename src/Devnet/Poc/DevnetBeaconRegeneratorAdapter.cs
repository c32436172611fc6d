using DePin.Wireless.Core.Poc;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.Devnet.Poc;

/// <summary>
/// The devnet's own <see cref="IBeaconRegenerator"/>: rebuilds the beacon a hotspot should have sent with the same
/// <see cref="BeaconPayload.Generate"/> hotspots use, on the beacon plan of the hotspot's registered region.
/// </summary>
public sealed class DevnetBeaconRegeneratorAdapter : IBeaconRegenerator
{
    private readonly Dictionary<string, (BeaconRadioParameters Radio, string DataRate)> _byRegion = new(StringComparer.OrdinalIgnoreCase);

    public ExpectedBeacon Regenerate(HotspotInfo beaconer, EntropyRecord remoteEntropy, ReadOnlySpan<byte> localEntropy)
    {
        var (radio, dataRate) = ForRegion(beaconer.Region);
        var timestampSeconds = (ulong)remoteEntropy.Timestamp.ToUnixTimeSeconds();
        var beacon = BeaconPayload.Generate(remoteEntropy.Data, timestampSeconds, localEntropy, radio);
        return new ExpectedBeacon(beacon.Data, beacon.Frequency.Value, dataRate);
    }

    /// <summary>The beacon radio parameters of a region: its PoC beacon channels and the payload the beacon data rate carries.</summary>
    public static (BeaconRadioParameters Radio, string DataRate) BeaconRadio(string region)
    {
        var plan = RegionPlans.Get(region).PocBeacon();
        var maxPayload = plan.PhyPayloadBytes - 1; // the plan counts the proprietary MHDR
        return (new BeaconRadioParameters(plan.Channels, maxPayload), plan.DataRate.ToString());
    }

    private (BeaconRadioParameters Radio, string DataRate) ForRegion(string region)
    {
        if (!_byRegion.TryGetValue(region, out var entry))
        {
            entry = BeaconRadio(region);
            _byRegion[region] = entry;
        }

        return entry;
    }
}
