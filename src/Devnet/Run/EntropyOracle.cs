using DePin.Wireless.Devnet.Medium;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Poc;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Devnet.Run;

/// <summary>
/// The oracle's entropy service on simulated time: every 60 s a new 32-byte value from the run's seeded stream,
/// signed by the oracle key into a <see cref="SignedEnvelope"/>. Hotspots take the latest one only after checking
/// that envelope (as a hotspot fetching it over HTTP would); the verifier knows every published value.
/// </summary>
public sealed class EntropyOracle : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(60);

    private readonly KeyPair _key;
    private readonly IRandomSource _entropyStream;
    private readonly IRandomSource _nonces;
    private readonly InMemoryReplayGuard _replayGuard;
    private readonly SimulationClock _clock;

    public EntropyOracle(int seed, SimulationClock clock)
    {
        var root = SeededRandomSource.FromLabel(FormattableString.Invariant($"devnet/{seed}/oracle"));
        _key = KeyPair.Generate(KeyType.Ed25519, root.Derive("key"));
        _entropyStream = root.Derive("entropy");
        _nonces = root.Derive("nonces");
        _clock = clock;
        _replayGuard = new InMemoryReplayGuard(clock);
    }

    public PublicKey OracleKey => _key.PublicKey;

    /// <summary>The latest verified entropy, as hotspots hold it.</summary>
    public Entropy? Current { get; private set; }

    /// <summary>Generates, signs and publishes the entropy for <paramref name="at"/>; returns the verifier's record of it.</summary>
    public EntropyRecord Publish(DateTimeOffset at)
    {
        var data = new byte[BeaconPayload.RemoteEntropyLength];
        _entropyStream.Fill(data);
        var entropy = new Entropy
        {
            Data = ByteString.CopyFrom(data),
            TimestampS = (ulong)at.ToUnixTimeSeconds(),
            Version = 1,
            OracleKey = ByteString.CopyFrom(_key.PublicKey.Bytes),
        };
        var wire = new EnvelopeSigner(_key, new FixedTimeProvider(at), _nonces).SignToBytes(entropy);
        using var verifier = new EnvelopeVerifier(new EnvelopeVerifierOptions(), _clock, _replayGuard);
        var checkedEntropy = verifier.Verify<Entropy>(wire);
        if (!checkedEntropy.IsValid || checkedEntropy.Signer != _key.PublicKey)
        {
            throw new InvalidOperationException($"entropy oracle: the published entropy envelope did not verify: {checkedEntropy}");
        }

        Current = checkedEntropy.ValidPayload;
        return new EntropyRecord(data, DateTimeOffset.FromUnixTimeSeconds((long)entropy.TimestampS));
    }

    public void Dispose() => _key.Dispose();
}
