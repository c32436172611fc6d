using DePin.Wireless.Core.Identity;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Core.Tests.Identity;

public sealed class EnvelopeTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private readonly ManualTimeProvider _signerClock = new(Start);
    private readonly ManualTimeProvider _receiverClock = new(Start);
    private readonly InMemoryReplayGuard _guard;
    private readonly EnvelopeVerifier _verifier;

    public EnvelopeTests()
    {
        _guard = new InMemoryReplayGuard(_receiverClock);
        _verifier = new EnvelopeVerifier(new EnvelopeVerifierOptions(), _receiverClock, _guard);
    }

    public static TheoryData<KeyType> KeyTypesData => [KeyType.Ed25519, KeyType.EcdsaP256];

    public void Dispose() => _verifier.Dispose();

    [Theory]
    [MemberData(nameof(KeyTypesData))]
    public void Valid_envelope_yields_payload_signer_and_time(KeyType type)
    {
        using var key = KeyPair.Generate(type, SystemRandomSource.Instance);
        var signer = new EnvelopeSigner(key, _signerClock, SystemRandomSource.Instance);
        var report = SampleBeacon(key);
        var envelope = signer.Sign(report);

        Assert.Equal("depin.wireless.BeaconReport", envelope.PayloadType);
        Assert.Equal(16, envelope.Nonce.Length);
        Assert.Equal((ulong)Start.ToUnixTimeMilliseconds(), envelope.TimestampMs);

        var result = _verifier.Verify<BeaconReport>(signer.SignToBytes(report));
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(EnvelopeFailure.None, result.Failure);
        Assert.Equal(report, result.ValidPayload);
        Assert.Equal(key.PublicKey, result.Signer);
        Assert.Equal(Start, result.Timestamp);
    }

    [Theory]
    [MemberData(nameof(KeyTypesData))]
    public void Signature_covers_the_envelope_serialized_with_signature_empty(KeyType type)
    {
        using var key = KeyPair.Generate(type, SystemRandomSource.Instance);
        var envelope = new EnvelopeSigner(key, _signerClock, SystemRandomSource.Instance).Sign(SampleBeacon(key));
        var unsigned = envelope.Clone();
        unsigned.Signature = ByteString.Empty;
        Assert.True(key.PublicKey.Verify(unsigned.ToByteArray(), envelope.Signature.Span));
    }

    [Theory]
    [MemberData(nameof(KeyTypesData))]
    public void Flipping_any_bit_of_the_wire_bytes_is_refused(KeyType type)
    {
        using var key = KeyPair.Generate(type, SystemRandomSource.Instance);
        var wire = new EnvelopeSigner(key, _signerClock, SystemRandomSource.Instance).SignToBytes(SampleBeacon(key));
        for (var i = 0; i < wire.Length; i++)
        {
            foreach (var bit in new byte[] { 0x01, 0x10, 0x80 })
            {
                var tampered = (byte[])wire.Clone();
                tampered[i] ^= bit;
                var result = _verifier.Authenticate<BeaconReport>(ParseOrEmpty(tampered));
                Assert.False(result.IsValid, $"byte {i} ^ 0x{bit:x2} still verifies");
            }
        }

        Assert.True(_verifier.Verify<BeaconReport>(wire).IsValid);
    }

    [Theory]
    [MemberData(nameof(KeyTypesData))]
    public void Tampered_fields_fail_the_signature(KeyType type)
    {
        using var key = KeyPair.Generate(type, SystemRandomSource.Instance);
        var original = new EnvelopeSigner(key, _signerClock, SystemRandomSource.Instance).Sign(SampleBeacon(key));

        var payload = original.Clone();
        var payloadBytes = payload.Payload.ToByteArray();
        payloadBytes[^1] ^= 0x01;
        payload.Payload = ByteString.CopyFrom(payloadBytes);
        Assert.Equal(EnvelopeFailure.BadSignature, _verifier.Authenticate<BeaconReport>(payload).Failure);

        var timestamp = original.Clone();
        timestamp.TimestampMs -= 1;
        Assert.Equal(EnvelopeFailure.BadSignature, _verifier.Authenticate<BeaconReport>(timestamp).Failure);

        var nonce = original.Clone();
        var nonceBytes = nonce.Nonce.ToByteArray();
        nonceBytes[3] ^= 0x40;
        nonce.Nonce = ByteString.CopyFrom(nonceBytes);
        Assert.Equal(EnvelopeFailure.BadSignature, _verifier.Authenticate<BeaconReport>(nonce).Failure);

        using var impostor = KeyPair.Generate(type, SystemRandomSource.Instance);
        var swappedKey = original.Clone();
        swappedKey.SignerKey = ByteString.CopyFrom(impostor.PublicKey.Bytes);
        var swapped = _verifier.Authenticate<BeaconReport>(swappedKey);
        Assert.Equal(EnvelopeFailure.BadSignature, swapped.Failure);
        Assert.Contains("signature: does not verify", swapped.Detail, StringComparison.Ordinal);

        var brokenKey = original.Clone();
        var keyBytes = brokenKey.SignerKey.ToByteArray();
        keyBytes[0] = 0x05;
        brokenKey.SignerKey = ByteString.CopyFrom(keyBytes);
        var broken = _verifier.Authenticate<BeaconReport>(brokenKey);
        Assert.Equal(EnvelopeFailure.MalformedKey, broken.Failure);
        Assert.Contains("signer_key: unknown key type tag 0x05", broken.Detail, StringComparison.Ordinal);

        var offCurve = original.Clone();
        offCurve.SignerKey = ByteString.CopyFrom(Convert.FromHexString("0802" + "0000000000000000000000000000000000000000000000000000000000000001"));
        var notOnCurve = _verifier.Authenticate<BeaconReport>(offCurve);
        Assert.Equal(EnvelopeFailure.MalformedKey, notOnCurve.Failure);
        Assert.Contains("not a point on the curve", notOnCurve.Detail, StringComparison.Ordinal);

        var otherType = original.Clone();
        otherType.SignerKey = ByteString.CopyFrom(KeyPair.Generate(type == KeyType.Ed25519 ? KeyType.EcdsaP256 : KeyType.Ed25519, SystemRandomSource.Instance).PublicKey.Bytes);
        Assert.Equal(EnvelopeFailure.BadSignature, _verifier.Authenticate<BeaconReport>(otherType).Failure);

        Assert.True(_verifier.Authenticate<BeaconReport>(original).IsValid);
    }

    [Theory]
    [MemberData(nameof(KeyTypesData))]
    public void Old_envelopes_expire_at_the_window_edge(KeyType type)
    {
        using var key = KeyPair.Generate(type, SystemRandomSource.Instance);
        var envelope = new EnvelopeSigner(key, _signerClock, SystemRandomSource.Instance).Sign(SampleBeacon(key));

        _receiverClock.Advance(TimeSpan.FromMinutes(5));
        Assert.True(_verifier.Authenticate<BeaconReport>(envelope).IsValid);

        _receiverClock.Advance(TimeSpan.FromMilliseconds(1));
        var result = _verifier.Verify<BeaconReport>(envelope);
        Assert.Equal(EnvelopeFailure.Expired, result.Failure);
        Assert.Contains("timestamp_ms:", result.Detail, StringComparison.Ordinal);
        Assert.Contains("300.0 s old (allowed 300 s)", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KeyTypesData))]
    public void Envelopes_from_the_future_beyond_the_skew_are_refused(KeyType type)
    {
        using var key = KeyPair.Generate(type, SystemRandomSource.Instance);
        var signer = new EnvelopeSigner(key, _signerClock, SystemRandomSource.Instance);

        _signerClock.Now = Start + TimeSpan.FromSeconds(30);
        Assert.True(_verifier.Verify<BeaconReport>(signer.Sign(SampleBeacon(key))).IsValid);

        _signerClock.Now = Start + TimeSpan.FromSeconds(30) + TimeSpan.FromMilliseconds(1);
        var result = _verifier.Verify<BeaconReport>(signer.Sign(SampleBeacon(key)));
        Assert.Equal(EnvelopeFailure.FromFuture, result.Failure);
        Assert.Contains("ahead of this receiver's clock", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KeyTypesData))]
    public void Replayed_envelopes_are_refused_within_the_window(KeyType type)
    {
        using var key = KeyPair.Generate(type, SystemRandomSource.Instance);
        var wire = new EnvelopeSigner(key, _signerClock, SystemRandomSource.Instance).SignToBytes(SampleBeacon(key));

        Assert.True(_verifier.Verify<BeaconReport>(wire).IsValid);
        _receiverClock.Advance(TimeSpan.FromMinutes(4));
        var replay = _verifier.Verify<BeaconReport>(wire);
        Assert.Equal(EnvelopeFailure.Replayed, replay.Failure);
        Assert.Equal(key.PublicKey, replay.Signer);

        // After the window the nonce is forgotten, and the envelope is refused as expired instead.
        _receiverClock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(EnvelopeFailure.Expired, _verifier.Verify<BeaconReport>(wire).Failure);
    }

    [Fact]
    public void Same_nonce_from_different_signers_is_not_a_replay()
    {
        using var a = KeyPair.Generate(KeyType.Ed25519, SystemRandomSource.Instance);
        using var b = KeyPair.Generate(KeyType.EcdsaP256, SystemRandomSource.Instance);
        var fromA = new EnvelopeSigner(a, _signerClock, new SeededRandomSource([9])).Sign(SampleBeacon(a));
        var fromB = new EnvelopeSigner(b, _signerClock, new SeededRandomSource([9])).Sign(SampleBeacon(b));
        Assert.Equal(fromA.Nonce, fromB.Nonce);
        Assert.True(_verifier.Verify<BeaconReport>(fromA).IsValid);
        Assert.True(_verifier.Verify<BeaconReport>(fromB).IsValid);
    }

    [Fact]
    public void Forged_envelopes_do_not_consume_nonces()
    {
        using var key = KeyPair.Generate(KeyType.Ed25519, SystemRandomSource.Instance);
        var envelope = new EnvelopeSigner(key, _signerClock, SystemRandomSource.Instance).Sign(SampleBeacon(key));
        var forged = envelope.Clone();
        forged.Payload = new BeaconReport { Channel = 99 }.ToByteString();
        Assert.Equal(EnvelopeFailure.BadSignature, _verifier.Verify<BeaconReport>(forged).Failure);
        Assert.Equal(0, _guard.Count);
        Assert.True(_verifier.Verify<BeaconReport>(envelope).IsValid);
    }

    [Fact]
    public void Wrong_payload_type_is_refused_naming_both_types()
    {
        using var key = KeyPair.Generate(KeyType.Ed25519, SystemRandomSource.Instance);
        var envelope = new EnvelopeSigner(key, _signerClock, SystemRandomSource.Instance).Sign(SampleBeacon(key));
        var result = _verifier.Verify<WitnessReport>(envelope);
        Assert.Equal(EnvelopeFailure.WrongPayloadType, result.Failure);
        Assert.Equal("payload_type: is \"depin.wireless.BeaconReport\", expected \"depin.wireless.WitnessReport\"", result.Detail);
        Assert.Throws<InvalidOperationException>(() => result.ValidPayload);
    }

    [Fact]
    public void Malformed_envelopes_are_refused_naming_the_problem()
    {
        using var key = KeyPair.Generate(KeyType.Ed25519, SystemRandomSource.Instance);
        var signer = new EnvelopeSigner(key, _signerClock, SystemRandomSource.Instance);

        var garbage = _verifier.Verify<BeaconReport>(new byte[] { 0xFF, 0xFF, 0xFF });
        Assert.Equal(EnvelopeFailure.Malformed, garbage.Failure);
        Assert.StartsWith("envelope: not a SignedEnvelope", garbage.Detail, StringComparison.Ordinal);

        var shortNonce = signer.Sign(SampleBeacon(key));
        shortNonce.Nonce = ByteString.CopyFrom(new byte[15]);
        Assert.Equal("nonce: must be 16 bytes, got 15", _verifier.Verify<BeaconReport>(shortNonce).Detail);

        var unsigned = signer.Sign(SampleBeacon(key));
        unsigned.Signature = ByteString.Empty;
        Assert.Equal("signature: must be 64 bytes, got 0", _verifier.Verify<BeaconReport>(unsigned).Detail);

        // A field number this version does not know (15, varint 1) appended to valid wire bytes.
        var wire = signer.SignToBytes(SampleBeacon(key)).Concat(new byte[] { 15 << 3, 1 }).ToArray();
        var unknown = _verifier.Verify<BeaconReport>(wire);
        Assert.Equal(EnvelopeFailure.Malformed, unknown.Failure);
        Assert.Contains("fields this version does not know", unknown.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Signed_payload_that_does_not_parse_is_malformed()
    {
        using var key = KeyPair.Generate(KeyType.Ed25519, SystemRandomSource.Instance);
        var envelope = new SignedEnvelope
        {
            SignerKey = ByteString.CopyFrom(key.PublicKey.Bytes),
            TimestampMs = (ulong)Start.ToUnixTimeMilliseconds(),
            Nonce = ByteString.CopyFrom(new byte[16]),
            PayloadType = BeaconReport.Descriptor.FullName,
            Payload = ByteString.CopyFrom(0xFF, 0xFF),
        };
        envelope.Signature = ByteString.CopyFrom(key.Sign(envelope.ToByteArray()));
        var result = _verifier.Verify<BeaconReport>(envelope);
        Assert.Equal(EnvelopeFailure.Malformed, result.Failure);
        Assert.StartsWith("payload: not a valid depin.wireless.BeaconReport", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_guard_evicts_by_time_and_fails_closed_when_full()
    {
        var clock = new ManualTimeProvider(Start);
        var guard = new InMemoryReplayGuard(clock, capacity: 3);
        using var key = KeyPair.Generate(KeyType.Ed25519, SystemRandomSource.Instance);
        var nonces = Enumerable.Range(0, 5).Select(i => Enumerable.Repeat((byte)i, 16).ToArray()).ToArray();

        Assert.Equal(ReplayCheck.Fresh, guard.TryRecord(key.PublicKey, nonces[0], Start + TimeSpan.FromSeconds(10)));
        Assert.Equal(ReplayCheck.Fresh, guard.TryRecord(key.PublicKey, nonces[1], Start + TimeSpan.FromSeconds(20)));
        Assert.Equal(ReplayCheck.Fresh, guard.TryRecord(key.PublicKey, nonces[2], Start + TimeSpan.FromSeconds(30)));
        Assert.Equal(ReplayCheck.Replayed, guard.TryRecord(key.PublicKey, nonces[1], Start + TimeSpan.FromSeconds(20)));
        Assert.Equal(ReplayCheck.Full, guard.TryRecord(key.PublicKey, nonces[3], Start + TimeSpan.FromSeconds(40)));

        clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(ReplayCheck.Fresh, guard.TryRecord(key.PublicKey, nonces[3], Start + TimeSpan.FromSeconds(40)));
        Assert.Equal(3, guard.Count);
        Assert.Equal(ReplayCheck.Full, guard.TryRecord(key.PublicKey, nonces[4], Start + TimeSpan.FromSeconds(50)));

        // nonces[0] expired at +10 s and was forgotten; nonces[1] expires at +20 s.
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(ReplayCheck.Fresh, guard.TryRecord(key.PublicKey, nonces[0], Start + TimeSpan.FromSeconds(50)));
        Assert.Equal(ReplayCheck.Replayed, guard.TryRecord(key.PublicKey, nonces[2], Start + TimeSpan.FromSeconds(30)));
        Assert.Equal(3, guard.Count);
    }

    [Fact]
    public void Full_guard_is_reported_as_its_own_failure()
    {
        var verifier = new EnvelopeVerifier(new EnvelopeVerifierOptions(), _receiverClock, new InMemoryReplayGuard(_receiverClock, capacity: 1));
        using var key = KeyPair.Generate(KeyType.Ed25519, SystemRandomSource.Instance);
        var signer = new EnvelopeSigner(key, _signerClock, SystemRandomSource.Instance);
        Assert.True(verifier.Verify<BeaconReport>(signer.Sign(SampleBeacon(key))).IsValid);
        Assert.Equal(EnvelopeFailure.ReplayGuardFull, verifier.Verify<BeaconReport>(signer.Sign(SampleBeacon(key))).Failure);
    }

    [Fact]
    public void Window_options_are_validated()
    {
        var ex = Assert.Throws<ArgumentException>(() => new EnvelopeVerifier(new EnvelopeVerifierOptions { MaxAge = TimeSpan.Zero }, _receiverClock, _guard));
        Assert.Contains("MaxAge: must be positive", ex.Message, StringComparison.Ordinal);
    }

    private static BeaconReport SampleBeacon(KeyPair key) => new()
    {
        HotspotKey = ByteString.CopyFrom(key.PublicKey.Bytes),
        LocalEntropy = ByteString.CopyFrom(1, 2, 3, 4),
        RemoteEntropy = ByteString.CopyFrom(new byte[32]),
        RemoteEntropyTimestampS = 1_763_719_200,
        Data = ByteString.CopyFrom(Enumerable.Range(0, 51).Select(i => (byte)i).ToArray()),
        FrequencyHz = 868_100_000,
        Channel = 0,
        Datarate = "SF12BW125",
        TxPowerDdbm = 140,
        TimestampNs = 1_763_719_260_000_000_000,
        Tmst = 123_456,
    };

    private static SignedEnvelope ParseOrEmpty(byte[] wire)
    {
        try
        {
            return SignedEnvelope.Parser.ParseFrom(wire);
        }
        catch (InvalidProtocolBufferException)
        {
            return new SignedEnvelope();
        }
    }
}
