using DePin.Wireless.Core.Poc;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.Ingest;

/// <summary>Field checks of report payloads at ingest; each error names the field and the problem.</summary>
public static class ReportValidation
{
    /// <summary>Largest LoRa payload (bytes); a beacon can never be longer.</summary>
    public const int MaxDataLength = 255;

    public static string? Check(BeaconReport r, ByteString signerKey) =>
        SameKey(r.HotspotKey, signerKey)
        ?? Length("local_entropy", r.LocalEntropy, BeaconPayload.LocalEntropyLength, BeaconPayload.LocalEntropyLength)
        ?? Length("remote_entropy", r.RemoteEntropy, BeaconPayload.RemoteEntropyLength, BeaconPayload.RemoteEntropyLength)
        ?? Length("data", r.Data, BeaconPayload.MinimumSize, MaxDataLength)
        ?? Frequency(r.FrequencyHz)
        ?? Rate(r.Datarate);

    public static string? Check(WitnessReport r, ByteString signerKey) =>
        SameKey(r.HotspotKey, signerKey)
        ?? Length("data", r.Data, BeaconPayload.MinimumSize, MaxDataLength)
        ?? Frequency(r.FrequencyHz)
        ?? Rate(r.Datarate);

    private static string? SameKey(ByteString hotspotKey, ByteString signerKey) =>
        hotspotKey.Span.SequenceEqual(signerKey.Span) ? null : "hotspot_key: differs from the envelope's signer_key (a hotspot may only report for itself)";

    private static string? Length(string field, ByteString value, int min, int max) =>
        value.Length < min || value.Length > max
            ? min == max ? $"{field}: must be {min} bytes, got {value.Length}" : $"{field}: must be {min}..{max} bytes, got {value.Length}"
            : null;

    private static string? Frequency(ulong hz) =>
        hz == 0 || hz > long.MaxValue ? $"frequency_hz: must be a positive frequency, got {hz}" : null;

    private static string? Rate(string datarate) =>
        DataRate.TryParse(datarate, out _, out var problem) ? null : $"datarate: \"{datarate}\" is not a data rate like SF9BW125 ({problem})";
}
