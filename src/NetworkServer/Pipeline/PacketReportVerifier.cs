using DePin.Wireless.Core.Identity;
using DePin.Wireless.Proto;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>
/// Stage 1: authenticity, age and replay of the hotspot's report — a signed envelope, or a session frame when a
/// <see cref="SessionFrameVerifier"/> is given (session v1) — and the report must name its authenticated signer as
/// hotspot. Session failures keep their code as reason ("unknown_session", "expired_session", "bad_tag", …) so the
/// HTTP host can answer 401 and the hotspot re-opens.
/// </summary>
public sealed class PacketReportVerifier(EnvelopeVerifier verifier, SessionFrameVerifier? sessions = null)
{
    /// <summary>The session frame verifier (null when this server does not accept sessions).</summary>
    public SessionFrameVerifier? Sessions => sessions;

    public StageResult<UplinkCopy> Verify(ReadOnlySpan<byte> signedEnvelope)
    {
        return Check(verifier.Verify<PacketReport>(signedEnvelope), viaSession: false);
    }

    /// <summary>Verifies a SessionFrame(PacketReport) body.</summary>
    public StageResult<UplinkCopy> VerifyFrame(ReadOnlySpan<byte> frame)
    {
        if (sessions is null)
        {
            return StageResult.Reject<UplinkCopy>("sessions_disabled", "Content-Type: session frames are not accepted by this server");
        }

        return Check(sessions.Verify<PacketReport>(frame), viaSession: true);
    }

    /// <summary>
    /// The rest of stage 1 for a report authenticated by either path (the devnet verifies frames itself): refused
    /// envelopes are "bad_envelope", refused frames keep their failure code; the report must name its signer.
    /// </summary>
    public static StageResult<UplinkCopy> Check(EnvelopeVerification<PacketReport> verification, bool viaSession)
    {
        if (!verification.IsValid)
        {
            var code = verification.Failure.Code();
            return viaSession
                ? StageResult.Reject<UplinkCopy>(code, $"{code}: {verification.Detail}")
                : StageResult.Reject<UplinkCopy>("bad_envelope", verification.ToString());
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
