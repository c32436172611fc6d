using DePin.Wireless.Core.H3;
using DePin.Wireless.CoverageOracle.Rewards;
using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.Devnet.Run;

/// <summary>Where a witness report came from: who reported it, whose beacon it was, and whose radio sent the copy heard.</summary>
public sealed record WitnessOrigin(int Witness, int Beaconer, int HeardFrom, double RssiDbm, double SensitivityDbm);

/// <summary>One hotspot's PoC outcome over the run.</summary>
public sealed class HotspotPocRecord
{
    public double BeaconUnits { get; set; }

    public double WitnessUnits { get; set; }

    public int ValidBeacons { get; set; }

    public int SelectedWitnesses { get; set; }

    /// <summary>Invalid beacons or witnesses for a reason outside <see cref="PocTally.ExpectedPhysicsReasons"/> that no adversary caused.</summary>
    public int UnexplainedInvalid { get; set; }

    public SortedSet<string> Reasons { get; } = new(StringComparer.Ordinal);

    /// <summary>Reasons of its own beacons' failures, and of its witnesses' failures unless another party's cheating caused them (see <see cref="PocTally"/>).</summary>
    public SortedSet<string> OwnReasons { get; } = new(StringComparer.Ordinal);

    public bool Active => ValidBeacons > 0 || SelectedWitnesses > 0;
}

/// <summary>
/// Counts what the verifier decided, per reason and per hotspot, and accumulates reward units and coverage
/// evidence. Attribution rules (README "Adversaries"): an invalid witness counts against its own hotspot only when
/// the beacon's owner is honest and the copy heard came from that owner's radio (not a relay).
/// </summary>
public sealed class PocTally(IReadOnlyList<SimHotspot> hotspots)
{
    /// <summary>Reasons that honest hotspots get from physics and the rules themselves: neighbours closer than the minimum distance, late backhaul, no reciprocal partner.</summary>
    public static readonly IReadOnlySet<string> ExpectedPhysicsReasons = DePin.Wireless.CoverageOracle.Map.EpochSnapshotBuilder.ExpectedPhysicsReasons;

    /// <summary>Coverage is scored at this H3 resolution.</summary>
    public const int CoverageResolution = 8;

    /// <summary>An RSSI margin over sensitivity of this many dB counts as a certain link (p = 1).</summary>
    public const double FullMarginDb = 30;

    private readonly SortedDictionary<string, long> _beaconInvalid = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _witnessInvalid = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, (double LogNotCovered, HashSet<int> Witnesses)> _coverage = [];
    private readonly List<(int Beaconer, int Witness, double Rssi, double Snr)> _links = [];
    private readonly List<PocResult> _results = [];
    private readonly ulong[] _coverageCellOf = new ulong[hotspots.Count];

    public HotspotPocRecord[] PerHotspot { get; } = hotspots.Select(_ => new HotspotPocRecord()).ToArray();

    public long BeaconsValid { get; private set; }

    public long WitnessesReported { get; set; }

    public long WitnessesValid { get; private set; }

    public long WitnessesSelected { get; private set; }

    public IReadOnlyDictionary<string, long> BeaconInvalid => _beaconInvalid;

    public IReadOnlyDictionary<string, long> WitnessInvalid => _witnessInvalid;

    public IReadOnlyList<(int Beaconer, int Witness, double Rssi, double Snr)> Links => _links;

    /// <summary>Every verified PoC result in verification order: the epoch the spoofing analysis reads.</summary>
    public IReadOnlyList<PocResult> Results => _results;

    public void RecordRefusedBeacon(int beaconer, string reason)
    {
        Increment(_beaconInvalid, reason);
        Blame(beaconer, reason, explained: hotspots[beaconer].IsAdversary, own: true);
    }

    public void RecordRefusedWitness(WitnessOrigin origin, string reason)
    {
        Increment(_witnessInvalid, reason);
        Blame(origin.Witness, reason, explained: CausedByAdversary(origin), own: !CausedByOthers(origin));
    }

    public void Record(int beaconer, PocResult result, Func<WitnessIngest, WitnessOrigin> originOf)
    {
        _results.Add(result);
        if (!result.BeaconValid)
        {
            Increment(_beaconInvalid, result.BeaconInvalidReason!);
            Blame(beaconer, result.BeaconInvalidReason!, explained: false, own: true);
        }
        else
        {
            BeaconsValid++;
        }

        var selected = result.Witnesses.Count(w => w.Selected);
        if (result.BeaconValid)
        {
            PerHotspot[beaconer].ValidBeacons++;
            PerHotspot[beaconer].BeaconUnits += RewardUnits.Beaconer(selected);
        }

        foreach (var w in result.Witnesses)
        {
            var origin = originOf(w.Report);
            if (!w.IsValid)
            {
                Increment(_witnessInvalid, w.InvalidReason!);
                Blame(origin.Witness, w.InvalidReason!, explained: CausedByAdversary(origin) || !result.BeaconValid, own: result.BeaconValid && !CausedByOthers(origin));
                continue;
            }

            WitnessesValid++;
            AddCoverage(origin);
            _links.Add((beaconer, origin.Witness, w.Report.SignalDeciDbm / 10.0, w.Report.SnrCentiDb / 100.0));
            if (w.Selected)
            {
                WitnessesSelected++;
                PerHotspot[origin.Witness].SelectedWitnesses++;
                PerHotspot[origin.Witness].WitnessUnits += RewardUnits.PerWitness(selected);
            }
        }
    }

    /// <summary>Score per res-8 cell: 1 − Π(1 − p) over valid witnesses asserted in it, p = clamp(RSSI margin / 30 dB, 0, 1).</summary>
    public IEnumerable<(ulong Cell, double Score, int Hotspots)> CoverageCells() =>
        _coverage.OrderBy(c => c.Key).Select(c => (c.Key, 1 - Math.Exp(c.Value.LogNotCovered), c.Value.Witnesses.Count));

    private bool CausedByAdversary(WitnessOrigin origin) =>
        hotspots[origin.Beaconer].IsAdversary || origin.HeardFrom != origin.Beaconer;

    /// <summary>Another party cheated on this link: the beacon belongs to, or the copy heard came from, an adversary outside the witness's own group.</summary>
    private bool CausedByOthers(WitnessOrigin origin)
    {
        var group = hotspots[origin.Witness].AdversaryGroup;
        bool Other(int index) => hotspots[index].IsAdversary && (group is null || hotspots[index].AdversaryGroup != group);
        return Other(origin.Beaconer) || Other(origin.HeardFrom);
    }

    private void AddCoverage(WitnessOrigin origin)
    {
        // A hotspot's coverage cell is the parent of its asserted cell, taken once (a witness is tallied many times).
        var cell = _coverageCellOf[origin.Witness];
        if (cell == 0)
        {
            cell = H3Grid.CellToParent(new H3Cell(hotspots[origin.Witness].AssertedCell), CoverageResolution).Value;
            _coverageCellOf[origin.Witness] = cell;
        }

        var p = Math.Clamp((origin.RssiDbm - origin.SensitivityDbm) / FullMarginDb, 0, 1);
        if (!_coverage.TryGetValue(cell, out var entry))
        {
            entry = (0, []);
        }

        entry.Witnesses.Add(origin.Witness);
        _coverage[cell] = (entry.LogNotCovered + (p >= 1 ? -50 : Math.Log(1 - p)), entry.Witnesses);
    }

    private void Blame(int hotspot, string reason, bool explained, bool own)
    {
        var record = PerHotspot[hotspot];
        record.Reasons.Add(reason);
        if (own)
        {
            record.OwnReasons.Add(reason);
        }

        if (!explained && !ExpectedPhysicsReasons.Contains(reason))
        {
            record.UnexplainedInvalid++;
        }
    }

    private static void Increment(SortedDictionary<string, long> counts, string reason) =>
        counts[reason] = counts.GetValueOrDefault(reason) + 1;
}
