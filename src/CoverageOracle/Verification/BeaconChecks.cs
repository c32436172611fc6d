namespace DePin.Wireless.CoverageOracle.Verification;

/// <summary>The eight beacon checks, in Helium's order (iot_verifier/src/poc.rs: do_beacon_verifications, verify_beacon).</summary>
public sealed class BeaconChecks(VerifierOptions options, IVerifierLookups lookups, IBeaconRegenerator regenerator, PocHistory history)
{
    /// <summary>Returns null when the beacon is valid, else the first failing reason.</summary>
    public string? Verify(BeaconIngest beacon, out HotspotInfo? beaconer)
    {
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

        var entropy = lookups.FindEntropy(beacon.RemoteEntropy);
        if (entropy is null || !WithinEntropyWindow(beacon.Received, entropy, options))
        {
            return InvalidReason.EntropyExpired;
        }

        if (beaconer.Capability != HotspotCapability.Full)
        {
            return InvalidReason.InvalidCapability;
        }

        // Schedule: the bucket is recorded even when the beacon fails here or later, as Helium does, so a
        // hotspot cannot retry within the same window until one passes.
        var bucket = Bucket(beacon.Received, options.BeaconInterval);
        var last = history.LastBeaconBucket(beacon.HotspotId);
        history.RecordBeaconBucket(beacon.HotspotId, bucket);
        if (last is { } l && bucket <= l)
        {
            return InvalidReason.IrregularInterval;
        }

        var expected = regenerator.Regenerate(beaconer, entropy, beacon.LocalEntropy);
        if (!expected.Data.AsSpan().SequenceEqual(beacon.Data) || expected.FrequencyHz != beacon.FrequencyHz ||
            !string.Equals(expected.DataRate, beacon.DataRate, StringComparison.OrdinalIgnoreCase) ||
            !entropy.Data.AsSpan().SequenceEqual(beacon.RemoteEntropy))
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
