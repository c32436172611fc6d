using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.CoverageOracle.Storage;
using DePin.Wireless.Proto;
using DePin.Wireless.TestSupport;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.Tests.Ingest;

/// <summary>`serve` as a real child process: an accepted report survives SIGKILL right after the 200.</summary>
public sealed class ServeDurabilityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("serve-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Accepted_report_is_on_disk_after_kill_9()
    {
        using var key = SignedReports.HotspotKey();
        var port = FreePort.Tcp();
        await File.WriteAllTextAsync(Path.Combine(_dir, "registry.json"), SignedReports.RegistryJson(key));
        var reports = Path.Combine(_dir, "reports");
        await File.WriteAllTextAsync(Path.Combine(_dir, "oracle.json"), JsonSerializer.Serialize(new
        {
            Port = port,
            ReportsDirectory = reports,
            OracleKeyFile = Path.Combine(_dir, "oracle.key"),
            RegistryFile = Path.Combine(_dir, "registry.json"),
        }));

        using var process = StartServe(Path.Combine(_dir, "oracle.json"));
        try
        {
            await WaitForListeningAsync(process);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

            // Entropy is served signed by the oracle key.
            var entropyBytes = await http.GetByteArrayAsync("/v1/entropy");
            using var envelopes = new EnvelopeVerifier(new EnvelopeVerifierOptions(), TimeProvider.System, new InMemoryReplayGuard(TimeProvider.System));
            var entropy = envelopes.Verify<Proto.Entropy>(entropyBytes);
            Assert.True(entropy.IsValid, entropy.Detail);
            Assert.Equal(32, entropy.ValidPayload.Data.Length);

            var body = new EnvelopeSigner(key, TimeProvider.System, SystemRandomSource.Instance).SignToBytes(SignedReports.Beacon(key));
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            using var response = await http.PostAsync("/v1/beacon-reports", content);
            var answer = await response.Content.ReadAsByteArrayAsync();
            process.Kill(); // SIGKILL on Linux: no shutdown, no flush
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var accepted = ReportAccepted.Parser.ParseFrom(answer);

            await process.WaitForExitAsync();
            var stored = ReportFileStore.ListFiles(reports, "beacon_report", DateTimeOffset.MinValue, DateTimeOffset.MaxValue)
                .SelectMany(f => ReportFileStore.ReadFile(f.Path, IngestRecord.Parser, out _)).ToList();
            var record = Assert.Single(stored);
            Assert.Equal(body, record.Envelope.ToByteArray());
            Assert.Equal(accepted.ReceivedMs, record.ReceivedMs);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task Serve_with_a_bad_config_exits_non_zero_naming_the_field()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "bad.json"), """{"Port": 70000, "RegistryFile": "x.json"}""");
        using var process = StartServe(Path.Combine(_dir, "bad.json"));
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Port", stderr, StringComparison.Ordinal);
    }

    private Process StartServe(string config)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _dir,
        };
        foreach (var a in new[] { "exec", Path.Combine(AppContext.BaseDirectory, "DePin.Wireless.CoverageOracle.dll"), "serve", "--config", config })
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi) ?? throw new InvalidOperationException("could not start serve");
    }

    private static async Task WaitForListeningAsync(Process process)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(cts.Token);
        if (line is null || !line.Contains("listening", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"serve did not start: {line} {await process.StandardError.ReadToEndAsync(cts.Token)}");
        }
    }
}
