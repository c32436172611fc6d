using DePin.Wireless.Core.Identity;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Devnet.Run;

/// <summary>
/// A report a hotspot is about to send: signed at <see cref="SignedAt"/> with its key, received by the ingest server
/// at <see cref="Received"/>. A witness report carries the simulation's <see cref="Origin"/> (who really heard whom),
/// which only the devnet's bookkeeping reads, never the oracle's checks.
/// </summary>
public sealed record OutgoingReport(SimHotspot Hotspot, IMessage Payload, DateTimeOffset SignedAt, DateTimeOffset Received, long Sequence, WitnessOrigin? Origin = null);

/// <summary>What the ingest server made of a report: the verified payload, or why the envelope was refused.</summary>
public sealed record IngestedReport(OutgoingReport Report, string? SignerAddress, IMessage? Payload, string? Refusal);

/// <summary>
/// The path of every PoC report from hotspot to oracle. With <see cref="ReportAuthentication.Session"/> (default)
/// the hotspot seals it into a SessionFrame of its session with the coverage oracle (<see cref="ReportSessions"/>:
/// opened by a real signed handshake, then HMAC per report) and the oracle's <see cref="SessionFrameVerifier"/>
/// checks it at the receive time (tag, age, counter window); each hotspot's frames are sealed in batch order (so
/// counters are reproducible), hotspots in parallel, and verified in parallel. With <see cref="ReportAuthentication.Envelope"/> the
/// hotspot signs it into a <see cref="SignedEnvelope"/> (real Ed25519, nonce from its own seeded stream) and
/// <see cref="EnvelopeVerifier"/> checks it (signature, age, replay); each report's nonce stream is derived from
/// (seed, hotspot, sequence). Either way results do not depend on scheduling. The replay guard's clock is the
/// batch's earliest receive time, set by <see cref="Process"/> itself, so a batch may be processed on another
/// thread while the simulation moves on (one batch at a time).
/// </summary>
public sealed class ReportIngest : IDisposable
{
    private readonly SeededRandomSource _nonceRoot;
    private readonly BatchClock _replayClock = new();
    private readonly InMemoryReplayGuard _replayGuard;
    private readonly SignatureVerifier _signatures = new();
    private readonly EnvelopeVerifierOptions _verifierOptions = new();
    private readonly int _parallelism;
    private readonly ReportSessions? _sessions;

    // Base58Check (two SHA-256 and a base-58 conversion) per report is a measurable share of the per-report cost;
    // an address is a pure function of the key, so each signer's is computed once.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<PublicKey, string> _addresses = new();

    public ReportIngest(int seed, int parallelism, ReportAuthentication authentication = ReportAuthentication.Session, int hotspots = 0)
    {
        _sessions = authentication == ReportAuthentication.Session ? new ReportSessions(seed, SessionProtocol.CoverageOracle, hotspots) : null;
        _nonceRoot = SeededRandomSource.FromLabel(FormattableString.Invariant($"devnet/{seed}/report-nonces"));
        _replayGuard = new InMemoryReplayGuard(_replayClock);
        _parallelism = parallelism;
    }

    /// <summary>Signs and verifies a batch; not to be called again before the previous call returned.</summary>
    public IngestedReport[] Process(IReadOnlyList<OutgoingReport> reports)
    {
        if (reports.Count > 0)
        {
            _replayClock.Now = reports.Min(r => r.Received);
        }

        var results = new IngestedReport[reports.Count];
        if (_sessions is { } sessions)
        {
            // Hotspots open their session with the oracle when they first report; handshakes and sealing use all
            // cores, each hotspot's frames sealed in batch order (ReportSessions.SealBatch).
            var frames = sessions.SealBatch(reports.Select(r => (r.Hotspot, r.Payload, r.SignedAt)).ToList(), _parallelism);

            Parallel.For(0, reports.Count, new ParallelOptions { MaxDegreeOfParallelism = _parallelism }, i => results[i] = VerifyFrame(reports[i], frames[i], sessions));
            return results;
        }

        var roots = new SeededRandomSource[reports.Count];
        for (var i = 0; i < reports.Count; i++)
        {
            // Derived sequentially: Derive only reads the root's seed, but keeping it on one thread is simplest.
            roots[i] = _nonceRoot.Derive(FormattableString.Invariant($"{reports[i].Hotspot.Index}/{reports[i].Sequence}"));
        }

        Parallel.For(0, reports.Count, new ParallelOptions { MaxDegreeOfParallelism = _parallelism }, i => results[i] = ProcessOne(reports[i], roots[i]));
        return results;
    }

    /// <summary>Session handshakes done (null in envelope mode).</summary>
    public long? SessionsOpened => _sessions?.SessionsOpened;

    public void Dispose()
    {
        _signatures.Dispose();
        _sessions?.Dispose();
    }

    /// <summary>The replay guard's notion of now (it only decides which remembered nonces have expired).</summary>
    private sealed class BatchClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private IngestedReport ProcessOne(OutgoingReport report, SeededRandomSource nonces)
    {
        var signer = new EnvelopeSigner(report.Hotspot.Key, new FixedTimeProvider(report.SignedAt), nonces);
        var wire = signer.SignToBytes(report.Payload);
        using var verifier = new EnvelopeVerifier(_verifierOptions, new FixedTimeProvider(report.Received), _replayGuard, _signatures);
        return report.Payload switch
        {
            BeaconReport => Result(report, verifier.Verify<BeaconReport>(wire)),
            WitnessReport => Result(report, verifier.Verify<WitnessReport>(wire)),
            _ => throw new ArgumentException($"report ingest: unexpected payload {report.Payload.Descriptor.FullName}", nameof(report)),
        };
    }

    private IngestedReport VerifyFrame(OutgoingReport report, byte[] frame, ReportSessions sessions) => report.Payload switch
    {
        BeaconReport => Result(report, sessions.Verify<BeaconReport>(frame, report.Received)),
        WitnessReport => Result(report, sessions.Verify<WitnessReport>(frame, report.Received)),
        _ => throw new ArgumentException($"report ingest: unexpected payload {report.Payload.Descriptor.FullName}", nameof(report)),
    };

    private IngestedReport Result<T>(OutgoingReport report, EnvelopeVerification<T> verification)
        where T : class, IMessage<T>, new() =>
        verification.IsValid
            ? new IngestedReport(report, _addresses.GetOrAdd(verification.Signer, static key => key.ToAddress()), verification.Payload, null)
            : new IngestedReport(report, null, null, (_sessions is not null ? "session_" : "envelope_") + verification.Failure.ToString().ToLowerInvariant());
}

/// <summary>Converts verified report payloads into the oracle's ingest records.</summary>
public static class IngestRecords
{
    public static BeaconIngest Beacon(string hotspot, DateTimeOffset received, BeaconReport report) => new(
        hotspot,
        received,
        report.LocalEntropy.ToByteArray(),
        report.RemoteEntropy.ToByteArray(),
        report.Data.ToByteArray(),
        (long)report.FrequencyHz,
        report.Datarate,
        (int)Math.Round(report.TxPowerDdbm / 10.0));

    public static WitnessIngest Witness(string hotspot, DateTimeOffset received, WitnessReport report) => new(
        hotspot,
        received,
        report.Data.ToByteArray(),
        report.SignalDdbm,
        report.SnrCdb,
        (long)report.FrequencyHz,
        report.Datarate,
        DateTimeOffset.UnixEpoch.AddTicks((long)(report.TimestampNs / 100)),
        report.HasFineTimestamp ? (long)report.FineTimestampNs : null);
}
