using DePin.Wireless.CoverageOracle.Service;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.Proto;

namespace DePin.Wireless.CoverageOracle.VerifyRunner;

/// <summary>Restores the verifier's history (schedule buckets and reciprocity) from earlier verification outputs.</summary>
public static class HistorySeeding
{
    /// <summary>Reasons that are decided after the schedule check, so the beacon's bucket was used (see BeaconChecks).</summary>
    private static readonly HashSet<string> BucketUsedReasons = [InvalidReason.IrregularInterval, InvalidReason.InvalidPacket, InvalidReason.GatewayNoValidWitnesses];

    /// <summary>Reads poc and invalid_beacon outputs of the reciprocity window before <paramref name="from"/>.</summary>
    public static PocHistory FromPriorOutputs(string outputDirectory, DateTimeOffset from, VerifierOptions options, TimeSpan rollInterval)
    {
        var history = new PocHistory();
        var start = from - options.ReciprocityWindow;
        foreach (var poc in Read(outputDirectory, ReportPrefixes.Poc, start, from, rollInterval, VerifiedPoc.Parser))
        {
            var received = DateTimeOffset.FromUnixTimeMilliseconds((long)poc.Beacon.ReceivedMs);
            history.RecordBeaconBucket(poc.Beaconer, BeaconChecks.Bucket(received, options.BeaconInterval));
            if (poc.Witnesses.Any(w => w.Selected))
            {
                history.RecordValidBeaconWithWitness(poc.Beaconer, received);
            }

            foreach (var w in poc.Witnesses)
            {
                history.RecordValidWitness(w.Hotspot, DateTimeOffset.FromUnixTimeMilliseconds((long)w.Report.ReceivedMs));
            }
        }

        foreach (var invalid in Read(outputDirectory, ReportPrefixes.InvalidBeacon, start, from, rollInterval, InvalidBeaconRecord.Parser).Where(b => BucketUsedReasons.Contains(b.Reason)))
        {
            var bucket = BeaconChecks.Bucket(DateTimeOffset.FromUnixTimeMilliseconds((long)invalid.Report.ReceivedMs), options.BeaconInterval);
            if (history.LastBeaconBucket(invalid.Hotspot) is not { } b || b < bucket)
            {
                history.RecordBeaconBucket(invalid.Hotspot, bucket);
            }
        }

        return history;
    }

    /// <summary>
    /// Devnet bootstrap: a new network has no history, so HIP-106 reciprocity would refuse every proof forever.
    /// Marks every asserted hotspot as having witnessed and beaconed at <paramref name="at"/>.
    /// </summary>
    public static void BootstrapReciprocity(PocHistory history, IEnumerable<HotspotInfo> hotspots, DateTimeOffset at)
    {
        foreach (var h in hotspots.Where(h => h.Location is not null))
        {
            history.RecordValidWitness(h.Id, at);
            history.RecordValidBeaconWithWitness(h.Id, at);
        }
    }

    private static IEnumerable<T> Read<T>(string directory, string prefix, DateTimeOffset from, DateTimeOffset to, TimeSpan rollInterval, Google.Protobuf.MessageParser<T> parser)
        where T : Google.Protobuf.IMessage<T> =>
        Storage.ReportFileStore.ListFiles(directory, prefix, from - rollInterval, to).SelectMany(f => Storage.ReportFileStore.ReadFile(f.Path, parser, out _));
}
