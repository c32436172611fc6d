using System.CommandLine;
using DePin.Wireless.DataCredits.Api;
using DePin.Wireless.DataCredits.Charging;
using DePin.Wireless.DataCredits.Evm;
using DePin.Wireless.DataCredits.Ledger;
using DePin.Wireless.DataCredits.Sync;

namespace DePin.Wireless.DataCredits.Cli;

/// <summary>
/// `serve`: the DataCredits HTTP API (see DcHttpApi) on Kestrel, over the PostgreSQL ledger (--db) or an
/// in-process one; with --rpc and --token it also runs the burn sync in the background.
/// </summary>
public static class ServeCommand
{
    public static Command Build()
    {
        var listen = new Option<string>("--listen") { Description = "HTTP listen URL", DefaultValueFactory = _ => "http://127.0.0.1:8090" };
        var db = new Option<string?>("--db") { Description = "PostgreSQL connection string; omitted = in-process ledger (lost on exit)" };
        var minimum = new Option<long>("--minimum-balance") { Description = "DC below which an organisation is disabled", DefaultValueFactory = _ => 3_500_000 };
        var rpc = new Option<string?>("--rpc") { Description = "EVM JSON-RPC URL: also run the burn sync" };
        var token = new Option<string?>("--token") { Description = "token contract address for the burn sync" };
        var confirmations = new Option<int>("--confirmations") { Description = "confirmations for the burn sync", DefaultValueFactory = _ => 12 };
        var price = new Option<string?>("--token-price-usd") { Description = "USD price of one token for the burn sync" };
        var command = new Command("serve", "Serve the charging / balance / organisation HTTP API.") { listen, db, minimum, rpc, token, confirmations, price };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var listenUri = CommandRunner.ParseRpc(parse.GetValue(listen));
            if (parse.GetValue(minimum) < 0)
            {
                throw new FormatException("--minimum-balance: must not be negative");
            }

            var ledgerOptions = new LedgerOptions { MinimumBalanceDc = parse.GetValue(minimum) };
            await using var opened = await OpenedLedger.OpenAsync(parse.GetValue(db), ledgerOptions, ct);
            var syncSettings = ReadSyncSettings(parse.GetValue(rpc), parse.GetValue(token), parse.GetValue(price), parse.GetValue(confirmations));

            var builder = WebApplication.CreateSlimBuilder();

            // stdout carries only JSON; logs go to stderr.
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.WebHost.UseUrls(listenUri.ToString());
            await using var app = builder.Build();
            var charger = new PacketCharger(opened.Ledger, new ChargingOptions(), TimeProvider.System);
            DcHttpApi.Map(app, opened.Ledger, charger);
            using var http = new HttpClient();
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var sync = syncSettings is { } s
                ? RunSyncAsync(new BurnSyncer(new JsonRpcEvmClient(http, s.Rpc), s.Token, opened.Ledger, s.Conversion, s.Options, app.Logger), app.Logger, stopping.Token)
                : Task.CompletedTask;
            await app.StartAsync(ct);
            await Console.Out.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(new { listening = listenUri.ToString(), sync = syncSettings is not null }, ApiJson.Options));
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C / SIGTERM: shut down cleanly below.
            }

            await stopping.CancelAsync();
            await sync;
            await app.StopAsync(CancellationToken.None);
            return null;
        }));
        return command;
    }

    private sealed record SyncSettings(Uri Rpc, EthAddress Token, DcConversion Conversion, BurnSyncOptions Options);

    private static SyncSettings? ReadSyncSettings(string? rpc, string? token, string? price, int confirmations)
    {
        if (rpc is null && token is null)
        {
            return null;
        }

        if (rpc is null || token is null || price is null)
        {
            throw new FormatException("--rpc, --token and --token-price-usd must be given together to run the burn sync");
        }

        if (confirmations < 1)
        {
            throw new FormatException($"--confirmations: must be at least 1, got {confirmations}");
        }

        return new SyncSettings(CommandRunner.ParseRpc(rpc), EthAddress.Parse(token, "--token"), new DcConversion(SyncCommand.ParsePrice(price)), new BurnSyncOptions { Confirmations = confirmations });
    }

    private static async Task RunSyncAsync(BurnSyncer syncer, ILogger logger, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await syncer.RunAsync(TimeProvider.System, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or EvmRpcException or Npgsql.NpgsqlException or TimeoutException)
            {
                // Node or database briefly unreachable: the checkpoint is durable, so retry after a pause.
                logger.LogWarning(e, "burn sync failed; retrying in 5 s");
                await Task.Delay(TimeSpan.FromSeconds(5), ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
