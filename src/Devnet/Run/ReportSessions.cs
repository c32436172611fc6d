using DePin.Wireless.Core.Identity;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Devnet.Run;

/// <summary>How simulated hotspots authenticate their reports (<c>devnet run --report-auth</c>).</summary>
public enum ReportAuthentication
{
    /// <summary>Session v1: one signed handshake per hotspot and service, then an HMAC per report (the default).</summary>
    Session,

    /// <summary>Every report its own Ed25519-signed SignedEnvelope (the pre-session path, kept to measure it).</summary>
    Envelope,
}

/// <summary>
/// Session v1 between the simulated hotspots and one service, with the real Core classes on both sides: a hotspot's
/// first report (and any report within <see cref="ReopenMargin"/> of its session's expiry) opens a session — a
/// SignedEnvelope(SessionOpen) signed with the hotspot key and checked by an <see cref="EnvelopeVerifier"/>, X25519
/// with ephemeral keys and HKDF — and every report is then sealed into a SessionFrame and checked by a
/// <see cref="SessionFrameVerifier"/>. Randomness (nonces, ephemeral keys, session ids) comes from streams derived
/// from the run seed, per hotspot and per open, so a run's bytes and results are reproducible.
/// <see cref="Seal"/> is called in simulation order on one thread; <see cref="Verify{T}"/> is thread-safe.
/// </summary>
public sealed class ReportSessions : IDisposable
{
    /// <summary>Re-open this long before the service forgets a session, so no report in flight meets an expired one.</summary>
    public static readonly TimeSpan ReopenMargin = TimeSpan.FromMinutes(10);

    private readonly string _audience;
    private readonly SeededRandomSource _root;
    private readonly SettableClock _serverClock = new();
    private readonly SessionRegistry _registry;
    private readonly EnvelopeVerifier _openVerifier;
    private readonly EnvelopeVerifierOptions _window = new();
    private readonly Dictionary<int, HotspotSession> _sessions = [];

    public ReportSessions(int seed, string audience, int hotspots)
    {
        _audience = audience;
        _root = SeededRandomSource.FromLabel(FormattableString.Invariant($"devnet/{seed}/sessions/{audience}"));
        var options = new SessionRegistryOptions { MaxSessions = Math.Max(new SessionRegistryOptions().MaxSessions, 2 * hotspots) };
        _registry = new SessionRegistry(audience, options, _serverClock, _root.Derive("service"));
        _openVerifier = new EnvelopeVerifier(_window, _serverClock, new InMemoryReplayGuard(_serverClock));
    }

    /// <summary>Handshakes done so far (first opens and re-opens before expiry).</summary>
    public long SessionsOpened { get; private set; }

    /// <summary>
    /// Opens every hotspot's first session at <paramref name="at"/> (a hotspot opens its sessions when it starts), on all
    /// cores: the handshake's Ed25519 signature and X25519 agreements are ≈ 0.5 ms per hotspot, which the simulation's
    /// own thread would otherwise pay at each hotspot's first report. Each open draws from streams derived from the run
    /// seed and the hotspot (the service's side too), so the sessions do not depend on thread scheduling.
    /// </summary>
    public void OpenAll(IReadOnlyList<SimHotspot> hotspots, DateTimeOffset at, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(hotspots);
        OpenFirst(hotspots.Select(h => (h, at)).ToList(), at, parallelism);
    }

    /// <summary>
    /// Before a batch is sealed: opens, on all cores, the first session of each hotspot in <paramref name="uses"/> that
    /// has none yet, as of its first use in the batch (a hotspot opens its session when it first has something to
    /// send). Opens are grouped by time so the service's clock (the group's latest use) stays within
    /// <see cref="OpenClockSpread"/> of every open's timestamp, well inside the service's age window. Same per-hotspot
    /// streams as <see cref="OpenAll"/>, so the result does not depend on scheduling.
    /// </summary>
    public void OpenMissing(IEnumerable<(SimHotspot Hotspot, DateTimeOffset At)> uses, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(uses);
        var first = new Dictionary<int, (SimHotspot Hotspot, DateTimeOffset At)>();
        foreach (var (hotspot, at) in uses)
        {
            if (!_sessions.ContainsKey(hotspot.Index))
            {
                first.TryAdd(hotspot.Index, (hotspot, at));
            }
        }

        var pending = first.Values.OrderBy(o => o.At).ThenBy(o => o.Hotspot.Index).ToList();
        for (var start = 0; start < pending.Count;)
        {
            var end = start + 1;
            while (end < pending.Count && pending[end].At - pending[start].At <= OpenClockSpread)
            {
                end++;
            }

            OpenFirst(pending[start..end], pending[end - 1].At, parallelism);
            start = end;
        }
    }

    /// <summary>How far apart the first uses of hotspots opened together may be (the service's clock reads the latest).</summary>
    public static readonly TimeSpan OpenClockSpread = TimeSpan.FromMinutes(1);

    private void OpenFirst(IReadOnlyList<(SimHotspot Hotspot, DateTimeOffset At)> opens, DateTimeOffset serviceNow, int parallelism)
    {
        _serverClock.Now = serviceNow;
        var opened = new HotspotSession[opens.Count];
        Parallel.For(0, opens.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, i => opened[i] = Open(opens[i].Hotspot, opens[i].At, 0, perOpenServerRandom: true));
        for (var i = 0; i < opened.Length; i++)
        {
            _sessions[opens[i].Hotspot.Index] = opened[i];
        }

        SessionsOpened += opened.Length;
    }

    /// <summary>Seals <paramref name="payload"/> as <paramref name="hotspot"/> at its clock's <paramref name="at"/>, opening its session first when needed.</summary>
    public byte[] Seal(SimHotspot hotspot, IMessage payload, DateTimeOffset at)
    {
        if (!_sessions.TryGetValue(hotspot.Index, out var session) || session.Sealer.ExpiresAt - at < ReopenMargin)
        {
            var previous = session;
            session = Reopen(hotspot, previous, at);
            previous?.Sealer.Dispose();
        }

        session.Clock.Now = at;
        return session.Sealer.SealToBytes(payload);
    }

    /// <summary>
    /// Seals a batch as <see cref="Seal"/> would one report after another, on all cores: first sessions are opened
    /// (<see cref="OpenMissing"/>) and expiring ones re-opened in batch order on this thread, then each hotspot's
    /// reports are sealed in batch order, hotspots in parallel. A frame depends only on its session and its place among
    /// that session's frames, so the bytes are those of the sequential order whatever the scheduling.
    /// </summary>
    public byte[][] SealBatch(IReadOnlyList<(SimHotspot Hotspot, IMessage Payload, DateTimeOffset At)> items, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(items);
        OpenMissing(items.Select(i => (i.Hotspot, i.At)), parallelism);
        var sessionOf = new HotspotSession[items.Count];
        var replaced = new List<HotspotSession>();
        var byHotspot = new Dictionary<int, List<int>>();
        for (var i = 0; i < items.Count; i++)
        {
            var (hotspot, _, at) = items[i];
            var session = _sessions[hotspot.Index];
            if (session.Sealer.ExpiresAt - at < ReopenMargin)
            {
                replaced.Add(session);
                session = Reopen(hotspot, session, at);
            }

            sessionOf[i] = session;
            if (!byHotspot.TryGetValue(hotspot.Index, out var indices))
            {
                indices = [];
                byHotspot[hotspot.Index] = indices;
            }

            indices.Add(i);
        }

        var frames = new byte[items.Count][];
        var groups = byHotspot.Values.ToList();
        Parallel.For(0, groups.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, g =>
        {
            foreach (var i in groups[g])
            {
                var session = sessionOf[i];
                session.Clock.Now = items[i].At;
                frames[i] = session.Sealer.SealToBytes(items[i].Payload);
            }
        });

        // Frames sealed before a re-open in this batch used the old session until here.
        replaced.ForEach(s => s.Sealer.Dispose());
        return frames;
    }

    /// <summary>The service's check of a frame received at <paramref name="received"/>.</summary>
    public EnvelopeVerification<T> Verify<T>(ReadOnlySpan<byte> frame, DateTimeOffset received)
        where T : class, IMessage<T>, new() =>
        new SessionFrameVerifier(_registry, _window, new FixedTimeProvider(received)).Verify<T>(frame);

    /// <summary>Opens the next session of <paramref name="hotspot"/> at <paramref name="at"/> (its first when <paramref name="previous"/> is null), on this thread.</summary>
    private HotspotSession Reopen(SimHotspot hotspot, HotspotSession? previous, DateTimeOffset at)
    {
        _serverClock.Now = at;
        var session = Open(hotspot, at, previous is null ? 0 : previous.Generation + 1, perOpenServerRandom: false);
        _sessions[hotspot.Index] = session;
        SessionsOpened++;
        return session;
    }

    public void Dispose()
    {
        _openVerifier.Dispose();
        foreach (var session in _sessions.Values)
        {
            session.Sealer.Dispose();
        }

        _registry.Clear();
    }

    /// <summary>One handshake at the service clock's current time; thread-safe when <paramref name="perOpenServerRandom"/> (the service's draws then come from the open's own stream).</summary>
    private HotspotSession Open(SimHotspot hotspot, DateTimeOffset at, int generation, bool perOpenServerRandom)
    {
        var streams = _root.Derive(FormattableString.Invariant($"hotspot/{hotspot.Index}/open/{generation}"));
        var clock = new SettableClock { Now = at };
        var signer = new EnvelopeSigner(hotspot.Key, clock, streams.Derive("nonce"));
        var request = SessionOpenRequest.Create(signer, _audience, streams.Derive("ephemeral"), clock);

        // The service's side (its clock set by the caller): the signed open is verified (signature, window, nonce)
        // before a session exists.
        var verified = _openVerifier.Verify<SessionOpen>(request.Body);
        if (!verified.IsValid)
        {
            throw new InvalidOperationException($"devnet session open of hotspot {hotspot.Address} refused: {verified}");
        }

        var outcome = _registry.Open(verified, request.Body, perOpenServerRandom ? streams.Derive("service") : null);
        if (!outcome.IsAccepted)
        {
            throw new InvalidOperationException($"devnet session open of hotspot {hotspot.Address} refused: {outcome.Problem}");
        }

        return new HotspotSession(request.Complete(outcome.Accepted!), clock, generation);
    }

    private sealed record HotspotSession(SessionSealer Sealer, SettableClock Clock, int Generation);

    /// <summary>A clock set by the simulation before each use (hotspot sealing, service opening); used on one thread.</summary>
    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
