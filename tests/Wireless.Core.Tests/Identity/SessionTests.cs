using System.Security.Cryptography;
using System.Text;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Core.Tests.Identity;

public sealed class SessionTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private readonly ManualTimeProvider _clock = new(Start);
    private readonly KeyPair _hotspot = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("session-tests/hotspot"));
    private readonly EnvelopeVerifier _envelopes;
    private readonly SessionRegistry _registry;
    private readonly SessionFrameVerifier _frames;

    public SessionTests()
    {
        _envelopes = new EnvelopeVerifier(new EnvelopeVerifierOptions(), _clock, new InMemoryReplayGuard(_clock));
        _registry = new SessionRegistry(SessionProtocol.CoverageOracle, new SessionRegistryOptions(), _clock, SeededRandomSource.FromLabel("session-tests/server"));
        _frames = new SessionFrameVerifier(_registry, new EnvelopeVerifierOptions(), _clock);
    }

    public void Dispose()
    {
        _envelopes.Dispose();
        _hotspot.Dispose();
    }

    // RFC 7748 §6.1 (Curve25519 Diffie-Hellman test vector).
    [Fact]
    public void X25519_matches_the_RFC_7748_section_6_1_vector()
    {
        var alicePrivate = Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        var bobPrivate = Convert.FromHexString("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        var alicePublic = X25519KeyAgreement.PublicKeyOf(alicePrivate);
        var bobPublic = X25519KeyAgreement.PublicKeyOf(bobPrivate);
        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Convert.ToHexStringLower(alicePublic));
        Assert.Equal("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Convert.ToHexStringLower(bobPublic));

        Assert.True(X25519KeyAgreement.TryAgree(alicePrivate, bobPublic, out var aliceShared, out _));
        Assert.True(X25519KeyAgreement.TryAgree(bobPrivate, alicePublic, out var bobShared, out _));
        Assert.Equal("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", Convert.ToHexStringLower(aliceShared));
        Assert.Equal(aliceShared, bobShared);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")] // u = 0
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")] // u = 1
    [InlineData("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")] // order-8 point (libsodium's blocklist)
    public void Low_order_peer_key_gives_all_zero_secret_and_is_refused(string peerHex)
    {
        var own = X25519KeyAgreement.GeneratePrivateKey(SeededRandomSource.FromLabel("low-order"));
        Assert.False(X25519KeyAgreement.TryAgree(own, Convert.FromHexString(peerHex), out _, out var problem));
        Assert.Contains("all zero", problem);
    }

    [Fact]
    public void Wrong_length_peer_key_is_refused_naming_the_length()
    {
        var own = X25519KeyAgreement.GeneratePrivateKey(SeededRandomSource.FromLabel("short"));
        Assert.False(X25519KeyAgreement.TryAgree(own, new byte[31], out _, out var problem));
        Assert.Contains("got 31", problem);
    }

    [Fact]
    public void Opened_session_authenticates_reports_with_the_same_result_as_envelopes()
    {
        var sealer = OpenSession();
        var report = SampleWitness();
        var result = _frames.Verify<WitnessReport>(sealer.SealToBytes(report));

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(_hotspot.PublicKey, result.Signer);
        Assert.Equal(report, result.ValidPayload);
        Assert.Equal(Start, result.Timestamp);
        Assert.NotNull(result.SessionFrame);
        Assert.Equal(1UL, result.SessionFrame!.Counter);
        Assert.Equal(sealer.SessionId, result.SessionFrame.SessionId);
        Assert.Equal(Start + TimeSpan.FromHours(24), sealer.ExpiresAt);
    }

    [Fact]
    public void Tag_is_truncated_HMAC_SHA256_under_the_HKDF_key_schedule()
    {
        // Client side by hand: ephemeral from a known stream, then RFC 5869 extract/expand written out with HMAC.
        var signer = new EnvelopeSigner(_hotspot, _clock, SeededRandomSource.FromLabel("nonces"));
        var request = SessionOpenRequest.Create(signer, SessionProtocol.CoverageOracle, SeededRandomSource.FromLabel("ephemeral"), _clock);
        var clientPrivate = X25519KeyAgreement.GeneratePrivateKey(SeededRandomSource.FromLabel("ephemeral"));
        var accepted = AcceptOpen(request.Body).Accepted!;
        var sealer = request.Complete(accepted);

        Assert.True(X25519KeyAgreement.TryAgree(clientPrivate, accepted.ServerEphemeralKey.Span, out var shared, out _));
        var prk = HMACSHA256.HashData(SHA256.HashData(request.Body), shared);
        var info = Encoding.UTF8.GetBytes($"depin-wireless session v1|coverage-oracle|{Convert.ToHexStringLower(accepted.SessionId.Span)}");
        var okm = HMACSHA256.HashData(prk, info.Append((byte)0x01).ToArray());

        var frame = sealer.Seal(SampleWitness());
        var unsigned = frame.Clone();
        unsigned.Tag = ByteString.Empty;
        var expected = HMACSHA256.HashData(okm, unsigned.ToByteArray())[..16];
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(frame.Tag.Span));
    }

    [Fact]
    public void Counters_start_at_one_and_each_is_accepted_once()
    {
        var sealer = OpenSession();
        var first = sealer.SealToBytes(SampleWitness());
        var second = sealer.SealToBytes(SampleWitness());
        Assert.True(_frames.Verify<WitnessReport>(second).IsValid);
        Assert.True(_frames.Verify<WitnessReport>(first).IsValid); // out of order, inside the window

        var replay = _frames.Verify<WitnessReport>(first);
        Assert.Equal(EnvelopeFailure.Replayed, replay.Failure);
        Assert.Contains("counter: 1 was already accepted", replay.Detail);
        Assert.Equal("replayed", replay.Failure.Code());
    }

    [Fact]
    public void Counter_older_than_the_window_is_refused_as_stale()
    {
        var sealer = OpenSession();
        var old = sealer.SealToBytes(SampleWitness());
        byte[] last = [];
        for (var i = 0; i < CounterReplayWindow.Size; i++)
        {
            last = sealer.SealToBytes(SampleWitness());
        }

        Assert.True(_frames.Verify<WitnessReport>(last).IsValid); // counter 1025: window now 2..1025
        var stale = _frames.Verify<WitnessReport>(old);
        Assert.Equal(EnvelopeFailure.Stale, stale.Failure);
        Assert.Contains("older than the replay window", stale.Detail);
    }

    [Fact]
    public void Changing_any_byte_of_a_frame_is_refused()
    {
        var sealer = OpenSession();
        var wire = sealer.SealToBytes(SampleWitness());
        for (var i = 0; i < wire.Length; i++)
        {
            var tampered = (byte[])wire.Clone();
            tampered[i] ^= 0x01;
            var result = _frames.Verify<WitnessReport>(tampered);
            Assert.False(result.IsValid, $"byte {i} flipped was accepted");
        }

        Assert.True(_frames.Verify<WitnessReport>(wire).IsValid); // the untouched frame still passes
    }

    [Fact]
    public void Wrong_tag_is_refused_as_bad_tag()
    {
        var sealer = OpenSession();
        var frame = sealer.Seal(SampleWitness());
        var tag = frame.Tag.ToByteArray();
        tag[15] ^= 0x80;
        frame.Tag = ByteString.CopyFrom(tag);
        var result = _frames.Verify<WitnessReport>(frame);
        Assert.Equal(EnvelopeFailure.BadTag, result.Failure);
        Assert.StartsWith("tag:", result.Detail);
    }

    [Fact]
    public void Forged_accept_gives_the_client_a_key_the_service_does_not_hold()
    {
        var signer = new EnvelopeSigner(_hotspot, _clock, SeededRandomSource.FromLabel("nonces"));
        var request = SessionOpenRequest.Create(signer, SessionProtocol.CoverageOracle, SeededRandomSource.FromLabel("eph"), _clock);
        var genuine = AcceptOpen(request.Body).Accepted!;
        var attackerKey = X25519KeyAgreement.GeneratePrivateKey(SeededRandomSource.FromLabel("attacker"));
        var forged = genuine.Clone();
        forged.ServerEphemeralKey = ByteString.CopyFrom(X25519KeyAgreement.PublicKeyOf(attackerKey));

        var sealer = request.Complete(forged);
        Assert.Equal(EnvelopeFailure.BadTag, _frames.Verify<WitnessReport>(sealer.SealToBytes(SampleWitness())).Failure);
    }

    [Fact]
    public void Answer_with_a_low_order_key_or_short_id_is_refused_by_the_client()
    {
        var signer = new EnvelopeSigner(_hotspot, _clock, SeededRandomSource.FromLabel("nonces"));
        var lowOrder = SessionOpenRequest.Create(signer, SessionProtocol.NetworkServer, SeededRandomSource.FromLabel("a"), _clock);
        var ex = Assert.Throws<SessionHandshakeException>(() => lowOrder.Complete(new SessionAccepted { SessionId = ByteString.CopyFrom(new byte[16]), ServerEphemeralKey = ByteString.CopyFrom(new byte[32]) }));
        Assert.StartsWith("server_ephemeral_key:", ex.Message);

        var shortId = SessionOpenRequest.Create(signer, SessionProtocol.NetworkServer, SeededRandomSource.FromLabel("b"), _clock);
        ex = Assert.Throws<SessionHandshakeException>(() => shortId.Complete(new SessionAccepted { SessionId = ByteString.CopyFrom(new byte[15]), ServerEphemeralKey = ByteString.CopyFrom(new byte[32]) }));
        Assert.Equal("session_id: must be 16 bytes, got 15", ex.Message);
    }

    [Fact]
    public void Open_for_another_audience_is_refused()
    {
        var signer = new EnvelopeSigner(_hotspot, _clock, SeededRandomSource.FromLabel("nonces"));
        var request = SessionOpenRequest.Create(signer, SessionProtocol.NetworkServer, SeededRandomSource.FromLabel("eph"), _clock);
        var outcome = AcceptOpen(request.Body);
        Assert.False(outcome.IsAccepted);
        Assert.Equal("audience: this service is \"coverage-oracle\", the request names \"network-server\"", outcome.Problem);
        Assert.Throws<ArgumentException>(() => SessionOpenRequest.Create(signer, "somewhere-else", SeededRandomSource.FromLabel("eph"), _clock));
    }

    [Fact]
    public void Session_of_one_service_is_unknown_at_another()
    {
        var sealer = OpenSession();
        var otherRegistry = new SessionRegistry(SessionProtocol.NetworkServer, new SessionRegistryOptions(), _clock, SeededRandomSource.FromLabel("session-tests/server"));
        var other = new SessionFrameVerifier(otherRegistry, new EnvelopeVerifierOptions(), _clock);
        var result = other.Verify<WitnessReport>(sealer.SealToBytes(SampleWitness()));
        Assert.Equal(EnvelopeFailure.UnknownSession, result.Failure);
        Assert.Contains("open a new session", result.Detail);
        Assert.True(result.Failure.MeansReopen());
    }

    [Fact]
    public void Forgotten_session_is_unknown_and_expired_session_is_refused_then_forgotten()
    {
        var sealer = OpenSession();
        _clock.Advance(TimeSpan.FromHours(24));
        var expired = _frames.Verify<WitnessReport>(sealer.SealToBytes(SampleWitness()));
        Assert.Equal(EnvelopeFailure.ExpiredSession, expired.Failure);
        Assert.Equal("expired_session", expired.Failure.Code());
        Assert.Equal(EnvelopeFailure.UnknownSession, _frames.Verify<WitnessReport>(sealer.SealToBytes(SampleWitness())).Failure);

        var fresh = OpenSession();
        _registry.Clear(); // what a restart does
        Assert.Equal(EnvelopeFailure.UnknownSession, _frames.Verify<WitnessReport>(fresh.SealToBytes(SampleWitness())).Failure);
    }

    [Fact]
    public void Frame_outside_the_envelope_time_window_is_refused()
    {
        var sealer = OpenSession();
        var wire = sealer.SealToBytes(SampleWitness());
        _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(1));
        Assert.Equal(EnvelopeFailure.Expired, _frames.Verify<WitnessReport>(wire).Failure);
    }

    [Fact]
    public void Wrong_payload_type_and_malformed_frames_are_refused_naming_the_field()
    {
        var sealer = OpenSession();
        var wrongType = _frames.Verify<BeaconReport>(sealer.SealToBytes(SampleWitness()));
        Assert.Equal(EnvelopeFailure.WrongPayloadType, wrongType.Failure);
        Assert.Contains("expected \"depin.wireless.BeaconReport\"", wrongType.Detail);

        Assert.Equal(EnvelopeFailure.Malformed, _frames.Verify<WitnessReport>(new byte[] { 0xFF, 0xFF }).Failure);
        var noTag = sealer.Seal(SampleWitness());
        noTag.Tag = ByteString.Empty;
        Assert.Equal("tag: must be 16 bytes, got 0", _frames.Verify<WitnessReport>(noTag).Detail);
        var zeroCounter = sealer.Seal(SampleWitness());
        zeroCounter.Counter = 0;
        Assert.Equal("counter: must be at least 1", _frames.Verify<WitnessReport>(zeroCounter).Detail);
        var extra = sealer.SealToBytes(SampleWitness()).Concat(new byte[] { (9 << 3) | 0, 1 }).ToArray();
        Assert.Contains("fields this version does not know", _frames.Verify<WitnessReport>(extra).Detail);
    }

    [Fact]
    public void Concurrent_sealing_uses_each_counter_once()
    {
        var sealer = OpenSession();
        var frames = new SessionFrame[800];
        Parallel.For(0, frames.Length, i => frames[i] = sealer.Seal(SampleWitness()));
        Assert.Equal(Enumerable.Range(1, frames.Length).Select(i => (ulong)i), frames.Select(f => f.Counter).Order());
        Assert.All(frames, f => Assert.True(_frames.Verify<WitnessReport>(f).IsValid));
        Assert.Equal((ulong)frames.Length, sealer.FramesSealed);
    }

    [Fact]
    public void Registry_is_bounded_per_signer_and_in_total_forgetting_the_oldest()
    {
        var registry = new SessionRegistry(SessionProtocol.CoverageOracle, new SessionRegistryOptions { MaxSessions = 3, MaxSessionsPerSigner = 2 }, _clock, SeededRandomSource.FromLabel("bounded"));
        var frames = new SessionFrameVerifier(registry, new EnvelopeVerifierOptions(), _clock);
        var a1 = OpenSession(registry, _hotspot);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var a2 = OpenSession(registry, _hotspot);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var a3 = OpenSession(registry, _hotspot); // third of one signer: a1 forgotten
        Assert.Equal(EnvelopeFailure.UnknownSession, frames.Verify<WitnessReport>(a1.SealToBytes(SampleWitness())).Failure);
        Assert.True(frames.Verify<WitnessReport>(a2.SealToBytes(SampleWitness())).IsValid);

        using var other = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("other hotspot"));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var b1 = OpenSession(registry, other);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var b2 = OpenSession(registry, other); // registry of 3 full: the oldest (a2) forgotten
        Assert.Equal(3, registry.Count);
        Assert.Equal(EnvelopeFailure.UnknownSession, frames.Verify<WitnessReport>(a2.SealToBytes(SampleWitness())).Failure);
        Assert.All(new[] { a3, b1, b2 }, s => Assert.True(frames.Verify<WitnessReport>(s.SealToBytes(SampleWitness())).IsValid));
    }

    [Fact]
    public void Expired_sessions_are_evicted_when_new_ones_open()
    {
        var registry = new SessionRegistry(SessionProtocol.CoverageOracle, new SessionRegistryOptions { Ttl = TimeSpan.FromMinutes(10) }, _clock, SeededRandomSource.FromLabel("ttl"));
        OpenSession(registry, _hotspot);
        OpenSession(registry, _hotspot);
        Assert.Equal(2, registry.Count);
        _clock.Advance(TimeSpan.FromMinutes(10));
        OpenSession(registry, _hotspot);
        Assert.Equal(1, registry.Count);
    }

    [Fact]
    public void Options_refuse_nonsense_naming_the_option()
    {
        Assert.Equal("MaxSessions: must be at least 1, got 0", Assert.Throws<ArgumentException>(() => new SessionRegistryOptions { MaxSessions = 0 }.Validate()).Message);
        Assert.StartsWith("Ttl:", Assert.Throws<ArgumentException>(() => new SessionRegistryOptions { Ttl = TimeSpan.Zero }.Validate()).Message);
        Assert.StartsWith("MaxSessionsPerSigner:", Assert.Throws<ArgumentException>(() => new SessionRegistryOptions { MaxSessionsPerSigner = 0 }.Validate()).Message);
    }

    [Fact]
    public void Content_type_names_the_generated_message()
    {
        Assert.Equal("application/x-protobuf; proto=depin.wireless.SessionFrame", SessionProtocol.FrameContentType);
    }

    [Theory]
    [InlineData("application/x-protobuf; proto=depin.wireless.SessionFrame", true)]
    [InlineData("Application/X-Protobuf;proto=\"depin.wireless.SessionFrame\"", true)]
    [InlineData("application/x-protobuf; charset=binary; PROTO=depin.wireless.SessionFrame", true)]
    [InlineData("application/x-protobuf", false)]
    [InlineData("application/x-protobuf; proto=depin.wireless.SignedEnvelope", false)]
    [InlineData("application/json; proto=depin.wireless.SessionFrame", false)]
    [InlineData(null, false)]
    public void Frame_content_type_is_recognised_only_with_the_frame_parameter(string? contentType, bool isFrame)
    {
        Assert.Equal(isFrame, SessionProtocol.IsFrameContentType(contentType));
    }

    private SessionSealer OpenSession() => OpenSession(_registry, _hotspot);

    private SessionSealer OpenSession(SessionRegistry registry, KeyPair hotspot)
    {
        var signer = new EnvelopeSigner(hotspot, _clock, SystemRandomSource.Instance);
        var request = SessionOpenRequest.Create(signer, SessionProtocol.CoverageOracle, SystemRandomSource.Instance, _clock);
        var outcome = AcceptOpen(request.Body, registry);
        Assert.True(outcome.IsAccepted, outcome.Problem);
        return request.Complete(outcome.Accepted!.ToByteArray());
    }

    private SessionOpenOutcome AcceptOpen(byte[] body, SessionRegistry? registry = null)
    {
        var verified = _envelopes.Verify<SessionOpen>(body);
        Assert.True(verified.IsValid, verified.ToString());
        return (registry ?? _registry).Open(verified, body);
    }

    private WitnessReport SampleWitness() => new()
    {
        HotspotKey = ByteString.CopyFrom(_hotspot.PublicKey.Bytes),
        Data = ByteString.CopyFrom(Enumerable.Range(0, 51).Select(i => (byte)i).ToArray()),
        SignalDdbm = -1080,
        SnrCdb = 55,
        FrequencyHz = 868_100_000,
        Datarate = "SF12BW125",
        TimestampNs = 1_763_719_260_000_000_000,
        Tmst = 123_456,
    };
}

public sealed class CounterReplayWindowTests
{
    [Fact]
    public void Accepts_each_counter_once_within_the_window_and_refuses_older()
    {
        var window = new CounterReplayWindow();
        Assert.Equal(CounterCheck.TooOld, window.TryAccept(0));
        Assert.Equal(CounterCheck.Fresh, window.TryAccept(5));
        Assert.Equal(CounterCheck.Fresh, window.TryAccept(3));
        Assert.Equal(CounterCheck.Replayed, window.TryAccept(3));
        Assert.Equal(CounterCheck.Replayed, window.TryAccept(5));
        Assert.Equal(CounterCheck.Fresh, window.TryAccept(1028)); // window now 5..1028
        Assert.Equal(CounterCheck.TooOld, window.TryAccept(4));
        Assert.Equal(CounterCheck.Replayed, window.TryAccept(5));
        Assert.Equal(CounterCheck.Fresh, window.TryAccept(6));
        Assert.Equal(1028UL, window.Highest);
    }

    [Fact]
    public void A_jump_beyond_the_window_forgets_every_old_bit()
    {
        var window = new CounterReplayWindow();
        for (ulong c = 1; c <= 2000; c++)
        {
            Assert.Equal(CounterCheck.Fresh, window.TryAccept(c));
        }

        Assert.Equal(CounterCheck.Fresh, window.TryAccept(10_000));
        // 10_000 - 1023 .. 9_999 were never seen, although their ring bits were set by 1..2000 before the jump.
        for (ulong c = 10_000 - CounterReplayWindow.Size + 1; c < 10_000; c++)
        {
            Assert.Equal(CounterCheck.Fresh, window.TryAccept(c));
        }

        Assert.Equal(CounterCheck.TooOld, window.TryAccept(10_000 - CounterReplayWindow.Size));
    }

    [Fact]
    public void Sliding_by_less_than_the_window_clears_only_the_entering_counters()
    {
        var window = new CounterReplayWindow();
        Assert.Equal(CounterCheck.Fresh, window.TryAccept(1));
        Assert.Equal(CounterCheck.Fresh, window.TryAccept(1 + CounterReplayWindow.Size - 1)); // 1 still inside
        Assert.Equal(CounterCheck.Replayed, window.TryAccept(1));
        Assert.Equal(CounterCheck.Fresh, window.TryAccept(1 + CounterReplayWindow.Size)); // 1's bit reused: 1 is now too old
        Assert.Equal(CounterCheck.TooOld, window.TryAccept(1));
        Assert.Equal(CounterCheck.Replayed, window.TryAccept(1 + CounterReplayWindow.Size));
    }
}

public sealed class SessionDisposalTests
{
    [Fact]
    public void A_disposed_sealer_refuses_to_seal_and_a_forgotten_session_refuses_frames_in_flight()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));
        using var hotspot = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("disposal"));
        using var envelopes = new EnvelopeVerifier(new EnvelopeVerifierOptions(), clock, new InMemoryReplayGuard(clock));
        var registry = new SessionRegistry(SessionProtocol.NetworkServer, new SessionRegistryOptions(), clock, SeededRandomSource.FromLabel("srv"));
        var request = SessionOpenRequest.Create(new EnvelopeSigner(hotspot, clock, SystemRandomSource.Instance), SessionProtocol.NetworkServer, SystemRandomSource.Instance, clock);
        var outcome = registry.Open(envelopes.Verify<SessionOpen>(request.Body), request.Body);
        var sealer = request.Complete(outcome.Accepted!);
        var report = new PacketReport { Payload = ByteString.CopyFrom(1, 2, 3) };
        var frame = sealer.SealToBytes(report);

        Assert.True(registry.Forget(outcome.Accepted!.SessionId.Span));
        Assert.False(registry.Forget(outcome.Accepted.SessionId.Span));
        Assert.Equal(EnvelopeFailure.UnknownSession, new SessionFrameVerifier(registry, new EnvelopeVerifierOptions(), clock).Verify<PacketReport>(frame).Failure);

        sealer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => sealer.Seal(report));
    }
}
