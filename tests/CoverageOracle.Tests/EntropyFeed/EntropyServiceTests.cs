using System.Security.Cryptography;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.CoverageOracle.EntropyFeed;
using DePin.Wireless.CoverageOracle.Storage;
using DePin.Wireless.Proto;
using DePin.Wireless.TestSupport;

namespace DePin.Wireless.CoverageOracle.Tests.EntropyFeed;

public sealed class EntropyServiceTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("entropy-").FullName;
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));
    private readonly KeyPair _oracle = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("oracle"));
    private ReportFileStore _store = null!;

    public Task InitializeAsync()
    {
        _store = new ReportFileStore(new ReportFileStoreOptions { Directory = _dir, Prefix = "entropy" }, _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private EntropyService Service(IChainHead? chain = null, int capacity = 64) => new(
        new EntropyServiceOptions { RecentCapacity = capacity },
        new EntropySource(SeededRandomSource.FromLabel("entropy"), chain),
        new EnvelopeSigner(_oracle, _time, SeededRandomSource.FromLabel("nonces")),
        _store,
        _time);

    [Fact]
    public async Task Tick_publishes_a_value_signed_by_the_oracle_and_persists_it()
    {
        var service = Service();
        var record = await service.TickAsync(default);
        using var verifier = new EnvelopeVerifier(new EnvelopeVerifierOptions(), _time, new InMemoryReplayGuard(_time));
        var verified = verifier.Verify<Proto.Entropy>(service.CurrentEnvelope!);
        Assert.True(verified.IsValid, verified.Detail);
        Assert.Equal(_oracle.PublicKey, verified.Signer);
        Assert.Equal(record.Data, verified.ValidPayload.Data.ToByteArray());
        Assert.Equal((ulong)_time.GetUtcNow().ToUnixTimeSeconds(), verified.ValidPayload.TimestampS);
        Assert.Same(record, service.Find(record.Data));

        await _store.DisposeAsync();
        var stored = ReportFileStore.ListFiles(_dir, "entropy", DateTimeOffset.MinValue, DateTimeOffset.MaxValue)
            .SelectMany(f => ReportFileStore.ReadFile(f.Path, IngestRecord.Parser, out _)).Single();
        Assert.Equal(service.CurrentEnvelope, Google.Protobuf.MessageExtensions.ToByteArray(stored.Envelope));
        _store = new ReportFileStore(new ReportFileStoreOptions { Directory = _dir, Prefix = "entropy" }, _time);
    }

    [Fact]
    public async Task A_new_value_every_60_seconds()
    {
        var service = Service();
        using var cts = new CancellationTokenSource();
        var run = service.RunAsync(ex => throw ex, cts.Token);
        await WaitUntil(() => service.CurrentEnvelope is not null);
        var first = service.CurrentEnvelope;
        _time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(50);
        Assert.Same(first, service.CurrentEnvelope);
        _time.Advance(TimeSpan.FromSeconds(1));
        await WaitUntil(() => !ReferenceEquals(first, service.CurrentEnvelope));
        await cts.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Only_the_most_recent_values_are_kept()
    {
        var service = Service(capacity: 4);
        var records = new List<DePin.Wireless.CoverageOracle.Verification.EntropyRecord>();
        for (var i = 0; i < 5; i++)
        {
            records.Add(await service.TickAsync(default));
            _time.Advance(TimeSpan.FromSeconds(60));
        }

        Assert.Null(service.Find(records[0].Data));
        Assert.All(records.Skip(1), r => Assert.NotNull(service.Find(r.Data)));
    }

    [Fact]
    public void Capacity_must_cover_the_lifespan() =>
        Assert.Throws<ArgumentException>(() => new EntropyServiceOptions { RecentCapacity = 3 }.Validate());

    [Fact]
    public async Task With_a_chain_the_value_is_sha256_of_block_hash_and_time()
    {
        var hash = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray();
        var record = await Service(new FixedChain(hash)).TickAsync(default);
        var expected = SHA256.HashData([.. hash, .. BitConverter.GetBytes((ulong)_time.GetUtcNow().ToUnixTimeSeconds())]);
        Assert.Equal(expected, record.Data);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    /// <summary>A chain whose head does not move: the entropy must then change only with time.</summary>
    private sealed class FixedChain(byte[] hash) : IChainHead
    {
        public Task<byte[]> LatestBlockHashAsync(CancellationToken cancellationToken) => Task.FromResult(hash);
    }
}
