using System.Diagnostics;
using System.Net.Http.Json;
using System.Numerics;
using DePin.Wireless.DataCredits.Evm;
using DePin.Wireless.DataCredits.Ledger;
using DePin.Wireless.DataCredits.Tests.Ledger;
using DePin.Wireless.TestSupport;
using Npgsql;

namespace DePin.Wireless.DataCredits.Tests.Cli;

/// <summary>SIGKILL the real process in the middle of work, restart it, and check nothing is lost or doubled.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CrashRecoveryTests : IClassFixture<GanacheFixture>
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly PostgresFixture _postgres;
    private readonly GanacheServer _ganache;

    public CrashRecoveryTests(PostgresFixture postgres, GanacheFixture ganache)
    {
        _postgres = postgres;
        _ganache = ganache.Server;
    }

    private static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(CliProcess.Dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task KillAsync(Process process)
    {
        process.Kill(entireProcessTree: true); // SIGKILL on Linux: no shutdown code runs.
        await process.WaitForExitAsync();
    }

    [Fact]
    public async Task Sync_killed_mid_run_resumes_without_losing_or_doubling_credits()
    {
        using var http = new HttpClient();
        var client = new JsonRpcEvmClient(http, _ganache.Endpoint);
        var sender = new TransactionSender(client, EthKey.Parse(GanacheServer.DeterministicPrivateKeys[1]), new TransactionSenderOptions(), TimeProvider.System);
        var token = await DataCreditsTokenContract.DeployAsync(client, sender, BigInteger.Pow(10, 14), Ct);
        var payer = new PayerKey(new Hash32(Keccak.Hash256("crash-sync")));
        const int burns = 40;
        for (var i = 1; i <= burns; i++)
        {
            await token.BurnAsync(sender, payer.Value, i * 1000, Ct); // i DC each at $1
            for (var empty = 0; empty < 4; empty++)
            {
                await client.RequestAsync("evm_mine", [], Ct); // spread the burns so the sync takes a while
            }
        }

        const long expected = burns * (burns + 1) / 2;
        var db = await _postgres.Server.CreateDatabaseAsync("crash");
        string[] args = ["sync", "--rpc", _ganache.Endpoint.ToString(), "--token", token.Address.ToString(), "--db", db, "--confirmations", "1", "--token-price-usd", "1", "--max-blocks-per-step", "1"];

        await using var dataSource = NpgsqlDataSource.Create(db);
        var killedAt = 0L;
        var killsMidway = 0;
        for (var round = 0; round < 3 && killedAt < expected; round++)
        {
            using var process = Start(args);
            var before = killedAt;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (DateTime.UtcNow < deadline && (killedAt = await BalanceAsync(dataSource, payer)) == before)
            {
                await Task.Delay(10);
            }

            await KillAsync(process);
            killedAt = await BalanceAsync(dataSource, payer);
            killsMidway += killedAt < expected ? 1 : 0;
        }

        Assert.True(killsMidway > 0, "the sync finished before it could be killed; the test did not exercise a crash");
        var result = await CliProcess.RunAsync([.. args, "--once"]);
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal(expected, await BalanceAsync(dataSource, payer));
        await using var c = await dataSource.OpenConnectionAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM burns_credited", c);
        Assert.Equal((long)burns, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Server_killed_mid_charge_burst_neither_loses_nor_doubles_charges_after_retry()
    {
        var db = await _postgres.Server.CreateDatabaseAsync("burst");
        var port = FreePort.Tcp();
        string[] args = ["serve", "--listen", $"http://127.0.0.1:{port}", "--db", db, "--minimum-balance", "0"];
        const long initial = 1_000_000;
        const int packets = 600;
        var payer = "0x" + new string('c', 64);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        var requests = Enumerable.Range(0, packets).Select(i => new { packetHash = new Hash32(Keccak.Hash256("burst" + i)).ToString(), oui = 5, payloadSize = 30, hotspot = "h" + (i % 7) }).ToList();

        long killedBalance;
        using (var first = Start(args))
        {
            await WaitForServerAsync(http);
            (await http.PutAsJsonAsync("v1/organisations/5", new { payer, maxCopies = 1 })).EnsureSuccessStatusCode();
            (await http.PostAsJsonAsync($"v1/payers/{payer}/credit", new { dc = initial })).EnsureSuccessStatusCode();
            var burst = Task.WhenAll(requests.Select(async r =>
            {
                try
                {
                    await http.PostAsJsonAsync("v1/charge", r);
                }
                catch (HttpRequestException)
                {
                    // The server died under us: the router would retry.
                }
                catch (TaskCanceledException)
                {
                }
            }));
            await using var dataSource = NpgsqlDataSource.Create(db);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            var payerKey = PayerKey.Parse(payer);
            while (DateTime.UtcNow < deadline && await BalanceAsync(dataSource, payerKey) > initial - 100)
            {
                await Task.Delay(5);
            }

            await KillAsync(first);
            killedBalance = await BalanceAsync(dataSource, payerKey);
            await burst;
        }

        using var second = Start(args);
        try
        {
            await WaitForServerAsync(http);
            var outcomes = new List<string>();
            foreach (var r in requests)
            {
                var response = await http.PostAsJsonAsync("v1/charge", r);
                response.EnsureSuccessStatusCode();
                outcomes.Add((await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("outcome").GetString()!);
            }

            Assert.True(killedBalance > initial - (2 * packets), "the burst finished before the kill; the test did not exercise a crash");
            Assert.Contains("duplicateCopy", outcomes);

            // Every copy is now charged exactly once: either by the first server (a retry finds it as a duplicate) or now.
            Assert.All(outcomes, o => Assert.True(o is "charged" or "duplicateCopy", o));
            var balance = (await http.GetFromJsonAsync<System.Text.Json.JsonElement>($"v1/balance/{payer}")).GetProperty("dc").GetInt64();
            Assert.Equal(initial - (2 * packets), balance); // 30 bytes = 2 DC each
            var shares = await http.GetFromJsonAsync<System.Text.Json.JsonElement>($"v1/shares?epoch={DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 86_400}");
            Assert.Equal(packets, shares.GetProperty("shares").EnumerateArray().Sum(s => s.GetProperty("packets").GetInt64()));
        }
        finally
        {
            await KillAsync(second);
        }
    }

    private static async Task WaitForServerAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var r = await http.GetAsync("v1/organisations");
                if (r.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("serve did not start");
    }

    private static async Task<long> BalanceAsync(NpgsqlDataSource dataSource, PayerKey payer)
    {
        try
        {
            await using var c = await dataSource.OpenConnectionAsync();
            await using var cmd = new NpgsqlCommand("SELECT dc FROM balances WHERE payer = $1", c) { Parameters = { new() { Value = payer.Value.Bytes.ToArray() } } };
            return (long?)await cmd.ExecuteScalarAsync() ?? 0;
        }
        catch (PostgresException e) when (e.SqlState == "42P01")
        {
            return 0; // migrations not applied yet
        }
    }
}
