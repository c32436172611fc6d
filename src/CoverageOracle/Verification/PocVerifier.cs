namespace DePin.Wireless.CoverageOracle.Verification;

/// <summary>
/// Verifies one beacon with the witnesses joined to it by payload: beacon checks, then witness checks (all
/// invalid with the beacon's reason when the beacon fails; self-witnesses dropped, never written), then HIP-83
/// selection of the first valid witnesses by receive time, then the reciprocity history is updated.
/// </summary>
public sealed class PocVerifier
{
    private readonly VerifierOptions _options;
    private readonly IVerifierLookups _lookups;
    private readonly PocHistory _history;
    private readonly BeaconChecks _beaconChecks;
    private readonly WitnessChecks _witnessChecks;

    public PocVerifier(VerifierOptions options, IVerifierLookups lookups, IBeaconRegenerator regenerator, IPocGeometry geometry, PocHistory history)
    {
        options.Validate();
        _options = options;
        _lookups = lookups;
        _history = history;
        _beaconChecks = new BeaconChecks(options, lookups, regenerator, history);
        _witnessChecks = new WitnessChecks(options, lookups, geometry, history);
    }

    public PocResult Verify(BeaconIngest beacon, IReadOnlyList<WitnessIngest> witnesses)
    {
        var ordered = witnesses.OrderBy(w => w.Received).ThenBy(w => w.HotspotId, StringComparer.Ordinal).ToList();
        var beaconReason = _beaconChecks.Verify(beacon, out var beaconer);
        if (beaconReason is not null)
        {
            var failed = ordered.Where(w => w.HotspotId != beacon.HotspotId).Select(w => new VerifiedWitness(w, beaconReason, false)).ToList();
            return new PocResult(beacon, beaconReason, failed);
        }

        var entropy = _lookups.FindEntropy(beacon.RemoteEntropy)!;
        var first = ordered.Count > 0 ? ordered[0].Received : beacon.Received;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var results = new List<VerifiedWitness>(ordered.Count);
        var selected = 0;
        foreach (var w in ordered)
        {
            var reason = _witnessChecks.Verify(beacon, beaconer!, entropy, w, first, seen);
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
}
