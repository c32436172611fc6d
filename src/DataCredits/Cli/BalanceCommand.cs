using System.CommandLine;
using DePin.Wireless.DataCredits.Ledger;

namespace DePin.Wireless.DataCredits.Cli;

/// <summary>`balance --db CONN --payer 0x..` prints {"payer":"0x...","dc":N}.</summary>
public static class BalanceCommand
{
    public static Command Build()
    {
        var db = new Option<string>("--db") { Description = "PostgreSQL connection string of the ledger", Required = true };
        var payer = new Option<string>("--payer") { Description = "payer key, 0x + 64 hex digits", Required = true };
        var command = new Command("balance", "Print a payer's Data Credits balance.") { db, payer };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var key = PayerKey.Parse(parse.GetValue(payer), "--payer");
            await using var opened = await OpenedLedger.OpenAsync(CommandRunner.RequireConnectionString(parse.GetValue(db)), new LedgerOptions(), ct);
            return new { payer = key.ToString(), dc = await opened.Ledger.GetBalanceAsync(key, ct) };
        }));
        return command;
    }
}
