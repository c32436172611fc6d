using System.CommandLine;
using System.Globalization;
using DePin.Wireless.DataCredits.Evm;
using DePin.Wireless.DataCredits.Ledger;
using DePin.Wireless.DataCredits.Sync;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.DataCredits.Cli;

/// <summary>`sync`: follow DataCreditsBurned events and credit payers in the PostgreSQL ledger.</summary>
public static class SyncCommand
{
    public static Command Build()
    {
        var rpc = new Option<string>("--rpc") { Description = "EVM JSON-RPC URL", Required = true };
        var token = new Option<string>("--token") { Description = "token contract address", Required = true };
        var db = new Option<string>("--db") { Description = "PostgreSQL connection string of the ledger", Required = true };
        var confirmations = new Option<int>("--confirmations") { Description = "blocks a burn needs (1 = mined)", DefaultValueFactory = _ => 12 };
        var price = new Option<string>("--token-price-usd") { Description = "USD price of one token (e.g. 4.25)", Required = true };
        var startBlock = new Option<ulong>("--start-block") { Description = "first block to scan when there is no checkpoint", DefaultValueFactory = _ => 0 };
        var maxBlocks = new Option<int>("--max-blocks-per-step") { Description = "blocks scanned and committed per step", DefaultValueFactory = _ => 500 };
        var once = new Option<bool>("--once") { Description = "catch up with the confirmed head, print a summary and exit" };
        var command = new Command("sync", "Credit payers for confirmed token burns (exactly once, re-org safe).") { rpc, token, db, confirmations, price, startBlock, maxBlocks, once };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var tokenAddress = EthAddress.Parse(parse.GetValue(token), "--token");
            var options = new BurnSyncOptions { Confirmations = parse.GetValue(confirmations), StartBlock = parse.GetValue(startBlock), MaxBlocksPerStep = parse.GetValue(maxBlocks) };
            if (options.Confirmations < 1)
            {
                throw new FormatException($"--confirmations: must be at least 1, got {options.Confirmations}");
            }

            if (options.MaxBlocksPerStep < 1)
            {
                throw new FormatException($"--max-blocks-per-step: must be at least 1, got {options.MaxBlocksPerStep}");
            }

            var conversion = new DcConversion(ParsePrice(parse.GetValue(price)));
            await using var opened = await OpenedLedger.OpenAsync(CommandRunner.RequireConnectionString(parse.GetValue(db)), new LedgerOptions(), ct);
            using var http = new HttpClient();
            using var loggerFactory = LoggerFactory.Create(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).AddFilter(l => l >= LogLevel.Information));
            var client = new JsonRpcEvmClient(http, CommandRunner.ParseRpc(parse.GetValue(rpc)));
            var syncer = new BurnSyncer(client, tokenAddress, opened.Ledger, conversion, options, loggerFactory.CreateLogger("sync"));
            if (parse.GetValue(once))
            {
                var credited = await syncer.CatchUpAsync(ct);
                var checkpoint = await opened.Ledger.GetCheckpointAsync(syncer.Source, ct);
                return new { credited = credited.Count, dc = credited.Sum(c => c.Dc), checkpointBlock = checkpoint?.BlockNumber };
            }

            await syncer.RunAsync(TimeProvider.System, ct);
            return null;
        }));
        return command;
    }

    public static decimal ParsePrice(string? text)
    {
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new FormatException($"--token-price-usd: expected a positive decimal number such as 4.25, got '{text}'");
        }

        return value;
    }
}
