namespace DePin.Wireless.CoverageOracle.Verification;

/// <summary>The fourteen witness checks, in Helium's order (iot_verifier/src/poc.rs: do_witness_verifications).</summary>
public sealed class WitnessChecks(VerifierOptions options, IVerifierLookups lookups, IPocGeometry geometry, PocHistory history)
{
    /// <summary>
    /// Returns null when valid, else the first failing reason. <paramref name="seen"/> collects hotspots already
    /// verified for this beacon (duplicate check); <paramref name="firstWitnessReceived"/> is the earliest
    /// witness receive time of this beacon.
    /// </summary>
    public string? Verify(BeaconIngest beacon, HotspotInfo beaconer, EntropyRecord entropy, WitnessIngest witness, DateTimeOffset firstWitnessReceived, ISet<string> seen) =>
        VerifyStateless(beacon, beaconer, entropy, witness, firstWitnessReceived, out var w) ?? VerifyWithHistory(w!, witness, seen);

    /// <summary>
    /// The checks up to the RSSI ceiling, which read the registry but neither the history nor the other witnesses
    /// (safe to run for many witnesses at once when the lookups allow concurrent reads): null when they pass, with the
    /// witness's registry entry.
    /// </summary>
    public string? VerifyStateless(BeaconIngest beacon, HotspotInfo beaconer, EntropyRecord entropy, WitnessIngest witness, DateTimeOffset firstWitnessReceived, out HotspotInfo? witnessHotspot)
    {
        var w = lookups.FindHotspot(witness.HotspotId);
        witnessHotspot = w;
        if (w is null)
        {
            return InvalidReason.GatewayNotFound;
        }

        if (w.Location is null)
        {
            return InvalidReason.NotAsserted;
        }

        if (lookups.IsDenied(w.Id))
        {
            return InvalidReason.Denied;
        }

        if (lookups.IsEdgeDenied(beaconer.Id, w.Id))
        {
            return InvalidReason.DeniedEdge;
        }

        if (string.Equals(w.Id, beaconer.Id, StringComparison.Ordinal))
        {
            return InvalidReason.SelfWitness;
        }

        if (!BeaconChecks.WithinEntropyWindow(witness.Received, entropy, options))
        {
            return InvalidReason.EntropyExpired;
        }

        if (!LagOk(beacon.Received, witness.Received, firstWitnessReceived))
        {
            return InvalidReason.TooLate;
        }

        if (!witness.Data.AsSpan().SequenceEqual(beacon.Data))
        {
            return InvalidReason.InvalidPacket;
        }

        if (w.Capability != HotspotCapability.Full)
        {
            return InvalidReason.InvalidCapability;
        }

        if (Math.Abs(beacon.FrequencyHz - witness.FrequencyHz) > options.MaxFrequencyDeltaHz)
        {
            return InvalidReason.InvalidFrequency;
        }

        if (!string.Equals(beaconer.Region, w.Region, StringComparison.OrdinalIgnoreCase))
        {
            return InvalidReason.InvalidRegion;
        }

        var b = beaconer.Location!.Value;
        var grid = geometry.GridDistance(b, w.Location.Value, options.MinDistanceResolution);
        if (grid is { } g && g < options.MinGridDistance)
        {
            return InvalidReason.BelowMinDistance;
        }

        var meters = geometry.CenterDistanceMeters(b, w.Location.Value);
        if (meters > options.MaxDistanceMeters)
        {
            return InvalidReason.MaxDistanceExceeded;
        }

        if (RssiAboveFreeSpaceCeiling(beacon, beaconer, w, witness, meters))
        {
            return InvalidReason.BadRssi;
        }

        return null;
    }

    /// <summary>
    /// The last two checks, after <see cref="VerifyStateless"/> passed: duplicate (against <paramref name="seen"/>) and
    /// reciprocity (the history). Witnesses must go through here one at a time, in verification order.
    /// </summary>
    public string? VerifyWithHistory(HotspotInfo witnessHotspot, WitnessIngest witness, ISet<string> seen)
    {
        ArgumentNullException.ThrowIfNull(witnessHotspot);
        if (!seen.Add(witnessHotspot.Id))
        {
            return InvalidReason.Duplicate;
        }

        if (history.LastValidBeaconWithWitness(witnessHotspot.Id) is not { } t || witness.Received - t > options.ReciprocityWindow)
        {
            return InvalidReason.GatewayNoValidBeacons;
        }

        return null;
    }

    /// <summary>
    /// Helium's ceiling: invalid if RSSI > tx_power + ⌊gain_b⌋ − FSPL(d, f) + ⌊gain_w⌋, gains truncated to whole dB,
    /// FSPL = 20·log10(4π·d·f/c).
    /// </summary>
    public bool RssiAboveFreeSpaceCeiling(BeaconIngest beacon, HotspotInfo beaconer, HotspotInfo witnessHotspot, WitnessIngest witness, double meters)
    {
        var fspl = FreeSpacePathLossDb(Math.Max(meters, 1.0), beacon.FrequencyHz, options.SpeedOfLight);
        var ceiling = beacon.TxPowerDbm + (beaconer.GainDeciDbi / 10) - fspl + (witnessHotspot.GainDeciDbi / 10);
        return witness.SignalDeciDbm / 10.0 > ceiling;
    }

    public static double FreeSpacePathLossDb(double meters, double frequencyHz, double speedOfLight) =>
        20 * Math.Log10(4 * Math.PI * meters * frequencyHz / speedOfLight);

    private bool LagOk(DateTimeOffset beaconReceived, DateTimeOffset witnessReceived, DateTimeOffset firstWitness) =>
        beaconReceived <= witnessReceived
            ? witnessReceived - beaconReceived <= options.MaxLagAfterBeacon
            : witnessReceived - firstWitness <= options.MaxLagAfterFirstWitness;
}
