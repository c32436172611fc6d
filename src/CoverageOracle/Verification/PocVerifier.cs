namespace DePin.Wireless.CoverageOracle.Verification;

/// <summary>
/// Verifies one beacon with the witnesses joined to it by payload: beacon checks, then witness checks (all
/// invalid with the beacon's reason when the beacon fails; self-witnesses dropped, never written), then HIP-83
/// selection of the first valid witnesses by receive time, then the reciprocity history is updated.
/// </summary>
public sealed class PocVerifier
{
    private readonly VerifierOptions _options;
    private readonly PocHistory _history;
    private readonly BeaconChecks _beaconChecks;
    private readonly WitnessChecks _witnessChecks;

    public PocVerifier(VerifierOptions options, IVerifierLookups lookups, IBeaconRegenerator regenerator, IPocGeometry geometry, PocHistory history)
    {
        options.Validate();
        _options = options;
        _history = history;
        _beaconChecks = new BeaconChecks(options, lookups, regenerator, history);
        _witnessChecks = new WitnessChecks(options, lookups, geometry, history);
    }

    public PocResult Verify(BeaconIngest beacon, IReadOnlyList<WitnessIngest> witnesses) => Complete(Precheck(beacon, witnesses));

    /// <summary>
    /// Verifies <paramref name="pocs"/> in the given order with the same results as <see cref="Verify"/> called for
    /// each in turn: the checks that read no history (registry, entropy, beacon regeneration, geometry and the RSSI
    /// ceiling — most of the work) run for all of them first, on up to <paramref name="parallelism"/> threads; the
    /// schedule, duplicate and reciprocity checks, selection and the history updates then run one beacon at a time,
    /// in order. The lookups, regenerator and geometry must allow concurrent reads (the registry snapshot and the
    /// in-process lookups do; nothing writes to them during the call).
    /// </summary>
    public IReadOnlyList<PocResult> VerifyInOrder(IReadOnlyList<(BeaconIngest Beacon, IReadOnlyList<WitnessIngest> Witnesses)> pocs, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(pocs);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var prechecked = new Prechecked[pocs.Count];
        Parallel.For(0, pocs.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, i => prechecked[i] = Precheck(pocs[i].Beacon, pocs[i].Witnesses));
        var results = new PocResult[pocs.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = Complete(prechecked[i]);
        }

        return results;
    }

    /// <summary>Everything about one beacon and its witnesses that does not depend on the history or on other beacons.</summary>
    private Prechecked Precheck(BeaconIngest beacon, IReadOnlyList<WitnessIngest> witnesses)
    {
        var ordered = witnesses.OrderBy(w => w.Received).ThenBy(w => w.HotspotId, StringComparer.Ordinal).ToList();
        var beaconReason = _beaconChecks.VerifyStateless(beacon, out var beaconer, out var entropy);
        if (beaconReason is not null)
        {
            return new Prechecked(beacon, ordered, beaconReason, false, [], []);
        }

        var packetMatches = _beaconChecks.PacketMatches(beacon, beaconer!, entropy!);
        var first = ordered.Count > 0 ? ordered[0].Received : beacon.Received;
        var reasons = new string?[ordered.Count];
        var hotspots = new HotspotInfo?[ordered.Count];
        for (var i = 0; i < ordered.Count; i++)
        {
            reasons[i] = _witnessChecks.VerifyStateless(beacon, beaconer!, entropy!, ordered[i], first, out hotspots[i]);
        }

        return new Prechecked(beacon, ordered, null, packetMatches, reasons, hotspots);
    }

    /// <summary>The history-dependent checks, HIP-83 selection and the history updates of one prechecked beacon.</summary>
    private PocResult Complete(Prechecked poc)
    {
        var beacon = poc.Beacon;
        var beaconReason = poc.StatelessBeaconReason ?? _beaconChecks.VerifyWithHistory(beacon, poc.PacketMatches);
        if (beaconReason is not null)
        {
            var failed = poc.Ordered.Where(w => w.HotspotId != beacon.HotspotId).Select(w => new VerifiedWitness(w, beaconReason, false)).ToList();
            return new PocResult(beacon, beaconReason, failed);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var results = new List<VerifiedWitness>(poc.Ordered.Count);
        var selected = 0;
        for (var i = 0; i < poc.Ordered.Count; i++)
        {
            var w = poc.Ordered[i];
            var reason = poc.WitnessReasons[i] ?? _witnessChecks.VerifyWithHistory(poc.WitnessHotspots[i]!, w, seen);
            if (reason == InvalidReason.SelfWitness)
            {
                continue; // dropped, not counted as invalid (helium/oracles#328)
            }

            var isSelected = reason is null && selected < _options.MaxWitnessesPerPoc;
            if (isSelected)
            {
                selected++;
            }

            results.Add(new VerifiedWitness(w, reason, isSelected));
        }

        foreach (var v in results.Where(r => r.IsValid))
        {
            _history.RecordValidWitness(v.Report.HotspotId, v.Report.Received);
        }

        if (selected > 0)
        {
            _history.RecordValidBeaconWithWitness(beacon.HotspotId, beacon.Received);
        }

        return new PocResult(beacon, null, results);
    }

    /// <summary>
    /// A beacon after the checks that read no history: the first failing beacon check among them (or null), whether
    /// its packet matches, and per witness (in verification order) the first failing stateless check and its registry entry.
    /// </summary>
    private sealed record Prechecked(
        BeaconIngest Beacon,
        List<WitnessIngest> Ordered,
        string? StatelessBeaconReason,
        bool PacketMatches,
        string?[] WitnessReasons,
        HotspotInfo?[] WitnessHotspots);
}
