using System.Net;
using System.Net.Http.Headers;
using DePin.Wireless.Core.Identity;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.HotspotHost.Services;

/// <summary>How the hotspot authenticates its reports to a service (<c>Services:Authentication</c>).</summary>
public enum ReportAuthentication
{
    /// <summary>Session v1: one signed handshake per service, then an HMAC-tagged SessionFrame per report (default).</summary>
    Session,

    /// <summary>Each report its own signed SignedEnvelope.</summary>
    Envelope,
}

/// <summary>
/// A report waiting for delivery: the payload and when it was made; its body is signed when prepared (envelope) or
/// sealed at its first delivery attempt (session) and then kept, so a retry after a lost answer resends the same
/// bytes and the service refuses it as a replay instead of counting it twice.
/// </summary>
public sealed class PendingReport
{
    internal PendingReport(IMessage payload, DateTimeOffset madeAt, byte[]? signedEnvelope)
    {
        Payload = payload;
        MadeAt = madeAt;
        Body = signedEnvelope;
    }

    public IMessage Payload { get; }

    public DateTimeOffset MadeAt { get; }

    internal byte[]? Body { get; set; }

    internal SessionSealer? SealedBy { get; set; }
}

/// <summary>
/// Delivers one hotspot's reports to one service. Envelope mode signs each report when it is made. Session mode
/// (default) opens a session lazily (POST /v1/sessions with a SignedEnvelope(SessionOpen), renewed
/// <see cref="RenewBefore"/> before it expires), seals each report into a SessionFrame with the report's own time,
/// and POSTs it with Content-Type <see cref="SessionProtocol.FrameContentType"/>. When the service answers 401
/// unknown_session or expired_session (it restarted, evicted or expired the session) the channel opens a new session
/// once and resends the report sealed in it. Thread-safe: one open at a time, sealing is lock-free.
/// </summary>
public sealed class ReportChannel : IDisposable
{
    public const string SessionsPath = "v1/sessions";

    /// <summary>A session is renewed this long before the service's expiry, so no report meets the expiry in flight.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private static readonly MediaTypeHeaderValue FrameType = MediaTypeHeaderValue.Parse(SessionProtocol.FrameContentType);

    private readonly ServiceClient _service;
    private readonly string _audience;
    private readonly EnvelopeSigner _signer;
    private readonly IRandomSource _random;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _opening = new(1, 1);
    private SessionSealer? _current;
    private long _sessionsOpened;

    /// <param name="random">Source of the X25519 ephemeral keys; must not be used concurrently elsewhere (pass a derived stream).</param>
    public ReportChannel(ServiceClient service, string audience, ReportAuthentication mode, EnvelopeSigner signer, IRandomSource random, TimeProvider time, ILogger logger)
    {
        if (SessionProtocol.CheckAudience(audience) is { } problem)
        {
            throw new ArgumentException(problem, nameof(audience));
        }

        _service = service;
        _audience = audience;
        Mode = mode;
        _signer = signer;
        _random = random;
        _time = time;
        _logger = logger;
    }

    public ReportAuthentication Mode { get; }

    /// <summary>Sessions opened so far (first open, renewals, re-opens after 401).</summary>
    public long SessionsOpened => Interlocked.Read(ref _sessionsOpened);

    /// <summary>A report made now: signed at once in envelope mode, sealed at delivery in session mode.</summary>
    public PendingReport Prepare(IMessage payload) =>
        Mode == ReportAuthentication.Envelope
            ? new PendingReport(payload, _time.GetUtcNow(), _signer.SignToBytes(payload))
            : new PendingReport(payload, _time.GetUtcNow(), null);

    /// <summary>POSTs the report to <paramref name="path"/>; failures are in the response, never thrown.</summary>
    public async Task<ServiceResponse> SendAsync(string path, PendingReport report, CancellationToken cancellationToken)
    {
        if (Mode == ReportAuthentication.Envelope)
        {
            return await _service.PostAsync(path, report.Body!, cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 1; ; attempt++)
        {
            if (report.Body is null)
            {
                var (sealer, failure) = await SessionAsync(cancellationToken).ConfigureAwait(false);
                if (sealer is null)
                {
                    return failure!;
                }

                report.Body = sealer.SealToBytes(report.Payload, report.MadeAt);
                report.SealedBy = sealer;
            }

            var response = await _service.PostAsync(path, report.Body, FrameType, cancellationToken).ConfigureAwait(false);
            if (attempt > 1 || !NeedsNewSession(response))
            {
                return response;
            }

            _logger.LogInformation("{Audience} no longer holds our session ({Error}); opening a new one and resending", _audience, response.ErrorText());
            Forget(report.SealedBy!);
            report.Body = null;
            report.SealedBy = null;
        }
    }

    public void Dispose() => _opening.Dispose();

    /// <summary>401 with error "unknown_session: …" or "expired_session: …": the service never accepted this frame.</summary>
    private static bool NeedsNewSession(ServiceResponse response) =>
        response.Status == HttpStatusCode.Unauthorized
        && response.ErrorField() is { } error
        && (error.StartsWith("unknown_session:", StringComparison.Ordinal) || error.StartsWith("expired_session:", StringComparison.Ordinal));

    private void Forget(SessionSealer stale) => Interlocked.CompareExchange(ref _current, null, stale);

    private async Task<(SessionSealer? Sealer, ServiceResponse? Failure)> SessionAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is { } ready && ready.ExpiresAt - _time.GetUtcNow() > RenewBefore)
        {
            return (ready, null);
        }

        await _opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is { } opened && opened.ExpiresAt - _time.GetUtcNow() > RenewBefore)
            {
                return (opened, null);
            }

            var request = SessionOpenRequest.Create(_signer, _audience, _random, _time);
            var response = await _service.PostAsync(SessionsPath, request.Body, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                _logger.LogWarning("{Audience} did not open a session: {Error}", _audience, response.ErrorText());
                return (null, response);
            }

            try
            {
                _current = request.Complete(response.Body);
            }
            catch (SessionHandshakeException e)
            {
                // An unusable answer (wrong length, low-order key): treated as a transient failure and retried later.
                _logger.LogWarning("{Audience} answered the session open unusably: {Error}", _audience, e.Message);
                return (null, new ServiceResponse(null, [], $"{SessionsPath}: {e.Message}"));
            }

            Interlocked.Increment(ref _sessionsOpened);
            _logger.LogInformation("session with {Audience} opened until {ExpiresAt:O}", _audience, _current.ExpiresAt);
            return (_current, null);
        }
        finally
        {
            _opening.Release();
        }
    }
}
