using System.Security.Cryptography;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Core.Identity;

/// <summary>A service's answer to a session open could not be used; names the field and the problem.</summary>
public sealed class SessionHandshakeException(string message) : Exception(message);

/// <summary>
/// The client half of a session v1 handshake: a fresh X25519 key pair and the SignedEnvelope(SessionOpen) the
/// hotspot POSTs to /v1/sessions. <see cref="Complete"/> turns the service's <see cref="SessionAccepted"/> into a
/// <see cref="SessionSealer"/>. One request completes once (its ephemeral private key is wiped then).
/// </summary>
public sealed class SessionOpenRequest
{
    private readonly byte[] _ephemeralPrivateKey;
    private readonly PublicKey _signer;
    private readonly TimeProvider _time;
    private bool _completed;

    private SessionOpenRequest(string audience, byte[] ephemeralPrivateKey, byte[] body, PublicKey signer, TimeProvider time)
    {
        Audience = audience;
        _ephemeralPrivateKey = ephemeralPrivateKey;
        Body = body;
        _signer = signer;
        _time = time;
    }

    /// <summary>The service this session is for (<see cref="SessionProtocol.CoverageOracle"/> or <see cref="SessionProtocol.NetworkServer"/>).</summary>
    public string Audience { get; }

    /// <summary>Wire bytes of the signed SessionOpen envelope: the HTTP body, and the HKDF salt's input.</summary>
    public byte[] Body { get; }

    /// <summary>
    /// Draws the ephemeral key from <paramref name="random"/> (the envelope's nonce comes from the signer's own source)
    /// and signs the open request with the hotspot key.
    /// </summary>
    public static SessionOpenRequest Create(EnvelopeSigner signer, string audience, IRandomSource random, TimeProvider time)
    {
        if (SessionProtocol.CheckAudience(audience) is { } problem)
        {
            throw new ArgumentException(problem, nameof(audience));
        }

        var ephemeral = X25519KeyAgreement.GeneratePrivateKey(random);
        var open = new SessionOpen
        {
            ClientEphemeralKey = ByteString.CopyFrom(X25519KeyAgreement.PublicKeyOf(ephemeral)),
            Audience = audience,
        };
        return new SessionOpenRequest(audience, ephemeral, signer.SignToBytes(open), signer.Signer, time);
    }

    /// <summary>Parses the service's answer (an HTTP body) and completes the handshake.</summary>
    public SessionSealer Complete(ReadOnlySpan<byte> acceptedBody)
    {
        SessionAccepted accepted;
        try
        {
            accepted = SessionAccepted.Parser.ParseFrom(acceptedBody);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new SessionHandshakeException($"session answer: not a SessionAccepted ({ex.Message})");
        }

        return Complete(accepted);
    }

    /// <summary>Derives the MAC key from the service's ephemeral key; refuses a malformed answer or a low-order key.</summary>
    public SessionSealer Complete(SessionAccepted accepted)
    {
        if (_completed)
        {
            throw new InvalidOperationException("session open request: already completed; create a new request to open another session");
        }

        if (accepted.SessionId.Length != SessionProtocol.SessionIdLength)
        {
            throw new SessionHandshakeException($"session_id: must be {SessionProtocol.SessionIdLength} bytes, got {accepted.SessionId.Length}");
        }

        if (!X25519KeyAgreement.TryAgree(_ephemeralPrivateKey, accepted.ServerEphemeralKey.Span, out var shared, out var problem))
        {
            throw new SessionHandshakeException($"server_ephemeral_key: {problem}");
        }

        _completed = true;
        CryptographicOperations.ZeroMemory(_ephemeralPrivateKey);
        var macKey = SessionProtocol.DeriveMacKey(shared, Body, Audience, accepted.SessionId.Span);
        CryptographicOperations.ZeroMemory(shared);
        var expiresAt = DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Min(accepted.ExpiresAtMs, (ulong)DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()));
        return new SessionSealer(_signer, Audience, accepted.SessionId, macKey, expiresAt, _time);
    }
}

/// <summary>
/// Seals payloads into <see cref="SessionFrame"/>s of one session: counter 1, 2, 3, … (Interlocked, so many threads
/// may seal at once), timestamp from the <see cref="TimeProvider"/>, tag = HMAC-SHA256(mac_key, fields 1–5)[..16].
/// Dispose releases the key (sealing then throws); a sealer still in use by other threads may simply be dropped.
/// </summary>
public sealed class SessionSealer : IDisposable
{
    private readonly SessionMac _mac;
    private readonly TimeProvider _time;
    private long _counter;

    internal SessionSealer(PublicKey signer, string audience, ByteString sessionId, byte[] macKey, DateTimeOffset expiresAt, TimeProvider time)
    {
        Signer = signer;
        Audience = audience;
        SessionId = sessionId;
        _mac = new SessionMac(macKey);
        CryptographicOperations.ZeroMemory(macKey);
        ExpiresAt = expiresAt;
        _time = time;
    }

    /// <summary>The hotspot key that signed the open request.</summary>
    public PublicKey Signer { get; }

    public string Audience { get; }

    public ByteString SessionId { get; }

    /// <summary>When the service said it forgets the session; clients re-open before (or on 401 unknown_session).</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>How many frames were sealed (the last counter used).</summary>
    public ulong FramesSealed => (ulong)Interlocked.Read(ref _counter);

    /// <summary>Seals with the current time as timestamp_ms.</summary>
    public SessionFrame Seal(IMessage payload) => Seal(payload, _time.GetUtcNow());

    /// <summary>
    /// Seals with an explicit timestamp_ms: when the report was made, for a hotspot that queued it and seals it at
    /// delivery (the receiver then applies its age window to the report, as it would to an envelope signed then).
    /// </summary>
    public SessionFrame Seal(IMessage payload, DateTimeOffset timestamp)
    {
        var frame = new SessionFrame
        {
            SessionId = SessionId,
            Counter = (ulong)Interlocked.Increment(ref _counter),
            TimestampMs = (ulong)timestamp.ToUnixTimeMilliseconds(),
            PayloadType = payload.Descriptor.FullName,
            Payload = payload.ToByteString(),
        };
        var tag = new byte[SessionProtocol.TagLength];
        if (!CanonicalSessionFrame.ComputeTag(_mac, frame, tag))
        {
            throw new ObjectDisposedException(nameof(SessionSealer), "session sealer: disposed; open a new session");
        }

        frame.Tag = UnsafeByteOperations.UnsafeWrap(tag);
        return frame;
    }

    public void Dispose() => _mac.Dispose();

    /// <summary>Seals and returns the frame's wire bytes (an HTTP body with <see cref="SessionProtocol.FrameContentType"/>).</summary>
    public byte[] SealToBytes(IMessage payload) => Seal(payload).ToByteArray();

    /// <summary>Seals with an explicit timestamp and returns the wire bytes.</summary>
    public byte[] SealToBytes(IMessage payload, DateTimeOffset timestamp) => Seal(payload, timestamp).ToByteArray();
}
