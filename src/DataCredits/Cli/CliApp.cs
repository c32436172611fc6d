using System.CommandLine;

namespace DePin.Wireless.DataCredits.Cli;

/// <summary>The command line of this deployable: one subcommand per task, each defined in its own file.</summary>
public static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("DePin.Wireless Data Credits: watches token burns on an EVM chain, keeps the DC ledger, and charges organisations per packet.");
        root.Subcommands.Add(ChainCommand.Build());
        root.Subcommands.Add(SyncCommand.Build());
        root.Subcommands.Add(BalanceCommand.Build());
        root.Subcommands.Add(ServeCommand.Build());
        return root;
    }
}
