using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Proto;
using Google.Protobuf;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace DePin.Wireless.Benchmarks.Identity;

/// <summary>
/// Signed-envelope cost against the raw library primitive on the same canonical bytes, for both key types.
/// Target: envelope sign/verify within 10% of the primitive.
/// Run: dotnet run -c Release --project bench/Benchmarks -- --filter '*EnvelopeBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class EnvelopeBenchmarks
{
    private KeyPair _key = null!;
    private EnvelopeSigner _signer = null!;
    private EnvelopeVerifier _verifier = null!;
    private BeaconReport _payload = null!;
    private SignedEnvelope _envelope = null!;
    private byte[] _wire = null!;
    private byte[] _canonical = null!;
    private byte[] _signature = null!;
    private Ed25519Signer _edSigner = null!;
    private Ed25519Signer _edVerifier = null!;
    private ECDsa _ecdsa = null!;
    private readonly byte[] _frameBuffer = new byte[1024];
    private byte[] _edSeed = null!;
    private byte[] _edPublic = null!;

    [Params(KeyType.Ed25519, KeyType.EcdsaP256)]
    public KeyType Type { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _key = KeyPair.Generate(Type, SeededRandomSource.FromLabel("bench/" + Type));
        _signer = new EnvelopeSigner(_key, TimeProvider.System, SystemRandomSource.Instance);
        _verifier = new EnvelopeVerifier(new EnvelopeVerifierOptions { MaxAge = TimeSpan.FromDays(1) }, TimeProvider.System, new InMemoryReplayGuard(TimeProvider.System));
        _payload = new BeaconReport
        {
            HotspotKey = ByteString.CopyFrom(_key.PublicKey.Bytes),
            LocalEntropy = ByteString.CopyFrom(1, 2, 3, 4),
            RemoteEntropy = ByteString.CopyFrom(new byte[32]),
            RemoteEntropyTimestampS = 1_763_719_200,
            Data = ByteString.CopyFrom(new byte[51]),
            FrequencyHz = 868_100_000,
            Datarate = "SF12BW125",
            TxPowerDdbm = 140,
            TimestampNs = 1_763_719_260_000_000_000,
            Tmst = 123_456,
        };
        _envelope = _signer.Sign(_payload);
        _wire = _envelope.ToByteArray();
        var unsigned = _envelope.Clone();
        unsigned.Signature = ByteString.Empty;
        _canonical = unsigned.ToByteArray();
        _signature = _envelope.Signature.ToByteArray();

        if (Type == KeyType.Ed25519)
        {
            _edSeed = _key.ExportPrivateKey();
            _edPublic = _key.PublicKey.KeyBytes.ToArray();
            var privateKey = new Ed25519PrivateKeyParameters(_edSeed, 0);
            _edSigner = new Ed25519Signer();
            _edSigner.Init(true, privateKey);
            _edVerifier = new Ed25519Signer();
            _edVerifier.Init(false, privateKey.GeneratePublicKey());
        }
        else
        {
            _ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = _key.ExportPrivateKey() });
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _verifier.Dispose();
        _ecdsa?.Dispose();
        _key.Dispose();
    }

    [BenchmarkCategory("sign")]
    [Benchmark(Baseline = true, Description = "primitive sign (canonical bytes)")]
    public byte[] PrimitiveSign()
    {
        if (Type == KeyType.Ed25519)
        {
            _edSigner.BlockUpdate(_canonical, 0, _canonical.Length);
            return _edSigner.GenerateSignature();
        }

        return _ecdsa.SignData(_canonical, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>Ed25519: BouncyCastle's RFC 8032 routine given the public key, which Ed25519Signer recomputes on
    /// every call and KeyPair does not. P-256: the same call as the baseline.</summary>
    [BenchmarkCategory("sign")]
    [Benchmark(Description = "primitive sign, no key re-derivation")]
    public byte[] PrimitiveSignLowLevel()
    {
        var signature = new byte[64];
        if (Type == KeyType.Ed25519)
        {
            Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Sign(_edSeed, 0, _edPublic, 0, _canonical, 0, _canonical.Length, signature, 0);
            return signature;
        }

        _ecdsa.SignData(_canonical, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signature;
    }

    [BenchmarkCategory("sign")]
    [Benchmark(Description = "envelope sign (payload -> SignedEnvelope)")]
    public SignedEnvelope EnvelopeSign() => _signer.Sign(_payload);

    [BenchmarkCategory("sign")]
    [Benchmark(Description = "envelope sign to wire bytes")]
    public byte[] EnvelopeSignToBytes() => _signer.SignToBytes(_payload);

    [BenchmarkCategory("sign")]
    [Benchmark(Description = "envelope framing only (no signature)")]
    public int EnvelopeFramingOnly() => _signer.FrameAndSerialize(_payload, _frameBuffer);

    [BenchmarkCategory("verify")]
    [Benchmark(Baseline = true, Description = "primitive verify (canonical bytes)")]
    public bool PrimitiveVerify()
    {
        if (Type == KeyType.Ed25519)
        {
            _edVerifier.BlockUpdate(_canonical, 0, _canonical.Length);
            return _edVerifier.VerifySignature(_signature);
        }

        return _ecdsa.VerifyData(_canonical, _signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    [BenchmarkCategory("verify")]
    [Benchmark(Description = "envelope authenticate (SignedEnvelope -> payload)")]
    public BeaconReport? EnvelopeAuthenticate() => _verifier.Authenticate<BeaconReport>(_envelope).Payload;

    [BenchmarkCategory("verify")]
    [Benchmark(Description = "envelope framing only (no signature check)")]
    public EnvelopeFailure EnvelopeVerifyFramingOnly() => _verifier.FramingWithoutSignatureCheck<BeaconReport>(_envelope);

    [BenchmarkCategory("verify")]
    [Benchmark(Description = "envelope authenticate from wire bytes")]
    public BeaconReport? EnvelopeAuthenticateWire() => _verifier.Authenticate<BeaconReport>(SignedEnvelope.Parser.ParseFrom(_wire)).Payload;
}

/// <summary>Cost of recording a nonce in the in-memory replay guard, in steady state (entries expiring as fast as they arrive).</summary>
[MemoryDiagnoser]
public class ReplayGuardBenchmarks
{
    private readonly SteppingTimeProvider _clock = new();
    private readonly byte[] _nonce = new byte[16];
    private InMemoryReplayGuard _guard = null!;
    private PublicKey _signer;
    private ulong _counter;

    [GlobalSetup]
    public void Setup()
    {
        _guard = new InMemoryReplayGuard(_clock);
        using var key = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("bench/guard"));
        _signer = key.PublicKey;
    }

    [Benchmark(Description = "replay guard record (fresh nonce, ~1000 live entries)")]
    public ReplayCheck Record()
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(_nonce, ++_counter);
        var now = _clock.Step();
        return _guard.TryRecord(_signer, _nonce, now + TimeSpan.FromSeconds(1));
    }

    /// <summary>Advances 1 ms per call, so with a 1 s lifetime about 1000 entries are live.</summary>
    private sealed class SteppingTimeProvider : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public DateTimeOffset Step() => _now = _now.AddMilliseconds(1);

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
