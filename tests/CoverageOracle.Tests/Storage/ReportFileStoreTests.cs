using DePin.Wireless.CoverageOracle.Storage;
using DePin.Wireless.Proto;
using DePin.Wireless.TestSupport;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.Tests.Storage;

public sealed class ReportFileStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "depin-store-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static IngestRecord Record(int i) => new()
    {
        ReceivedMs = (ulong)(1000 + i),
        Envelope = new SignedEnvelope { Nonce = ByteString.CopyFrom(BitConverter.GetBytes(i)), PayloadType = "t" },
    };

    [Fact]
    public async Task Appended_records_read_back_in_order_after_concurrent_appends()
    {
        await using (var store = new ReportFileStore(new ReportFileStoreOptions { Directory = _dir, Prefix = "beacon_report" }, _clock))
        {
            await Task.WhenAll(Enumerable.Range(0, 500).Select(i => store.AppendAsync(Record(i))));
            Assert.Equal(500, store.RecordsWritten);
        }

        var files = ReportFileStore.ListFiles(_dir, "beacon_report", DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        var file = Assert.Single(files);
        var records = ReportFileStore.ReadFile(file.Path, IngestRecord.Parser, out var torn);
        Assert.False(torn);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (ulong)(1000 + i)).Order(), records.Select(r => r.ReceivedMs).Order());
    }

    [Fact]
    public async Task Files_roll_every_interval_and_are_named_by_time()
    {
        await using (var store = new ReportFileStore(new ReportFileStoreOptions { Directory = _dir, Prefix = "witness_report" }, _clock))
        {
            await store.AppendAsync(Record(1));
            _clock.Advance(TimeSpan.FromMinutes(4));
            await store.AppendAsync(Record(2));
            _clock.Advance(TimeSpan.FromMinutes(1));
            await store.AppendAsync(Record(3));
        }

        var files = ReportFileStore.ListFiles(_dir, "witness_report", DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        Assert.Equal(2, files.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero), files[0].Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 5, 0, TimeSpan.Zero), files[1].Start);
        Assert.Equal(2, ReportFileStore.ReadFile(files[0].Path, IngestRecord.Parser, out _).Count);
        Assert.Single(ReportFileStore.ReadFile(files[1].Path, IngestRecord.Parser, out _));
        Assert.Empty(ReportFileStore.ListFiles(_dir, "witness_report", files[1].Start.AddSeconds(1), DateTimeOffset.MaxValue));
    }

    [Fact]
    public async Task A_torn_tail_keeps_every_complete_record()
    {
        await using (var store = new ReportFileStore(new ReportFileStoreOptions { Directory = _dir, Prefix = "beacon_report" }, _clock))
        {
            await store.AppendAsync(Record(1));
            await store.AppendAsync(Record(2));
        }

        var path = Assert.Single(ReportFileStore.ListFiles(_dir, "beacon_report", DateTimeOffset.MinValue, DateTimeOffset.MaxValue)).Path;
        var full = await File.ReadAllBytesAsync(path);
        // Simulate a crash half-way through writing a third member: its first bytes only.
        await File.WriteAllBytesAsync(path, [.. full, .. full.AsSpan(0, full.Length / 4)]);
        var records = ReportFileStore.ReadFile(path, IngestRecord.Parser, out var torn);
        Assert.True(torn);
        Assert.Equal([1001UL, 1002UL], records.Select(r => r.ReceivedMs).Order());
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new ReportFileStore(new ReportFileStoreOptions { Directory = _dir, Prefix = "a.b" }, _clock));
        Assert.Throws<ArgumentException>(() => new ReportFileStore(new ReportFileStoreOptions { Directory = _dir, Prefix = "x", RollInterval = TimeSpan.Zero }, _clock));
    }
}
