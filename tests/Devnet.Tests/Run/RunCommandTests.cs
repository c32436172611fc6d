using System.Net;
using System.Text.Json;
using DePin.Wireless.Devnet.Run;
using DePin.Wireless.Devnet.Serving;
using DePin.Wireless.TestSupport;

namespace DePin.Wireless.Devnet.Tests.Run;

/// <summary>The `run` command as a user starts it: the built executable, its exit code and messages.</summary>
public sealed class RunCommandTests : IDisposable
{
    private static readonly string Executable = Path.Combine(AppContext.BaseDirectory, "DePin.Wireless.Devnet");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "devnet-run-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("--hotspots", "-3", "--hotspots: -3")]
    [InlineData("--devices", "-1", "--devices: -1")]
    [InlineData("--hours", "0", "--hours: 0")]
    [InlineData("--region", "XX999", "unknown region 'XX999'")]
    [InlineData("--adversaries", "50", "--adversaries: 50 is more than --hotspots 10")]
    [InlineData("--serve-port", "70000", "--serve-port: 70000")]
    public async Task Bad_values_are_refused_with_a_message_naming_the_option(string option, string value, string expected)
    {
        string[] hotspots = option == "--hotspots" ? [] : ["--hotspots", "10"];
        var result = await ExternalProcess.RunAsync(Executable, ["run", .. hotspots, "--out", _directory, "--no-serve", option, value], timeout: TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, RunOutputWriter.SummaryFile)));
    }

    [Fact]
    public async Task An_output_directory_that_cannot_be_created_is_refused_before_simulating()
    {
        var blocker = Path.Combine(_directory, "a-file");
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(blocker, "not a directory");
        var result = await ExternalProcess.RunAsync(Executable, ["run", "--hotspots", "5", "--out", Path.Combine(blocker, "out"), "--no-serve"], timeout: TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--out: cannot write to", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_small_run_writes_every_output_and_prints_a_summary_table()
    {
        var result = await ExternalProcess.RunAsync(Executable, ["run", "--hotspots", "15", "--devices", "5", "--hours", "2", "--seed", "3", "--adversaries", "3", "--out", _directory, "--no-serve"], timeout: TimeSpan.FromSeconds(120));
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("beacons sent / valid", result.StdOut, StringComparison.Ordinal);
        foreach (var file in new[] { RunOutputWriter.SummaryFile, RunOutputWriter.RewardsFile, RunOutputWriter.CoverageFile, RunOutputWriter.HotspotsFile, RunOutputWriter.LinksFile, RunOutputWriter.AdversariesFile })
        {
            Assert.True(File.Exists(Path.Combine(_directory, file)), file);
        }

        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, RunOutputWriter.SummaryFile)));
        Assert.Equal(3, summary.RootElement.GetProperty("seed").GetInt32());
        Assert.Equal(15, summary.RootElement.GetProperty("hotspots").GetInt32());
        Assert.Equal(3, summary.RootElement.GetProperty("adversaries").GetProperty("count").GetInt32());
        Assert.True(summary.RootElement.GetProperty("wall_clock_seconds").GetDouble() > 0);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(_directory, RunOutputWriter.AdversariesFile)).Length);
    }

    [Fact]
    public async Task The_map_host_serves_the_run_through_the_oracles_map_api_on_a_free_port()
    {
        RunResult result;
        using (var simulation = new DevnetSimulation(new RunOptions { Hotspots = 10, Devices = 0, Hours = 1, Seed = 4, OutputDirectory = _directory }))
        {
            result = simulation.Run();
        }

        await using var host = new CoverageMapHost();
        var url = await host.StartAsync(result, 0, CancellationToken.None);
        Assert.Equal("127.0.0.1", url.Host);
        Assert.NotEqual(0, url.Port);
        using var http = new HttpClient { BaseAddress = url };
        using var coverage = JsonDocument.Parse(await http.GetStringAsync("api/coverage"));
        Assert.Equal(result.Coverage.Count, coverage.RootElement.GetProperty("features").GetArrayLength());
        using var epochs = JsonDocument.Parse(await http.GetStringAsync("api/epochs"));
        Assert.Equal(0, epochs.RootElement[0].GetProperty("epoch").GetInt32());
        using var hotspots = JsonDocument.Parse(await http.GetStringAsync("api/hotspots?epoch=0"));
        Assert.Equal(10, hotspots.RootElement.GetProperty("features").GetArrayLength());
        using var links = JsonDocument.Parse(await http.GetStringAsync("api/witness-links?epoch=latest"));
        Assert.Equal(result.Links.DistinctBy(l => (l.Beaconer, l.Witness)).Count(), links.RootElement.GetProperty("features").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("api/coverage?epoch=soon")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("api/coverage?epoch=7")).StatusCode);
    }
}
