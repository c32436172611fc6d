using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Core.Identity;

/// <summary>
/// Checks <see cref="SessionFrame"/>s against a service's <see cref="SessionRegistry"/> and answers with the same
/// <see cref="EnvelopeVerification{T}"/> the signed-envelope path gives (signer + typed payload, or a failure), so
/// code downstream does not care how a report was authenticated. Order: shape, payload type, session lookup
/// (unknown/expired), tag (constant-time), timestamp window (the envelopes' <see cref="EnvelopeVerifierOptions"/>),
/// payload parse, and last the anti-replay window, so only authentic frames move it. Thread-safe.
/// </summary>
public sealed class SessionFrameVerifier
{
    private readonly SessionRegistry _registry;
    private readonly EnvelopeVerifierOptions _window;
    private readonly TimeProvider _time;

    public SessionFrameVerifier(SessionRegistry registry, EnvelopeVerifierOptions window, TimeProvider time)
    {
        window.Validate();
        _registry = registry;
        _window = window;
        _time = time;
    }

    public SessionRegistry Registry => _registry;

    /// <summary>Parses frame wire bytes (an HTTP body) and verifies them.</summary>
    public EnvelopeVerification<T> Verify<T>(ReadOnlySpan<byte> wire)
        where T : class, IMessage<T>, new()
    {
        SessionFrame frame;
        try
        {
            frame = SessionFrame.Parser.ParseFrom(wire);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return EnvelopeVerification<T>.Refused(EnvelopeFailure.Malformed, $"frame: not a SessionFrame ({ex.Message})");
        }

        return Verify<T>(frame);
    }

    /// <summary>All checks; an accepted counter is recorded, so the same frame a second time is <see cref="EnvelopeFailure.Replayed"/>.</summary>
    public EnvelopeVerification<T> Verify<T>(SessionFrame frame)
        where T : class, IMessage<T>, new()
    {
        if (CheckShape(frame) is { } shapeProblem)
        {
            return EnvelopeVerification<T>.Refused(EnvelopeFailure.Malformed, shapeProblem);
        }

        var expectedType = PayloadTypeOf<T>.FullName;
        if (frame.PayloadType != expectedType)
        {
            return EnvelopeVerification<T>.Refused(EnvelopeFailure.WrongPayloadType, $"payload_type: is \"{frame.PayloadType}\", expected \"{expectedType}\"");
        }

        var now = _time.GetUtcNow();
        var found = _registry.TryFind(frame.SessionId.Span, now, out var session);
        if (found != EnvelopeFailure.None)
        {
            var id = Convert.ToHexStringLower(frame.SessionId.Span);
            return EnvelopeVerification<T>.Refused(found, found == EnvelopeFailure.ExpiredSession
                ? $"session_id: session {id} has expired at this {_registry.Audience}; open a new session"
                : $"session_id: no session {id} is open at this {_registry.Audience} (never opened, evicted, or forgotten on restart); open a new session");
        }

        Span<byte> expected = stackalloc byte[SessionProtocol.TagLength];
        if (!CanonicalSessionFrame.ComputeTag(session!.Mac, frame, expected))
        {
            return EnvelopeVerification<T>.Refused(EnvelopeFailure.UnknownSession, $"session_id: session {Convert.ToHexStringLower(frame.SessionId.Span)} was forgotten by this {_registry.Audience} while the frame was checked; open a new session");
        }

        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(expected, frame.Tag.Span))
        {
            return EnvelopeVerification<T>.Refused(EnvelopeFailure.BadTag, $"tag: does not authenticate this frame under session {Convert.ToHexStringLower(frame.SessionId.Span)}", session.Signer);
        }

        var timestamp = TimestampWindow.FromUnixMs(frame.TimestampMs);
        var timeFailure = TimestampWindow.Check(_window, now, timestamp, out var timeProblem);
        if (timeFailure != EnvelopeFailure.None)
        {
            return EnvelopeVerification<T>.Refused(timeFailure, timeProblem!, session.Signer, timestamp);
        }

        T payload;
        try
        {
            payload = PayloadTypeOf<T>.Parser.ParseFrom(frame.Payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return EnvelopeVerification<T>.Refused(EnvelopeFailure.Malformed, $"payload: not a valid {expectedType} ({ex.Message})", session.Signer, timestamp);
        }

        return session.Window.TryAccept(frame.Counter) switch
        {
            CounterCheck.Fresh => EnvelopeVerification<T>.ValidSession(session.Signer, payload, timestamp, frame),
            CounterCheck.Replayed => EnvelopeVerification<T>.Refused(EnvelopeFailure.Replayed, $"counter: {frame.Counter} was already accepted in this session", session.Signer, timestamp),
            _ => EnvelopeVerification<T>.Refused(EnvelopeFailure.Stale, $"counter: {frame.Counter} is older than the replay window ({CounterReplayWindow.Size} below the highest accepted, {session.Window.Highest})", session.Signer, timestamp),
        };
    }

    private static string? CheckShape(SessionFrame frame)
    {
        if (frame.SessionId.Length != SessionProtocol.SessionIdLength)
        {
            return $"session_id: must be {SessionProtocol.SessionIdLength} bytes, got {frame.SessionId.Length}";
        }

        if (frame.Counter == 0)
        {
            return "counter: must be at least 1";
        }

        if (frame.Tag.Length != SessionProtocol.TagLength)
        {
            return $"tag: must be {SessionProtocol.TagLength} bytes, got {frame.Tag.Length}";
        }

        // Unknown fields are not covered by the tag; a frame carrying any is refused rather than passed on with unauthenticated content.
        if (frame.CalculateSize() != CanonicalSessionFrame.Size(frame) + CanonicalSessionFrame.TagFieldSize(frame))
        {
            return "frame: carries fields this version does not know, which the tag would not cover";
        }

        return null;
    }
}
