using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using DePin.Wireless.DataCredits.Charging;
using DePin.Wireless.DataCredits.Evm;
using DePin.Wireless.DataCredits.Ledger;
using DePin.Wireless.DataCredits.Tests.Ledger;
using DePin.Wireless.TestSupport;

namespace DePin.Wireless.DataCredits.Tests.Cli;

[Collection(PostgresCollection.Name)]
public sealed class CliTests : IClassFixture<GanacheFixture>
{
    private readonly PostgresFixture _postgres;
    private readonly GanacheServer _ganache;

    public CliTests(PostgresFixture postgres, GanacheFixture ganache)
    {
        _postgres = postgres;
        _ganache = ganache.Server;
    }

    private static JsonElement Json(ExternalProcess.Result r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.StdErr}{r.StdOut}");
        return JsonDocument.Parse(r.StdOut).RootElement.Clone();
    }

    [Fact]
    public async Task Deploy_burn_sync_and_balance_end_to_end()
    {
        var rpc = _ganache.Endpoint.ToString();
        var key = GanacheServer.DeterministicPrivateKeys[0];
        var db = await _postgres.Server.CreateDatabaseAsync("cli");
        var payer = "0x" + new string('a', 64);

        var token = Json(await CliProcess.RunAsync("chain", "deploy", "--rpc", rpc, "--key", key)).GetProperty("token").GetString()!;
        Assert.Matches("^0x[0-9a-fA-F]{40}$", token);

        var tx = Json(await CliProcess.RunAsync("chain", "burn", "--rpc", rpc, "--key", key, "--token", token, "--payer", payer, "--amount", "250000000")).GetProperty("tx").GetString()!;
        Assert.Matches("^0x[0-9a-f]{64}$", tx);

        var sync = Json(await CliProcess.RunAsync("sync", "--rpc", rpc, "--token", token, "--db", db, "--confirmations", "1", "--token-price-usd", "2", "--once"));
        Assert.Equal(1, sync.GetProperty("credited").GetInt32());

        // 2.5 tokens × $2 = $5 = 500,000 DC.
        var balance = Json(await CliProcess.RunAsync("balance", "--db", db, "--payer", payer));
        Assert.Equal(payer, balance.GetProperty("payer").GetString());
        Assert.Equal(500_000, balance.GetProperty("dc").GetInt64());

        // Running the sync again credits nothing more.
        Json(await CliProcess.RunAsync("sync", "--rpc", rpc, "--token", token, "--db", db, "--confirmations", "1", "--token-price-usd", "2", "--once"));
        Assert.Equal(500_000, Json(await CliProcess.RunAsync("balance", "--db", db, "--payer", payer)).GetProperty("dc").GetInt64());
    }

    [Theory]
    [InlineData("--payer", "balance", "--db", "Host=127.0.0.1", "--payer", "0x1234")]
    [InlineData("--amount", "chain", "burn", "--rpc", "http://127.0.0.1:1", "--key", "0x4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d", "--token", "0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1", "--payer", "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "--amount", "-5")]
    [InlineData("--key", "chain", "deploy", "--rpc", "http://127.0.0.1:1", "--key", "0xzz")]
    [InlineData("--token-price-usd", "sync", "--rpc", "http://127.0.0.1:1", "--token", "0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1", "--db", "Host=127.0.0.1", "--token-price-usd", "free")]
    [InlineData("--rpc", "chain", "deploy", "--rpc", "not a url", "--key", "0x4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d")]
    public async Task Bad_input_exits_non_zero_naming_the_field(string field, params string[] args)
    {
        var r = await CliProcess.RunAsync(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(field, r.StdErr);
        Assert.Equal(string.Empty, r.StdOut.Trim());
    }

    [Fact]
    public async Task Serve_exposes_charging_balance_and_organisation_admin()
    {
        var port = FreePort.Tcp();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { CliProcess.Dll, "serve", "--listen", $"http://127.0.0.1:{port}", "--db", await _postgres.Server.CreateDatabaseAsync("serve"), "--minimum-balance", "10" })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        try
        {
            var firstLine = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Contains("listening", firstLine);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            var payer = "0x" + new string('b', 64);

            var put = await http.PutAsJsonAsync("v1/organisations/42", new { payer, maxCopies = 2 });
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
            Assert.False((await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
            (await http.PostAsJsonAsync($"v1/payers/{payer}/credit", new { dc = 12 })).EnsureSuccessStatusCode();

            var charger = new HttpPacketCharger(http);
            var packet = new Hash32(Keccak.Hash256("uplink"));
            var first = await charger.ChargeAsync(new ChargeRequest(packet, 42, 30, "hotspot-1"), CancellationToken.None);
            Assert.Equal(ChargeOutcome.Charged, first.Outcome);
            Assert.Equal(2, first.Dc);
            Assert.Equal(10, first.BalanceDc);
            Assert.True(first.OrganisationEnabled);
            var second = await charger.ChargeAsync(new ChargeRequest(packet, 42, 30, "hotspot-2"), CancellationToken.None);
            Assert.Equal(ChargeOutcome.Charged, second.Outcome);
            Assert.False(second.OrganisationEnabled);
            Assert.Equal(ChargeOutcome.CopyLimitReached, (await charger.ChargeAsync(new ChargeRequest(packet, 42, 30, "hotspot-3"), CancellationToken.None)).Outcome);

            var balance = await http.GetFromJsonAsync<JsonElement>($"v1/balance/{payer}");
            Assert.Equal(8, balance.GetProperty("dc").GetInt64());

            (await http.PostAsJsonAsync($"v1/payers/{payer}/credit", new { dc = 10 })).EnsureSuccessStatusCode();
            var other = new Hash32(Keccak.Hash256("uplink-2")).ToString();
            var batch = await http.PostAsJsonAsync("v1/charge/batch", new[]
            {
                new { packetHash = other, oui = 42, payloadSize = 10, hotspot = "hotspot-1" },
                new { packetHash = other, oui = 42, payloadSize = 10, hotspot = "hotspot-1" },
            });
            Assert.True(batch.IsSuccessStatusCode, await batch.Content.ReadAsStringAsync());
            var outcomes = (await batch.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(e => e.GetProperty("outcome").GetString()).ToList();
            Assert.Equal(["charged", "duplicateCopy"], outcomes);
            Assert.Equal(17, (await http.GetFromJsonAsync<JsonElement>($"v1/balance/{payer}")).GetProperty("dc").GetInt64());
            var badBatch = await http.PostAsJsonAsync("v1/charge/batch", new[] { new { packetHash = other, oui = 42, payloadSize = -1, hotspot = "h" } });
            Assert.Equal(400, (int)badBatch.StatusCode);
            var orgs = await http.GetFromJsonAsync<JsonElement>("v1/organisations");
            Assert.Equal(42UL, orgs[0].GetProperty("oui").GetUInt64());

            var bad = await http.PostAsJsonAsync("v1/charge", new { packetHash = "0x12", oui = 42, payloadSize = 3, hotspot = "h" });
            Assert.Equal(400, (int)bad.StatusCode);
            Assert.Contains("packetHash", await bad.Content.ReadAsStringAsync());
            var missing = await http.PostAsJsonAsync("v1/charge", new { packetHash = packet.ToString(), payloadSize = 3, hotspot = "h" });
            Assert.Equal(400, (int)missing.StatusCode);
            Assert.Contains("oui", await missing.Content.ReadAsStringAsync());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
