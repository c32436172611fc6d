using System.Numerics;
using DePin.Wireless.CoverageOracle.Spoofing;
using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.Devnet.Run;

/// <summary>One hotspot's line of rewards.csv.</summary>
public sealed record HotspotRewardLine(string Hotspot, double BeaconShares, double WitnessShares, ulong DcShares, BigInteger Reward);

/// <summary>
/// Adversary outcome (definitions in README "Adversaries"): <see cref="Detected"/> and <see cref="HonestPenalised"/>
/// count hotspots caught/penalised by Helium's checks or by the oracle's spoofing analysis; the two detectors are
/// also counted on their own, overall and per adversary kind.
/// </summary>
public sealed record AdversaryOutcome(int Count, int Detected, int HonestPenalised, IReadOnlyList<AdversaryLine> Hotspots)
{
    public int Honest { get; init; }

    public DetectorOutcome HeliumChecks { get; init; } = new(0, 0);

    public DetectorOutcome SpoofingAnalysis { get; init; } = new(0, 0);

    /// <summary>Per adversary kind, in <see cref="HotspotRole"/> order (only kinds present in the run).</summary>
    public IReadOnlyList<AdversaryKindOutcome> ByKind { get; init; } = [];
}

/// <summary>What one detector caught: adversaries detected and honest hotspots penalised.</summary>
public sealed record DetectorOutcome(int Detected, int HonestPenalised);

/// <summary>One adversary kind: how many, and how many each detector (and either) caught.</summary>
public sealed record AdversaryKindOutcome(HotspotRole Role, int Count, int HeliumDetected, int SpoofingDetected, int Detected);

/// <param name="Detected">Helium's checks or the oracle caught it.</param>
/// <param name="Reasons">Helium's invalid reasons of its beacons and witnesses.</param>
/// <param name="SpoofingTrust">The spoofing analysis' trust score after the epoch (1 = untouched).</param>
/// <param name="SpoofingReasons">The spoofing analysis' verdicts (stable code first, e.g. <c>timing_heard_late: …</c>).</param>
/// <param name="Reward">What it was paid, after the oracle's reward factor.</param>
public sealed record AdversaryLine(string Hotspot, HotspotRole Role, bool Detected, IReadOnlyList<string> Reasons, BigInteger Reward)
{
    public bool HeliumDetected { get; init; }

    public bool SpoofingDetected { get; init; }

    public double SpoofingTrust { get; init; } = 1.0;

    public IReadOnlyList<string> SpoofingReasons { get; init; } = [];
}

/// <summary>Uplink counts (README "Devices and organisations"); the last three are null only for results built without a network server.</summary>
public sealed record UplinkOutcome(long Sent, long ReceivedByHotspots, long? Delivered, long? ChargedDc, long? DroppedNoBalance);

/// <summary>Everything a run produced, from which summary.json, rewards.csv and the GeoJSON files are written.</summary>
public sealed record RunResult
{
    public required RunOptions Options { get; init; }

    public required long BeaconsSent { get; init; }

    public required long BeaconsValid { get; init; }

    public required IReadOnlyDictionary<string, long> BeaconInvalid { get; init; }

    public required long WitnessesReported { get; init; }

    public required long WitnessesValid { get; init; }

    public required long WitnessesSelected { get; init; }

    public required IReadOnlyDictionary<string, long> WitnessInvalid { get; init; }

    public required UplinkOutcome Uplinks { get; init; }

    /// <summary>Joins, confirmed uplinks, downlinks and organisations' accounts.</summary>
    public TrafficOutcome? Traffic { get; init; }

    public required BigInteger EpochEmission { get; init; }

    public required BigInteger Distributed { get; init; }

    public required IReadOnlyList<HotspotRewardLine> Rewards { get; init; }

    public required AdversaryOutcome Adversaries { get; init; }

    /// <summary>The oracle's spoofing analysis of the epoch (every hotspot's verdicts and trust).</summary>
    public required SpoofingReport Spoofing { get; init; }

    /// <summary>The epoch's verified PoC results and the registry entries they were judged against (for offline analysis).</summary>
    public required IReadOnlyList<PocResult> PocResults { get; init; }

    /// <inheritdoc cref="PocResults"/>
    public required IReadOnlyList<HotspotInfo> Registry { get; init; }

    public required IReadOnlyList<(ulong Cell, double Score, int Hotspots)> Coverage { get; init; }

    public required IReadOnlyList<HotspotMapPoint> HotspotPoints { get; init; }

    public required IReadOnlyList<(int Beaconer, int Witness, double Rssi, double Snr)> Links { get; init; }

    /// <summary>Wall-clock time of the run (machine-dependent; the only non-deterministic figure).</summary>
    public double WallClockSeconds { get; init; }

    /// <summary>Wall-clock time spent signing and verifying report envelopes (machine-dependent).</summary>
    public double EnvelopeSeconds { get; init; }

    /// <summary>Report envelopes signed and verified.</summary>
    public long Envelopes { get; init; }
}

/// <summary>A hotspot as the map shows it: at its asserted location.</summary>
public sealed record HotspotMapPoint(string Address, ulong AssertedCell, bool Active, IReadOnlyList<string> Reasons, BigInteger Reward);
