using DePin.Wireless.Core.Identity;
using DePin.Wireless.CoverageOracle.Storage;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.VerifyRunner;

/// <summary>A stored report decoded for verification, with the ingest record it came from.</summary>
public sealed record StoredBeacon(BeaconIngest Ingest, IngestRecord Record);

public sealed record StoredWitness(WitnessIngest Ingest, IngestRecord Record);

/// <summary>
/// Reads ingest records of one prefix received in [from, to) from the report store. Files are named by the time
/// they were started and hold up to one roll interval of records, so files started up to one roll interval
/// before <c>from</c> are read too. Records are returned in (receive time, file order) order.
/// </summary>
public static class StoredReports
{
    public static IEnumerable<IngestRecord> Read(string directory, string prefix, DateTimeOffset from, DateTimeOffset to, TimeSpan rollInterval)
    {
        var fromMs = (ulong)from.ToUnixTimeMilliseconds();
        var toMs = (ulong)to.ToUnixTimeMilliseconds();
        var records = new List<IngestRecord>();
        foreach (var (path, _) in ReportFileStore.ListFiles(directory, prefix, from - rollInterval - TimeSpan.FromSeconds(1), to))
        {
            records.AddRange(ReportFileStore.ReadFile(path, IngestRecord.Parser, out _).Where(r => r.ReceivedMs >= fromMs && r.ReceivedMs < toMs));
        }

        // A stable sort: equal receive times keep file order, so the same files always give the same order.
        return records.OrderBy(r => r.ReceivedMs);
    }

    /// <summary>Verification outputs (messages without a receive time of their own) of files started in [from − roll, to).</summary>
    public static List<T> ReadMessages<T>(string directory, string prefix, DateTimeOffset from, DateTimeOffset to, TimeSpan rollInterval, MessageParser<T> parser)
        where T : IMessage<T> =>
        ReportFileStore.ListFiles(directory, prefix, from - rollInterval, to).SelectMany(f => ReportFileStore.ReadFile(f.Path, parser, out _)).ToList();

    public static StoredBeacon ToBeacon(IngestRecord record) => ToBeacon(record, Address);

    /// <param name="address">The address of a typed signer key (e.g. a caching <see cref="SignerAddresses.Of"/>).</param>
    public static StoredBeacon ToBeacon(IngestRecord record, Func<ByteString, string> address)
    {
        var r = BeaconReport.Parser.ParseFrom(record.Envelope.Payload);
        return new StoredBeacon(
            new BeaconIngest(address(record.Envelope.SignerKey), Received(record), r.LocalEntropy.ToByteArray(), r.RemoteEntropy.ToByteArray(), r.Data.ToByteArray(), (long)r.FrequencyHz, r.Datarate, r.TxPowerDdbm / 10),
            record);
    }

    public static StoredWitness ToWitness(IngestRecord record) => ToWitness(record, Address);

    public static StoredWitness ToWitness(IngestRecord record, Func<ByteString, string> address)
    {
        var r = WitnessReport.Parser.ParseFrom(record.Envelope.Payload);
        var heard = r.TimestampNs == 0 ? (DateTimeOffset?)null : DateTimeOffset.UnixEpoch.AddTicks((long)(r.TimestampNs / 100));
        return new StoredWitness(
            new WitnessIngest(address(record.Envelope.SignerKey), Received(record), r.Data.ToByteArray(), r.SignalDdbm, r.SnrCdb, (long)r.FrequencyHz, r.Datarate, heard, r.HasFineTimestamp ? (long)r.FineTimestampNs : null),
            record);
    }

    public static EntropyRecord ToEntropy(IngestRecord record)
    {
        var e = Proto.Entropy.Parser.ParseFrom(record.Envelope.Payload);
        return new EntropyRecord(e.Data.ToByteArray(), DateTimeOffset.FromUnixTimeSeconds((long)e.TimestampS));
    }

    private static DateTimeOffset Received(IngestRecord record) => DateTimeOffset.FromUnixTimeMilliseconds((long)record.ReceivedMs);

    private static string Address(ByteString key) => PublicKey.Parse(key.Span).ToAddress();
}

/// <summary>
/// Signer key → address, remembered: a day of reports names each hotspot dozens of times and the Base58Check
/// encoding (two SHA-256 and a base conversion) would otherwise be repeated for every report.
/// </summary>
public sealed class SignerAddresses
{
    private readonly Dictionary<ByteString, string> _addresses = [];

    public string Of(ByteString key)
    {
        if (!_addresses.TryGetValue(key, out var address))
        {
            address = PublicKey.Parse(key.Span).ToAddress();
            _addresses[key] = address;
        }

        return address;
    }
}
