using DePin.Wireless.Core.Identity;
using DePin.Wireless.Proto;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>Stage 1: signature, age and replay of the hotspot's envelope; the report must name its signer as hotspot.</summary>
public sealed class PacketReportVerifier(EnvelopeVerifier verifier)
{
    public StageResult<UplinkCopy> Verify(ReadOnlySpan<byte> signedEnvelope)
    {
        var verification = verifier.Verify<PacketReport>(signedEnvelope);
        if (!verification.IsValid)
        {
            return StageResult.Reject<UplinkCopy>("bad_envelope", verification.ToString());
        }

        var report = verification.ValidPayload;
        if (!report.HotspotKey.Span.SequenceEqual(verification.Signer.Bytes))
        {
            return StageResult.Reject<UplinkCopy>("bad_envelope", "hotspot_key: differs from the envelope's signer");
        }

        if (report.Payload.IsEmpty)
        {
            return StageResult.Reject<UplinkCopy>("bad_report", "payload: empty");
        }

        return StageResult.Pass(new UplinkCopy(verification.Signer, report));
    }
}

/// <summary>The outcome of a stage: a value, or a machine-readable reason with a human detail.</summary>
public readonly record struct StageResult<T>(T? Value, string? Reason, string? Detail)
    where T : class
{
    public bool Passed => Reason is null;
}

/// <summary>Factory methods for <see cref="StageResult{T}"/>.</summary>
public static class StageResult
{
    public static StageResult<T> Pass<T>(T value)
        where T : class => new(value, null, null);

    public static StageResult<T> Reject<T>(string reason, string detail)
        where T : class => new(null, reason, detail);
}
