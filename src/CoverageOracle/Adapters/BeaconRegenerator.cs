using DePin.Wireless.Core.Poc;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.CoverageOracle.Adapters;

/// <summary>
/// Regenerates the beacon a hotspot had to send, with the same function hotspots use
/// (<see cref="BeaconPayload.Generate"/>), over its region's PoC beacon plan (<see cref="RegionPlan.PocBeacon"/>):
/// the plan's channels in plan order and the beacon data size its data rate allows. TX power is not compared,
/// as in Helium (iot_verifier/src/poc.rs verify_beacon_payload compares data, frequency and data rate only).
/// Plans are cached per region (they are immutable).
/// </summary>
public sealed class BeaconRegenerator : IBeaconRegenerator
{
    private readonly Dictionary<string, (BeaconRadioParameters Radio, string DataRate)> _plans = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    public ExpectedBeacon Regenerate(HotspotInfo beaconer, EntropyRecord remoteEntropy, ReadOnlySpan<byte> localEntropy)
    {
        var (radio, dataRate) = PlanFor(beaconer.Region);
        var beacon = BeaconPayload.Generate(remoteEntropy.Data, (ulong)remoteEntropy.Timestamp.ToUnixTimeSeconds(), localEntropy, radio);
        return new ExpectedBeacon(beacon.Data, beacon.Frequency.Value, dataRate);
    }

    /// <summary>The radio parameters and data rate name a hotspot of <paramref name="region"/> beacons with.</summary>
    public (BeaconRadioParameters Radio, string DataRate) PlanFor(string region)
    {
        lock (_gate)
        {
            if (!_plans.TryGetValue(region, out var plan))
            {
                var poc = RegionPlans.Get(region).PocBeacon();
                plan = (new BeaconRadioParameters(poc.Channels, poc.PhyPayloadBytes - 1), poc.DataRate.ToString());
                _plans[region] = plan;
            }

            return plan;
        }
    }
}
