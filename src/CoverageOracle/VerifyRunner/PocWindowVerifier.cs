using DePin.Wireless.CoverageOracle.Adapters;
using DePin.Wireless.CoverageOracle.Service;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.Proto;

namespace DePin.Wireless.CoverageOracle.VerifyRunner;

/// <summary>The outputs of verifying one window, as stored messages and as verifier results.</summary>
public sealed record WindowVerification(
    IReadOnlyList<PocResult> Results,
    IReadOnlyList<VerifiedPoc> Pocs,
    IReadOnlyList<InvalidBeaconRecord> InvalidBeacons,
    IReadOnlyList<InvalidWitnessRecord> InvalidWitnesses);

/// <summary>A window's stored reports, read and joined: its beacons in receive order, candidate witnesses by payload, entropy values.</summary>
public sealed record WindowReports(
    IReadOnlyList<StoredBeacon> Beacons,
    ILookup<string, StoredWitness> WitnessesByData,
    Dictionary<object, IngestRecord> RecordOf,
    IReadOnlyList<EntropyRecord> Entropies);

/// <summary>Registry state the verification of a window runs against.</summary>
public sealed record RegistryView(IReadOnlyList<HotspotInfo> Hotspots, IReadOnlySet<string> Denylist, IReadOnlySet<(string, string)> DeniedEdges)
{
    /// <summary>This view with a signed denylist's hotspots and edges added to its own.</summary>
    public RegistryView With(Denylist.SignedDenylist denylist) => this with
    {
        Denylist = new HashSet<string>(Denylist.Concat(denylist.Hotspots), StringComparer.Ordinal),
        DeniedEdges = new HashSet<(string, string)>(DeniedEdges.Concat(denylist.DeniedEdges)),
    };
}

/// <summary>
/// Verifies the beacons received in [from, to) from a report store: witnesses are joined by payload from the
/// window widened by the witness lag and the entropy lifespan on both sides (any witness that can still be valid
/// for a beacon of the window lies there), entropy is looked up among the stored values, and beacons are verified
/// in receive-time order (ties: file order) against <paramref name="history"/>, which the run updates. Pure
/// over its inputs: the same files, registry and history give the same outputs.
/// </summary>
public sealed class PocWindowVerifier(VerifierOptions options, TimeSpan rollInterval)
{
    private readonly SignerAddresses _addresses = new();

    public WindowVerification Verify(string reportsDirectory, DateTimeOffset from, DateTimeOffset to, RegistryView registry, PocHistory history) =>
        Verify(Load(reportsDirectory, from, to), registry, history);

    /// <summary>
    /// Reads and joins the reports of [from, to) without verifying them: pure over the files, so a caller may load
    /// the next window on another thread while this one is verified (one load at a time per instance).
    /// </summary>
    public WindowReports Load(string reportsDirectory, DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            throw new ArgumentException($"--to ({to:O}) must be after --from ({from:O})");
        }

        var widen = options.MaxLagAfterBeacon + options.EntropyLifespan;
        var beacons = StoredReports.Read(reportsDirectory, ReportPrefixes.Beacon, from, to, rollInterval).Select(r => StoredReports.ToBeacon(r, _addresses.Of)).ToList();
        var witnesses = StoredReports.Read(reportsDirectory, ReportPrefixes.Witness, from - widen, to + widen, rollInterval).Select(r => StoredReports.ToWitness(r, _addresses.Of)).ToList();
        var entropies = StoredReports.Read(reportsDirectory, ReportPrefixes.Entropy, from - widen - options.EntropyLifespan, to, rollInterval).Select(StoredReports.ToEntropy).ToList();
        var byData = witnesses.ToLookup(w => Convert.ToHexString(w.Ingest.Data), StringComparer.Ordinal);
        var recordOf = witnesses.ToDictionary(w => (object)w.Ingest, w => w.Record, ReferenceEqualityComparer.Instance);
        return new WindowReports(beacons, byData, recordOf, entropies);
    }

    public WindowVerification Verify(WindowReports reports, RegistryView registry, PocHistory history)
    {
        var lookups = new SnapshotLookups(registry.Hotspots, registry.Denylist, registry.DeniedEdges, reports.Entropies);
        var verifier = new PocVerifier(options, lookups, new BeaconRegenerator(), new H3PocGeometry(), history);
        var results = new List<PocResult>(reports.Beacons.Count);
        var pocs = new List<VerifiedPoc>();
        var invalidBeacons = new List<InvalidBeaconRecord>();
        var invalidWitnesses = new List<InvalidWitnessRecord>();
        // The snapshot lookups are read-only: the history-free checks of the window's beacons run on all cores, the
        // rest in report order (PocVerifier.VerifyInOrder), with the results of one beacon after another.
        var joined = reports.Beacons
            .Select(b => (b.Ingest, (IReadOnlyList<WitnessIngest>)reports.WitnessesByData[Convert.ToHexString(b.Ingest.Data)].Select(w => w.Ingest).ToList()))
            .ToList();
        var verified = verifier.VerifyInOrder(joined, Environment.ProcessorCount);
        for (var i = 0; i < verified.Count; i++)
        {
            results.Add(verified[i]);
            Collect(verified[i], reports.Beacons[i], reports.RecordOf, pocs, invalidBeacons, invalidWitnesses);
        }

        return new WindowVerification(results, pocs, invalidBeacons, invalidWitnesses);
    }

    private static void Collect(PocResult result, StoredBeacon beacon, Dictionary<object, IngestRecord> recordOf, List<VerifiedPoc> pocs, List<InvalidBeaconRecord> invalidBeacons, List<InvalidWitnessRecord> invalidWitnesses)
    {
        if (!result.BeaconValid)
        {
            invalidBeacons.Add(new InvalidBeaconRecord { Hotspot = beacon.Ingest.HotspotId, Report = beacon.Record, Reason = result.BeaconInvalidReason });
        }

        VerifiedPoc? poc = result.BeaconValid ? new VerifiedPoc { Beaconer = beacon.Ingest.HotspotId, Beacon = beacon.Record } : null;
        foreach (var w in result.Witnesses)
        {
            var record = recordOf[w.Report];
            if (w.IsValid)
            {
                poc!.Witnesses.Add(new VerifiedWitnessRecord { Hotspot = w.Report.HotspotId, Report = record, Selected = w.Selected });
            }
            else
            {
                invalidWitnesses.Add(new InvalidWitnessRecord
                {
                    Hotspot = w.Report.HotspotId,
                    Report = record,
                    Reason = w.InvalidReason,
                    Beaconer = beacon.Ingest.HotspotId,
                    BeaconReceivedMs = beacon.Record.ReceivedMs,
                });
            }
        }

        if (poc is not null)
        {
            pocs.Add(poc);
        }
    }
}
