using DePin.Wireless.Core.Identity;
using DePin.Wireless.CoverageOracle.Denylist;
using DePin.Wireless.Proto;
using DePin.Wireless.TestSupport;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.Tests.Denylist;

/// <summary>The signed denylist file: signing, verification refusals and the key list it is made from.</summary>
public sealed class SignedDenylistTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private readonly KeyPair _authority = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("denylist-authority"));
    private readonly KeyPair _hotspotA = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("a"));
    private readonly KeyPair _hotspotB = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("b"));
    private readonly ManualTimeProvider _time = new(T0);

    internal static byte[] Signed(KeyPair authority, TimeProvider time, ulong version, params KeyPair[] denied)
    {
        var release = new DenylistRelease { Version = version };
        release.HotspotKeys.AddRange(denied.Select(k => ByteString.CopyFrom(k.PublicKey.Bytes)));
        return DenylistFile.Sign(release, authority, time, SeededRandomSource.FromLabel($"nonce-{version}"));
    }

    [Fact]
    public void Signed_release_reads_back_as_addresses_with_its_version_and_time()
    {
        var release = new DenylistRelease { Version = 7 };
        release.HotspotKeys.Add(ByteString.CopyFrom(_hotspotA.PublicKey.Bytes));
        release.DeniedEdges.Add(new DeniedEdge { A = ByteString.CopyFrom(_hotspotA.PublicKey.Bytes), B = ByteString.CopyFrom(_hotspotB.PublicKey.Bytes) });
        var bytes = DenylistFile.Sign(release, _authority, _time, SeededRandomSource.FromLabel("n"));

        var list = DenylistFile.Parse(bytes, _authority.PublicKey, "test");

        Assert.Equal(7UL, list.Version);
        Assert.Equal(T0, list.SignedAt);
        Assert.Equal([_hotspotA.PublicKey.ToAddress()], list.Hotspots);
        Assert.Equal([(_hotspotA.PublicKey.ToAddress(), _hotspotB.PublicKey.ToAddress())], list.DeniedEdges);
    }

    [Fact]
    public void Release_signed_by_another_key_is_refused()
    {
        var bytes = Signed(_hotspotB, _time, 1, _hotspotA);
        var ex = Assert.Throws<InvalidDataException>(() => DenylistFile.Parse(bytes, _authority.PublicKey, "f"));
        Assert.Contains("signer_key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tampered_release_fails_the_signature()
    {
        var envelope = SignedEnvelope.Parser.ParseFrom(Signed(_authority, _time, 1, _hotspotA));
        var release = DenylistRelease.Parser.ParseFrom(envelope.Payload);
        release.HotspotKeys.Clear(); // someone removes their hotspot from the list
        envelope.Payload = release.ToByteString();

        var ex = Assert.Throws<InvalidDataException>(() => DenylistFile.Parse(envelope.ToByteArray(), _authority.PublicKey, "f"));
        Assert.Contains("signature does not verify", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsigned_envelope_is_refused()
    {
        var envelope = SignedEnvelope.Parser.ParseFrom(Signed(_authority, _time, 1, _hotspotA));
        envelope.Signature = ByteString.Empty;
        Assert.Contains("signature", Assert.Throws<InvalidDataException>(() => DenylistFile.Parse(envelope.ToByteArray(), _authority.PublicKey, "f")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_payload_signed_by_the_authority_is_refused()
    {
        var bytes = new EnvelopeSigner(_authority, _time, SeededRandomSource.FromLabel("n")).SignToBytes(new Proto.Entropy { Version = 1 });
        var ex = Assert.Throws<InvalidDataException>(() => DenylistFile.Parse(bytes, _authority.PublicKey, "f"));
        Assert.Contains("payload_type", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_is_not_a_signed_envelope()
    {
        var ex = Assert.Throws<InvalidDataException>(() => DenylistFile.Parse("hello, world"u8, _authority.PublicKey, "f"));
        Assert.Contains("f:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_key_inside_a_correctly_signed_release_is_refused_naming_the_entry()
    {
        var release = new DenylistRelease { Version = 1 };
        release.HotspotKeys.Add(ByteString.CopyFrom(_hotspotA.PublicKey.Bytes));
        release.HotspotKeys.Add(ByteString.CopyFrom(9, 9, 9));
        var bytes = DenylistFile.Sign(release, _authority, _time, SeededRandomSource.FromLabel("n"));
        var ex = Assert.Throws<InvalidDataException>(() => DenylistFile.Parse(bytes, _authority.PublicKey, "f"));
        Assert.Contains("hotspot_keys[1]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_list_takes_addresses_edges_and_comments()
    {
        var text = $"# denied after review\n\n{_hotspotA.PublicKey.ToAddress()}\n  {_hotspotA.PublicKey.ToAddress()}   {_hotspotB.PublicKey.ToAddress()}  \n";
        var release = DenylistKeyList.Parse(new StringReader(text), 3, "keys.txt");
        Assert.Equal(3UL, release.Version);
        Assert.Equal(_hotspotA.PublicKey.Bytes.ToArray(), release.HotspotKeys.Single().ToByteArray());
        Assert.Equal(_hotspotB.PublicKey.Bytes.ToArray(), release.DeniedEdges.Single().B.ToByteArray());
    }

    [Theory]
    [InlineData("not-an-address", "keys.txt line 2")]
    [InlineData("a b c", "found 3 fields")]
    public void Key_list_errors_name_the_line(string badLine, string expected)
    {
        var text = $"{_hotspotA.PublicKey.ToAddress()}\n{badLine}\n";
        var ex = Assert.Throws<InvalidDataException>(() => DenylistKeyList.Parse(new StringReader(text), 1, "keys.txt"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Authority_address_is_checked()
    {
        Assert.Equal(_authority.PublicKey, DenylistFile.ParseAuthority(_authority.PublicKey.ToAddress(), "--denylist-key"));
        Assert.Contains("--denylist-key", Assert.Throws<ArgumentException>(() => DenylistFile.ParseAuthority("xyz", "--denylist-key")).Message, StringComparison.Ordinal);
        Assert.Contains("required", Assert.Throws<ArgumentException>(() => DenylistFile.ParseAuthority(null, "DenylistKey")).Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _authority.Dispose();
        _hotspotA.Dispose();
        _hotspotB.Dispose();
    }
}

/// <summary>Reloading the denylist file when it changes, keeping the current list when the new file is bad.</summary>
public sealed class DenylistMonitorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("denylist-").FullName;
    private readonly KeyPair _authority = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("denylist-authority"));
    private readonly KeyPair _a = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("a"));
    private readonly KeyPair _b = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("b"));
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));

    private string PathOf => Path.Combine(_directory, "denylist.bin");

    /// <summary>Writes the file and moves its modification time forward, as a replacement file would have.</summary>
    private void Write(byte[] bytes, int second)
    {
        File.WriteAllBytes(PathOf, bytes);
        File.SetLastWriteTimeUtc(PathOf, new DateTime(2026, 3, 10, 12, 0, second, DateTimeKind.Utc));
    }

    [Fact]
    public void Changed_file_is_reloaded_and_bad_or_older_ones_keep_the_current_list()
    {
        Write(SignedDenylistTests.Signed(_authority, _time, 1, _a), 1);
        var monitor = DenylistMonitor.Open(PathOf, _authority.PublicKey);
        Assert.Equal([_a.PublicKey.ToAddress()], monitor.Current.Hotspots);
        Assert.Equal(DenylistReload.Unchanged, monitor.Poll());

        Write(SignedDenylistTests.Signed(_authority, _time, 2, _a, _b), 2);
        Assert.Equal(DenylistReload.Loaded, monitor.Poll());
        Assert.Equal(2UL, monitor.Current.Version);
        Assert.Equal(2, monitor.Current.Hotspots.Count);

        Write(SignedDenylistTests.Signed(_b, _time, 3), 3); // wrong signer: would clear the list
        Assert.Equal(DenylistReload.Refused, monitor.Poll());
        Assert.Equal(2UL, monitor.Current.Version);
        Assert.Contains("signer_key", monitor.LastError, StringComparison.Ordinal);

        Write(SignedDenylistTests.Signed(_authority, _time, 1), 4); // an old, empty release replayed
        Assert.Equal(DenylistReload.Refused, monitor.Poll());
        Assert.Contains("older", monitor.LastError, StringComparison.Ordinal);
        Assert.Equal(2, monitor.Current.Hotspots.Count);

        File.Delete(PathOf);
        Assert.Equal(DenylistReload.Refused, monitor.Poll());
        Assert.Equal(2, monitor.Current.Hotspots.Count);

        Write(SignedDenylistTests.Signed(_authority, _time, 4, _b), 5);
        Assert.Equal(DenylistReload.Loaded, monitor.Poll());
        Assert.Null(monitor.LastError);
        Assert.Equal([_b.PublicKey.ToAddress()], monitor.Current.Hotspots);
    }

    [Fact]
    public void Bad_file_at_start_is_refused()
    {
        Write([1, 2, 3], 1);
        Assert.Throws<InvalidDataException>(() => DenylistMonitor.Open(PathOf, _authority.PublicKey));
        Assert.Throws<FileNotFoundException>(() => DenylistMonitor.Open(Path.Combine(_directory, "missing.bin"), _authority.PublicKey));
    }

    [Fact]
    public async Task Polling_loop_reports_reloads_on_its_interval()
    {
        Write(SignedDenylistTests.Signed(_authority, _time, 1, _a), 1);
        var monitor = DenylistMonitor.Open(PathOf, _authority.PublicKey);
        var reloads = new System.Collections.Concurrent.BlockingCollection<(DenylistReload, ulong)>();
        using var cts = new CancellationTokenSource();
        var loop = monitor.RunAsync(TimeSpan.FromSeconds(10), _time, (outcome, current, _) => reloads.Add((outcome, current.Version)), cts.Token);

        Write(SignedDenylistTests.Signed(_authority, _time, 5, _b), 2);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(reloads.TryTake(out var reload, TimeSpan.FromSeconds(10)));
        Assert.Equal((DenylistReload.Loaded, 5UL), reload);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
    }

    public void Dispose()
    {
        _authority.Dispose();
        _a.Dispose();
        _b.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
