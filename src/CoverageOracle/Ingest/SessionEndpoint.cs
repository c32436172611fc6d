using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Observability;
using DePin.Wireless.CoverageOracle.Registry;
using DePin.Wireless.CoverageOracle.Storage;
using DePin.Wireless.Proto;

namespace DePin.Wireless.CoverageOracle.Ingest;

/// <summary>
/// <c>POST /v1/sessions</c> of the oracle: a session v1 open (<see cref="SessionOpenHandler"/>) from an onboarded
/// hotspot (same check as report ingest: 403 otherwise). Each accepted open's signed envelope is appended to the
/// report store (prefix <c>session_open</c>, with the session_id it was given) before the answer goes out, so anyone
/// auditing a stored session report can find the hotspot-signed request its session was keyed from; when that append
/// fails the session is forgotten again and the hotspot gets 503.
/// </summary>
public sealed class SessionEndpoint(SessionOpenHandler handler, IHotspotRegistry registry, ReportFileStore store, TimeProvider time, MetricsRegistry metrics)
{
    public async Task<SessionOpenResult> OpenAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var result = await handler.OpenAsync(body, RefuseUnlessOnboardedAsync, cancellationToken).ConfigureAwait(false);
        if (result.IsAccepted)
        {
            result = await RecordAsync(result, cancellationToken).ConfigureAwait(false);
        }

        var error = result.Error ?? "";
        var outcome = result.IsAccepted ? "accepted" : error[..Math.Max(0, error.IndexOf(':', StringComparison.Ordinal))];
        metrics.Counter("oracle_session_opens_total", "Session v1 opens, by outcome.", ("outcome", outcome)).Increment();
        return result;
    }

    private async Task<SessionOpenResult> RecordAsync(SessionOpenResult result, CancellationToken cancellationToken)
    {
        var record = new IngestRecord
        {
            ReceivedMs = (ulong)time.GetUtcNow().ToUnixTimeMilliseconds(),
            Envelope = result.OpenEnvelope,
            Session = new SessionReportProof { SessionId = result.Accepted!.SessionId },
        };
        try
        {
            await store.AppendAsync(record, cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (IOException ex)
        {
            handler.Registry.Forget(result.Accepted.SessionId.Span);
            return new SessionOpenResult(503, null, null, $"store_failed: report store: {ex.Message}");
        }
    }

    private async Task<string?> RefuseUnlessOnboardedAsync(PublicKey signer, CancellationToken cancellationToken)
    {
        var address = signer.ToAddress();
        var registered = await registry.GetPublicKeyAsync(address, cancellationToken).ConfigureAwait(false);
        if (registered is null)
        {
            return $"signer_key: hotspot {address} is not onboarded";
        }

        return registered.AsSpan().SequenceEqual(signer.Bytes) ? null : $"signer_key: does not match the key registered for hotspot {address}";
    }
}
