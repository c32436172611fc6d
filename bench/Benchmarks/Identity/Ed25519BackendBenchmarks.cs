using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using DePin.Wireless.Core.Identity;

namespace DePin.Wireless.Benchmarks.Identity;

/// <summary>
/// Ed25519 sign and verify through each backend on the same key and a 200-byte message (the size of a signed
/// witness report's canonical bytes), BouncyCastle as the baseline in the same run.
/// Run: dotnet run -c Release --project bench/Benchmarks -- --filter '*Ed25519BackendBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class Ed25519BackendBenchmarks
{
    private readonly byte[] _message = new byte[200];
    private readonly byte[] _signature = new byte[64];
    private Ed25519SigningKey _openSslKey = null!;
    private Ed25519SigningKey _bouncyKey = null!;
    private byte[] _publicKey = null!;

    private static Ed25519Backend OpenSsl => Ed25519Backend.OpenSsl ?? throw new InvalidOperationException("libcrypto.so.3 not available");

    [GlobalSetup]
    public void Setup()
    {
        var random = SeededRandomSource.FromLabel("bench/ed25519-backends");
        var seed = new byte[32];
        random.Fill(seed);
        random.Fill(_message);
        _openSslKey = OpenSsl.CreateSigningKey(seed);
        _bouncyKey = Ed25519Backend.BouncyCastle.CreateSigningKey(seed);
        _publicKey = OpenSsl.DerivePublicKey(seed);
        _bouncyKey.Sign(_message, _signature);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _openSslKey.Dispose();
        _bouncyKey.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Sign")]
    public void SignBouncyCastle() => _bouncyKey.Sign(_message, _signature);

    [Benchmark, BenchmarkCategory("Sign")]
    public void SignOpenSsl() => _openSslKey.Sign(_message, _signature);

    [Benchmark(Baseline = true), BenchmarkCategory("Verify")]
    public bool VerifyBouncyCastle() => Ed25519Backend.BouncyCastle.Verify(_publicKey, _message, _signature);

    [Benchmark, BenchmarkCategory("Verify")]
    public bool VerifyOpenSsl() => OpenSsl.Verify(_publicKey, _message, _signature);

    [Benchmark, BenchmarkCategory("DerivePublicKey")]
    public byte[] DeriveBouncyCastle() => Ed25519Backend.BouncyCastle.DerivePublicKey(_message.AsSpan(0, 32));

    [Benchmark, BenchmarkCategory("DerivePublicKey")]
    public byte[] DeriveOpenSsl() => OpenSsl.DerivePublicKey(_message.AsSpan(0, 32));
}
