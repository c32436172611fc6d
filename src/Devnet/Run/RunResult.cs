using System.Numerics;

namespace DePin.Wireless.Devnet.Run;

/// <summary>One hotspot's line of rewards.csv.</summary>
public sealed record HotspotRewardLine(string Hotspot, double BeaconShares, double WitnessShares, ulong DcShares, BigInteger Reward);

/// <summary>Adversary outcome (definitions in README "Adversaries").</summary>
public sealed record AdversaryOutcome(int Count, int Detected, int HonestPenalised, IReadOnlyList<AdversaryLine> Hotspots);

public sealed record AdversaryLine(string Hotspot, HotspotRole Role, bool Detected, IReadOnlyList<string> Reasons, BigInteger Reward);

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
