namespace DePin.Wireless.CoverageOracle.Verification;

/// <summary>The eight beacon checks, in Helium's order (iot_verifier/src/poc.rs: do_beacon_verifications, verify_beacon).</summary>
public sealed class BeaconChecks(VerifierOptions options, IVerifierLookups lookups, IBeaconRegenerator regenerator, PocHistory history)
{
    /// <summary>Returns null when the beacon is valid, else the first failing reason.</summary>
    public string? Verify(BeaconIngest beacon, out HotspotInfo? beaconer)
    {
        var reason = VerifyStateless(beacon, out beaconer, out var entropy);
        return reason ?? VerifyWithHistory(beacon, PacketMatches(beacon, beaconer!, entropy!));
    }

    /// <summary>
    /// The checks before the schedule, which read the registry and entropy but no history (safe to run for many
    /// beacons at once when the lookups allow concurrent reads): null when they pass, with the beaconer and entropy.
    /// </summary>
    public string? VerifyStateless(BeaconIngest beacon, out HotspotInfo? beaconer, out EntropyRecord? entropy)
    {
        entropy = null;
        beaconer = lookups.FindHotspot(beacon.HotspotId);
        if (beaconer is null)
        {
            return InvalidReason.GatewayNotFound;
        }

        if (beaconer.Location is null)
        {
            return InvalidReason.NotAsserted;
        }

        if (lookups.IsDenied(beacon.HotspotId))
        {
            return InvalidReason.Denied;
        }

        entropy = lookups.FindEntropy(beacon.RemoteEntropy);
        if (entropy is null || !WithinEntropyWindow(beacon.Received, entropy, options))
        {
            return InvalidReason.EntropyExpired;
        }

        if (beaconer.Capability != HotspotCapability.Full)
        {
            return InvalidReason.InvalidCapability;
        }

        return null;
    }

    /// <summary>Whether the beacon is the one its beaconer had to send (pure: regenerated from its entropy, compared).</summary>
    public bool PacketMatches(BeaconIngest beacon, HotspotInfo beaconer, EntropyRecord entropy)
    {
        var expected = regenerator.Regenerate(beaconer, entropy, beacon.LocalEntropy);
        return expected.Data.AsSpan().SequenceEqual(beacon.Data) && expected.FrequencyHz == beacon.FrequencyHz &&
            string.Equals(expected.DataRate, beacon.DataRate, StringComparison.OrdinalIgnoreCase) &&
            entropy.Data.AsSpan().SequenceEqual(beacon.RemoteEntropy);
    }

    /// <summary>
    /// The checks that read and write the history, in Helium's order after <see cref="VerifyStateless"/> passed:
    /// schedule, packet (<paramref name="packetMatches"/>, from <see cref="PacketMatches"/>), reciprocity. Beacons
    /// must go through here one at a time, in verification order.
    /// </summary>
    public string? VerifyWithHistory(BeaconIngest beacon, bool packetMatches)
    {
        // Schedule: the bucket is recorded even when the beacon fails here or later, as Helium does, so a
        // hotspot cannot retry within the same window until one passes.
        var bucket = Bucket(beacon.Received, options.BeaconInterval);
        var last = history.LastBeaconBucket(beacon.HotspotId);
        history.RecordBeaconBucket(beacon.HotspotId, bucket);
        if (last is { } l && bucket <= l)
        {
            return InvalidReason.IrregularInterval;
        }

        if (!packetMatches)
        {
            return InvalidReason.InvalidPacket;
        }

        if (history.LastValidWitness(beacon.HotspotId) is not { } w || beacon.Received - w > options.ReciprocityWindow)
        {
            return InvalidReason.GatewayNoValidWitnesses;
        }

        return null;
    }

    public static bool WithinEntropyWindow(DateTimeOffset received, EntropyRecord entropy, VerifierOptions options) =>
        received >= entropy.Timestamp && received <= entropy.Timestamp + options.EntropyLifespan;

    public static DateTimeOffset Bucket(DateTimeOffset time, TimeSpan interval)
    {
        var utc = time.UtcTicks;
        return new DateTimeOffset(utc - (utc % interval.Ticks), TimeSpan.Zero);
    }
}
