using System.Buffers.Binary;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Core.Identity;

/// <summary>Limits of a service's <see cref="SessionRegistry"/> (bound from the service's configuration).</summary>
public sealed class SessionRegistryOptions
{
    /// <summary>Sessions held at once. Default 100 000 (10 hotspots' worth of headroom per 1 000 onboarded, ≈ 200 B each → ≈ 20 MB); when full the oldest is forgotten and its hotspot re-opens on its next 401.</summary>
    public int MaxSessions { get; set; } = 100_000;

    /// <summary>How long a session lives. Default 24 h: one handshake (≈ 150 µs of signature CPU) per hotspot per service per day, and a leaked MAC key is useless after a day.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Sessions one hotspot may hold at this service. Default 4 (a restart or two of the hotspot within a TTL); opening more forgets its oldest, so one hotspot cannot push others' sessions out.</summary>
    public int MaxSessionsPerSigner { get; set; } = 4;

    public void Validate()
    {
        if (MaxSessions < 1)
        {
            throw new ArgumentException($"MaxSessions: must be at least 1, got {MaxSessions}");
        }

        if (Ttl <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Ttl: must be positive, got {Ttl}");
        }

        if (MaxSessionsPerSigner < 1)
        {
            throw new ArgumentException($"MaxSessionsPerSigner: must be at least 1, got {MaxSessionsPerSigner}");
        }
    }
}

/// <summary>One session a service holds: who opened it, its MAC key, its lifetime and its anti-replay window. Disposed (its key released) when the registry forgets it.</summary>
public sealed class ServerSession : IDisposable
{
    internal ServerSession(UInt128 key, ByteString id, PublicKey signer, string audience, byte[] macKey, DateTimeOffset openedAt, DateTimeOffset expiresAt)
    {
        Key = key;
        Id = id;
        Signer = signer;
        Audience = audience;
        Mac = new SessionMac(macKey);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(macKey);
        OpenedAt = openedAt;
        ExpiresAt = expiresAt;
    }

    public ByteString Id { get; }

    /// <summary>The hotspot key that signed the SessionOpen.</summary>
    public PublicKey Signer { get; }

    public string Audience { get; }

    public DateTimeOffset OpenedAt { get; }

    public DateTimeOffset ExpiresAt { get; }

    public CounterReplayWindow Window { get; } = new();

    internal UInt128 Key { get; }

    internal SessionMac Mac { get; }

    public void Dispose() => Mac.Dispose();
}

/// <summary>The answer to a SessionOpen: the accepted session, or why it was refused.</summary>
public sealed record SessionOpenOutcome(SessionAccepted? Accepted, ServerSession? Session, string? Problem)
{
    public bool IsAccepted => Accepted is not null;
}

/// <summary>
/// The sessions one service (one audience) holds, in memory: opened from an already verified SignedEnvelope(SessionOpen),
/// found by session_id, forgotten after <see cref="SessionRegistryOptions.Ttl"/>, when the registry is full (oldest
/// first) or when their hotspot opens more than <see cref="SessionRegistryOptions.MaxSessionsPerSigner"/>. A restart
/// forgets all of them: clients get 401 unknown_session and re-open. Thread-safe.
/// </summary>
public sealed class SessionRegistry
{
    private readonly SessionRegistryOptions _options;
    private readonly TimeProvider _time;
    private readonly IRandomSource _random;
    private readonly Dictionary<UInt128, ServerSession> _sessions = [];
    private readonly Dictionary<PublicKey, List<ServerSession>> _bySigner = [];
    private readonly PriorityQueue<ServerSession, DateTimeOffset> _byExpiry = new();
    private readonly Lock _gate = new();

    public SessionRegistry(string audience, SessionRegistryOptions options, TimeProvider time, IRandomSource random)
    {
        if (SessionProtocol.CheckAudience(audience) is { } problem)
        {
            throw new ArgumentException(problem, nameof(audience));
        }

        options.Validate();
        Audience = audience;
        _options = options;
        _time = time;
        _random = random;
    }

    /// <summary>The service these sessions are for; opens naming another audience are refused.</summary>
    public string Audience { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>
    /// Opens a session for an open request whose envelope the caller has verified (signature, window, nonce) and
    /// whose signer it has checked is allowed here. <paramref name="openWire"/> are the envelope's bytes as received
    /// (the HKDF salt's input).
    /// </summary>
    public SessionOpenOutcome Open(EnvelopeVerification<SessionOpen> verifiedOpen, ReadOnlySpan<byte> openWire) =>
        Open(verifiedOpen, openWire, null);

    /// <summary>
    /// As <see cref="Open(EnvelopeVerification{SessionOpen}, ReadOnlySpan{byte})"/>, drawing this session's id and ephemeral
    /// key from <paramref name="random"/> instead of the registry's own source: a simulation that opens many sessions in
    /// parallel gives each its own seeded stream, so which session gets which id does not depend on thread scheduling.
    /// </summary>
    public SessionOpenOutcome Open(EnvelopeVerification<SessionOpen> verifiedOpen, ReadOnlySpan<byte> openWire, IRandomSource? random)
    {
        var open = verifiedOpen.ValidPayload;
        if (open.Audience != Audience)
        {
            return Refused($"audience: this service is \"{Audience}\", the request names \"{open.Audience}\"");
        }

        Span<byte> idBytes = stackalloc byte[SessionProtocol.SessionIdLength];
        byte[] ephemeral;
        if (random is not null)
        {
            random.Fill(idBytes);
            ephemeral = X25519KeyAgreement.GeneratePrivateKey(random);
        }
        else
        {
            lock (_gate)
            {
                // Random draws are serialised: a SeededRandomSource (devnet) is a sequence, not thread-safe.
                _random.Fill(idBytes);
                ephemeral = X25519KeyAgreement.GeneratePrivateKey(_random);
            }
        }

        if (!X25519KeyAgreement.TryAgree(ephemeral, open.ClientEphemeralKey.Span, out var shared, out var problem))
        {
            return Refused($"client_ephemeral_key: {problem}");
        }

        var id = ByteString.CopyFrom(idBytes);
        var macKey = SessionProtocol.DeriveMacKey(shared, openWire, Audience, idBytes);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(shared);
        var now = _time.GetUtcNow();
        var session = new ServerSession(KeyOf(idBytes), id, verifiedOpen.Signer, Audience, macKey, now, now + _options.Ttl);
        var accepted = new SessionAccepted
        {
            SessionId = id,
            ServerEphemeralKey = ByteString.CopyFrom(X25519KeyAgreement.PublicKeyOf(ephemeral)),
            ExpiresAtMs = (ulong)session.ExpiresAt.ToUnixTimeMilliseconds(),
        };
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(ephemeral);
        Add(session, now);
        return new SessionOpenOutcome(accepted, session, null);
    }

    /// <summary>
    /// The session named by <paramref name="sessionId"/> at <paramref name="now"/> (the receiver's clock, passed in so
    /// a verifier decides expiry at the same instant as the frame's time window): found, never known (or forgotten),
    /// or expired (then forgotten).
    /// </summary>
    public EnvelopeFailure TryFind(ReadOnlySpan<byte> sessionId, DateTimeOffset now, out ServerSession? session)
    {
        session = null;
        if (sessionId.Length != SessionProtocol.SessionIdLength)
        {
            return EnvelopeFailure.UnknownSession;
        }

        var key = KeyOf(sessionId);
        lock (_gate)
        {
            if (!_sessions.TryGetValue(key, out var found))
            {
                return EnvelopeFailure.UnknownSession;
            }

            if (found.ExpiresAt <= now)
            {
                Remove(found);
                return EnvelopeFailure.ExpiredSession;
            }

            session = found;
            return EnvelopeFailure.None;
        }
    }

    /// <summary>Forgets one session (e.g. when its open could not be recorded); false when it was not held.</summary>
    public bool Forget(ReadOnlySpan<byte> sessionId)
    {
        if (sessionId.Length != SessionProtocol.SessionIdLength)
        {
            return false;
        }

        lock (_gate)
        {
            if (!_sessions.TryGetValue(KeyOf(sessionId), out var session))
            {
                return false;
            }

            Remove(session);
            return true;
        }
    }

    /// <summary>Forgets every session (what a restart does); used by operators' key rotation and by tests.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (var session in _sessions.Values)
            {
                session.Dispose();
            }

            _sessions.Clear();
            _bySigner.Clear();
            _byExpiry.Clear();
        }
    }

    private static UInt128 KeyOf(ReadOnlySpan<byte> sessionId) => BinaryPrimitives.ReadUInt128LittleEndian(sessionId);

    private static SessionOpenOutcome Refused(string problem) => new(null, null, problem);

    private void Add(ServerSession session, DateTimeOffset now)
    {
        lock (_gate)
        {
            EvictExpired(now);
            if (!_bySigner.TryGetValue(session.Signer, out var own))
            {
                own = [];
                _bySigner.Add(session.Signer, own);
            }

            while (own.Count >= _options.MaxSessionsPerSigner)
            {
                Remove(own[0]);
            }

            while (_sessions.Count >= _options.MaxSessions && _byExpiry.TryDequeue(out var oldest, out _))
            {
                if (_sessions.TryGetValue(oldest.Key, out var live) && ReferenceEquals(live, oldest))
                {
                    Remove(oldest);
                }
            }

            // A 128-bit random id colliding is not expected; if the random source repeats (a misused seeded source),
            // the older session is replaced rather than two hotspots sharing one id.
            if (_sessions.TryGetValue(session.Key, out var clash))
            {
                Remove(clash);
            }

            _sessions.Add(session.Key, session);
            // The signer's list may have been emptied (and removed) by the evictions above.
            if (!_bySigner.TryGetValue(session.Signer, out own))
            {
                own = [];
                _bySigner.Add(session.Signer, own);
            }

            own.Add(session);
            _byExpiry.Enqueue(session, session.ExpiresAt);
            CompactExpiryQueue();
        }
    }

    /// <summary>
    /// Sessions dropped before their expiry (per-signer limit, clashes) leave stale queue entries; a hotspot that keeps
    /// re-opening would grow the queue without bound, so it is rebuilt from the live sessions once stale ones dominate.
    /// </summary>
    private void CompactExpiryQueue()
    {
        if (_byExpiry.Count <= 2 * _sessions.Count + 64)
        {
            return;
        }

        _byExpiry.Clear();
        foreach (var live in _sessions.Values)
        {
            _byExpiry.Enqueue(live, live.ExpiresAt);
        }
    }

    private void EvictExpired(DateTimeOffset now)
    {
        while (_byExpiry.TryPeek(out var session, out var expiry) && expiry <= now)
        {
            _byExpiry.Dequeue();
            if (_sessions.TryGetValue(session.Key, out var live) && ReferenceEquals(live, session))
            {
                Remove(session);
            }
        }
    }

    /// <summary>Drops a session from the id and signer maps and releases its key; its expiry-queue entry is skipped when dequeued.</summary>
    private void Remove(ServerSession session)
    {
        _sessions.Remove(session.Key);
        session.Dispose();
        if (_bySigner.TryGetValue(session.Signer, out var own))
        {
            own.Remove(session);
            if (own.Count == 0)
            {
                _bySigner.Remove(session.Signer);
            }
        }
    }
}
