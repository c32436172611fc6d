using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Xunit;

namespace DePin.Wireless.TestSupport;

/// <summary>
/// A real ganache EVM node (npm, tools/node) on a free loopback port: deterministic wallet, chain id 1337,
/// instant mining. Started with node, ready once eth_chainId answers, killed on dispose.
/// </summary>
public sealed class GanacheServer : IAsyncDisposable
{
    /// <summary>Chain id passed with --chain.chainId.</summary>
    public const ulong ChainId = 1337;

    /// <summary>
    /// Private keys of the first accounts of ganache's --wallet.deterministic mnemonic
    /// ("myth like bonus scare over problem client lizard pioneer submit female collect"), each funded with 1000 ETH.
    /// </summary>
    public static readonly IReadOnlyList<string> DeterministicPrivateKeys =
    [
        "0x4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d",
        "0x6cbed15c793ce57650b9877cf6fa156fbef513c4e6134f022a85b1ffdd59b2a1",
        "0x6370fd033278c143179d81c5526140625662b8daa446c22ee2d73db3707e620c",
    ];

    private readonly Process _process;
    private readonly StringBuilder _output;

    private GanacheServer(Process process, int port, StringBuilder output)
    {
        _process = process;
        Port = port;
        _output = output;
    }

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    public static async Task<GanacheServer> StartAsync(CancellationToken ct = default)
    {
        var cli = Path.Combine(RepoPaths.NodeModules, "ganache", "dist", "node", "cli.js");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException($"ganache not found at {cli}: run 'npm ci' in tools/node");
        }

        var port = FreePort.Tcp();
        var psi = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { cli, "--server.host", "127.0.0.1", "--server.port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--wallet.deterministic", "--chain.chainId", ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--logging.quiet" })
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new GanacheServer(process, port, output);
        try
        {
            await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60), ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"ganache exited with {_process.ExitCode}: {Output}");
            }

            try
            {
                using var response = await http.PostAsJsonAsync(Endpoint, new { jsonrpc = "2.0", id = 1, method = "eth_chainId", @params = Array.Empty<object>() }, ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // Slow start on a busy machine.
            }

            await Task.Delay(100, ct);
        }

        throw new TimeoutException($"ganache did not answer on port {Port} within {timeout}: {Output}");
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

/// <summary>xunit fixture: one ganache node per test class or collection.</summary>
public sealed class GanacheFixture : IAsyncLifetime
{
    private GanacheServer? _server;

    public GanacheServer Server => _server ?? throw new InvalidOperationException("ganache not started");

    public async Task InitializeAsync() => _server = await GanacheServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
