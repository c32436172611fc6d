namespace DePin.Wireless.CoverageOracle.Verification;

public enum HotspotCapability
{
    /// <summary>Beacons, witnesses and forwards data.</summary>
    Full,

    /// <summary>Forwards data only; excluded from proof of coverage (Helium: data-only hotspots).</summary>
    DataOnly,
}

/// <summary>What the registry knows of an onboarded hotspot.</summary>
/// <param name="Id">The hotspot's address (base58check of its public key).</param>
/// <param name="Location">Asserted location, an H3 cell at resolution 12; null when not asserted.</param>
/// <param name="GainDeciDbi">Antenna gain in tenths of dBi, as Helium stores it.</param>
public sealed record HotspotInfo(
    string Id,
    ulong? Location,
    int GainDeciDbi,
    int ElevationMeters,
    string Region,
    HotspotCapability Capability);

/// <summary>A beacon report with the ingest server's receive time.</summary>
public sealed record BeaconIngest(
    string HotspotId,
    DateTimeOffset Received,
    byte[] LocalEntropy,
    byte[] RemoteEntropy,
    byte[] Data,
    long FrequencyHz,
    string DataRate,
    int TxPowerDbm);

/// <summary>A witness report with the ingest server's receive time.</summary>
public sealed record WitnessIngest(
    string HotspotId,
    DateTimeOffset Received,
    byte[] Data,
    int SignalDeciDbm,
    int SnrCentiDb,
    long FrequencyHz,
    string DataRate,
    DateTimeOffset? HeardAt = null,
    long? FineTimestampNs = null);

/// <summary>Entropy the oracle published: data and the time it was generated.</summary>
public sealed record EntropyRecord(byte[] Data, DateTimeOffset Timestamp);

/// <summary>Helium's invalid-reason names (iot_verifier/src/poc.rs), plus ours for the physics checks.</summary>
public static class InvalidReason
{
    public const string GatewayNotFound = "gateway_not_found";
    public const string NotAsserted = "not_asserted";
    public const string Denied = "denied";
    public const string DeniedEdge = "denied_edge";
    public const string EntropyExpired = "entropy_expired";
    public const string InvalidCapability = "invalid_capability";
    public const string IrregularInterval = "irregular_interval";
    public const string InvalidPacket = "invalid_packet";
    public const string GatewayNoValidWitnesses = "gateway_no_valid_witnesses";
    public const string SelfWitness = "self_witness";
    public const string TooLate = "too_late";
    public const string InvalidFrequency = "invalid_frequency";
    public const string InvalidRegion = "invalid_region";
    public const string BelowMinDistance = "below_min_distance";
    public const string MaxDistanceExceeded = "max_distance_exceeded";
    public const string BadRssi = "bad_rssi";
    public const string Duplicate = "duplicate";
    public const string GatewayNoValidBeacons = "gateway_no_valid_beacons";
    public const string UnknownEntropy = "unknown_entropy";
}

/// <summary>A witness after verification.</summary>
public sealed record VerifiedWitness(WitnessIngest Report, string? InvalidReason, bool Selected)
{
    public bool IsValid => InvalidReason is null;
}

/// <summary>The outcome of verifying one beacon and the witnesses that heard it.</summary>
public sealed record PocResult(
    BeaconIngest Beacon,
    string? BeaconInvalidReason,
    IReadOnlyList<VerifiedWitness> Witnesses)
{
    public bool BeaconValid => BeaconInvalidReason is null;

    public IEnumerable<VerifiedWitness> Selected => Witnesses.Where(w => w.Selected);
}
