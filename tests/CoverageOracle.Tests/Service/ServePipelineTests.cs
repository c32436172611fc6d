using System.Net.Http.Headers;
using System.Text.Json;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.CoverageOracle.Map;
using DePin.Wireless.CoverageOracle.Rewards;
using DePin.Wireless.CoverageOracle.Service;
using DePin.Wireless.CoverageOracle.Tests.Denylist;
using DePin.Wireless.CoverageOracle.VerifyRunner;
using DePin.Wireless.Proto;
using DePin.Wireless.TestSupport;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.Tests.Service;

/// <summary>
/// serve end to end over HTTP on a manual clock: signed reports ingested → windows verified (with the signed
/// denylist) → epoch closed with rewards → the epoch listed and served by the map API.
/// </summary>
public sealed class ServePipelineTests : IAsyncDisposable
{
    private static readonly RewardEpoch Epoch = new(20522);
    private static readonly GeoPoint Origin = new(52.0, 5.0);

    private readonly string _directory = Directory.CreateTempSubdirectory("serve-pipeline-").FullName;
    private readonly ManualTimeProvider _time = new(Epoch.End - TimeSpan.FromMinutes(10));
    private readonly KeyPair _authority = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("denylist-authority"));
    private readonly KeyPair _beaconer = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("beaconer"));
    private readonly KeyPair _witness = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("witness"));
    private readonly KeyPair _denied = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("denied"));
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Ingested_reports_become_a_verified_epoch_in_the_map()
    {
        var options = await OptionsAsync();
        var coverage = new InMemoryCoverageSource();
        await using var server = await OracleServer.CreateAsync(options, _time, SeededRandomSource.FromLabel("oracle"), coverage,
            [app => CoverageMapEndpoints.Map(app, coverage, Path.Combine(AppContext.BaseDirectory, "map"))], CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var errors = new List<Exception>();
        var run = await ServeTestKit.StartAsync(server, errors.Add, cts.Token);
        _http.BaseAddress = server.Address;

        var entropy = await ServeTestKit.EntropyAsync(_http);
        _time.Advance(TimeSpan.FromSeconds(20));
        var (beacon, dataRate, beaconReport) = ServeTestKit.Beacon(_beaconer, entropy);
        await PostAsync("/v1/beacon-reports", _beaconer, beaconReport);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        foreach (var key in new[] { _witness, _denied })
        {
            await PostAsync("/v1/witness-reports", key, ServeTestKit.Witness(key, beacon, dataRate, _time.GetUtcNow()));
        }

        // Before the epoch's last window has settled nothing is published.
        using (var none = JsonDocument.Parse(await _http.GetStringAsync("/api/epochs")))
        {
            Assert.Equal(0, none.RootElement.GetArrayLength());
        }

        _time.SetUtcNow(Epoch.End + TimeSpan.FromSeconds(options.VerifySettleSeconds + options.VerifyPollSeconds));
        await ServeTestKit.WaitForEpochAsync(_http, Epoch);

        var byAddress = await ServeTestKit.HotspotsAsync(_http, Epoch);
        Assert.Equal("valid", byAddress[_beaconer.PublicKey.ToAddress()].GetProperty("status").GetString());
        Assert.Equal("valid", byAddress[_witness.PublicKey.ToAddress()].GetProperty("status").GetString());
        var denied = byAddress[_denied.PublicKey.ToAddress()];
        Assert.Equal("penalised", denied.GetProperty("status").GetString());
        Assert.Equal(["denied"], denied.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("0", denied.GetProperty("reward").GetString());
        var paid = byAddress.Values.Sum(h => decimal.Parse(h.GetProperty("reward").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(decimal.Parse(options.EpochEmission, System.Globalization.CultureInfo.InvariantCulture), paid);

        using var links = JsonDocument.Parse(await _http.GetStringAsync($"/api/witness-links?epoch={Epoch.Number}"));
        var link = Assert.Single(links.RootElement.GetProperty("features").EnumerateArray()).GetProperty("properties");
        Assert.Equal(_beaconer.PublicKey.ToAddress(), link.GetProperty("beaconer").GetString());
        Assert.Equal(_witness.PublicKey.ToAddress(), link.GetProperty("witness").GetString());
        Assert.Equal(-100.0, link.GetProperty("rssi").GetDouble());

        using var cells = JsonDocument.Parse(await _http.GetStringAsync($"/api/coverage?epoch={Epoch.Number}"));
        Assert.Single(cells.RootElement.GetProperty("features").EnumerateArray());
        Assert.True(File.Exists(Path.Combine(options.ReportsDirectory, ContinuousVerifier.ProgressFileName)));
        Assert.Equal(Epoch.End, server.Verification!.NextWindow);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Serving_oracle_reloads_a_changed_denylist_and_keeps_it_when_the_next_is_bad()
    {
        var options = await OptionsAsync();
        await using var server = await OracleServer.CreateAsync(options, _time, SeededRandomSource.FromLabel("oracle"), null, [], CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var run = await ServeTestKit.StartAsync(server, errors.Enqueue, cts.Token);
        _http.BaseAddress = server.Address;
        Assert.Equal(1UL, server.Denylist!.Current.Version);

        await File.WriteAllBytesAsync(options.DenylistFile!, SignedDenylistTests.Signed(_authority, _time, 2, _denied, _witness));
        File.SetLastWriteTimeUtc(options.DenylistFile!, DateTime.UtcNow.AddSeconds(5));
        await AdvanceUntilAsync(options, () => server.Denylist.Current.Version == 2);
        Assert.Contains(_witness.PublicKey.ToAddress(), server.Denylist.Current.Hotspots);
        Assert.Contains("oracle_denylist_version 2", await _http.GetStringAsync("/metrics"), StringComparison.Ordinal);

        await File.WriteAllBytesAsync(options.DenylistFile!, [1, 2, 3]);
        File.SetLastWriteTimeUtc(options.DenylistFile!, DateTime.UtcNow.AddSeconds(10));
        await AdvanceUntilAsync(options, () => !errors.IsEmpty);
        Assert.Contains("keeping version 2", Assert.Single(errors).Message, StringComparison.Ordinal);
        Assert.Equal(2UL, server.Denylist.Current.Version);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    private async Task AdvanceUntilAsync(OracleOptions options, Func<bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "the denylist poll did not act within 30 s");
            _time.Advance(TimeSpan.FromSeconds(options.DenylistPollSeconds));
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Bad_denylist_refuses_to_start()
    {
        var options = await OptionsAsync();
        await File.WriteAllBytesAsync(options.DenylistFile!, SignedDenylistTests.Signed(_beaconer, _time, 1, _denied)); // not the authority
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => OracleServer.CreateAsync(options, _time, SeededRandomSource.FromLabel("oracle"), new InMemoryCoverageSource(), [], CancellationToken.None));
        Assert.Contains("signer_key", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(options.OracleKeyFile)); // nothing was set up
    }

    private async Task<OracleOptions> OptionsAsync()
    {
        var registry = Path.Combine(_directory, "registry.json");
        await ServeTestKit.WriteRegistryAsync(registry, (_beaconer, Origin), (_witness, GreatCircle.Destination(Origin, 90, 2000)), (_denied, GreatCircle.Destination(Origin, 180, 3000)));
        var denylist = Path.Combine(_directory, "denylist.bin");
        await File.WriteAllBytesAsync(denylist, SignedDenylistTests.Signed(_authority, _time, 1, _denied));
        return new OracleOptions
        {
            Port = FreePort.Tcp(),
            ReportsDirectory = Path.Combine(_directory, "reports"),
            OracleKeyFile = Path.Combine(_directory, "oracle.key"),
            RegistryFile = registry,
            DenylistFile = denylist,
            DenylistKey = _authority.PublicKey.ToAddress(),
            // One entropy for the whole test (the clock jumps 17 minutes); the verifier's own 180 s lifespan still applies.
            EntropyIntervalSeconds = 3600,
            EntropyLifespanSeconds = 3600,
            BootstrapReciprocity = true,
            EpochEmission = "1000000",
        };
    }

    private async Task PostAsync(string path, KeyPair key, IMessage report)
    {
        using var content = new ByteArrayContent(new EnvelopeSigner(key, _time, SeededRandomSource.FromLabel(path + key.PublicKey)).SignToBytes(report));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var response = await _http.PostAsync(path, content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        _authority.Dispose();
        _beaconer.Dispose();
        _witness.Dispose();
        _denied.Dispose();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
