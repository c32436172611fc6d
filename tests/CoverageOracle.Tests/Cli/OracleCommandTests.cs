using System.Text.Json;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.CoverageOracle.Tests.Registry;
using DePin.Wireless.CoverageOracle.Tests.VerifyRunner;
using DePin.Wireless.TestSupport;

namespace DePin.Wireless.CoverageOracle.Tests.Cli;

/// <summary>The verify, rewards, onboard and assert commands run as the built program.</summary>
[Collection("postgres")]
public sealed class OracleCommandTests(PostgresFixture pg)
{
    private static Task<ExternalProcess.Result> RunAsync(params string[] args) =>
        ExternalProcess.RunAsync("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "DePin.Wireless.CoverageOracle.dll"), .. args], timeout: TimeSpan.FromMinutes(1));

    [Fact]
    public async Task Verify_then_rewards_over_a_stored_window()
    {
        await using var world = new StoredWorld();
        var beaconer = world.Add("beaconer", StoredWorld.Origin);
        var witness = world.Add("witness", GreatCircle.Destination(StoredWorld.Origin, 90, 2000));
        await world.WriteEntropyAsync();
        var data = await world.WriteBeaconAsync(beaconer, TimeSpan.FromSeconds(20));
        await world.WriteWitnessAsync(witness, data, TimeSpan.FromSeconds(20.5));
        var registry = await world.WriteRegistryAsync();
        await world.FlushAsync();
        var outDir = Path.Combine(world.Directory, "out");

        var verify = await RunAsync("verify", "--reports", world.Reports, "--from", "2026-03-10T12:00:00Z", "--to", "2026-03-10T12:30:00Z", "--out", outDir, "--registry", registry, "--bootstrap-reciprocity");
        Assert.True(verify.ExitCode == 0, verify.StdErr);
        using var summary = JsonDocument.Parse(verify.StdOut);
        Assert.Equal(1, summary.RootElement.GetProperty("valid_pocs").GetInt32());
        Assert.Equal(1, summary.RootElement.GetProperty("selected_witnesses").GetInt32());

        var csv = Path.Combine(world.Directory, "rewards.csv");
        var rewards = await RunAsync("rewards", "--epoch", "20522", "--reports", outDir, "--registry", registry, "--emission", "1000000", "--csv", csv);
        Assert.True(rewards.ExitCode == 0, rewards.StdErr);
        using var doc = JsonDocument.Parse(rewards.StdOut);
        Assert.Equal("1000000", doc.RootElement.GetProperty("distributed").GetString());
        var lines = (await File.ReadAllLinesAsync(csv)).Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0]);
        Assert.Equal("0.25", lines[beaconer.PublicKey.ToAddress()][1]); // W = 1: 1/4 beaconer unit, scale 1
        Assert.Equal("1", lines[witness.PublicKey.ToAddress()][2]);
    }

    [Fact]
    public async Task Verify_with_a_bad_time_names_the_option()
    {
        var r = await RunAsync("verify", "--reports", Path.GetTempPath(), "--from", "yesterday", "--to", "1", "--registry", "x.json");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--from", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Onboard_then_assert_in_postgres()
    {
        var db = await pg.Server.CreateDatabaseAsync("admin");
        using var key = Ingest.SignedReports.HotspotKey("admin-hotspot");
        var address = key.PublicKey.ToAddress();
        var onboard = await RunAsync("onboard", "--db", db, "--public-key", Convert.ToHexString(key.PublicKey.Bytes), "--owner", "alice", "--region", "EU868");
        Assert.True(onboard.ExitCode == 0, onboard.StdErr);
        Assert.Contains(address, onboard.StdOut, StringComparison.Ordinal);
        var assert = await RunAsync("assert", "--db", db, "--hotspot", address, "--location", "52.0,5.0", "--gain-dbi", "2.5", "--elevation", "12");
        Assert.True(assert.ExitCode == 0, assert.StdErr);
        var registry = new DePin.Wireless.CoverageOracle.Registry.PostgresHotspotRegistry(Npgsql.NpgsqlDataSource.Create(db));
        var info = await registry.GetAsync(address);
        Assert.Equal(DePin.Wireless.Core.H3.H3Grid.LatLngToCell(52.0, 5.0, 12).Value, info!.Location);
        Assert.Equal(25, info.GainDeciDbi);

        var unknownRegion = await RunAsync("onboard", "--db", db, "--public-key", address, "--owner", "a", "--region", "XX1");
        Assert.NotEqual(0, unknownRegion.ExitCode);
        Assert.Contains("--region", unknownRegion.StdErr, StringComparison.Ordinal);
        var notOnboarded = await RunAsync("assert", "--db", db, "--hotspot", "nobody", "--location", "52.0,5.0");
        Assert.NotEqual(0, notOnboarded.ExitCode);
        Assert.Contains("not onboarded", notOnboarded.StdErr, StringComparison.Ordinal);
    }
}
