using System.CommandLine;

namespace DePin.Wireless.CoverageOracle.Cli;

/// <summary>The command line of this deployable: one subcommand per task, each defined in its own file.</summary>
public static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("DePin.Wireless coverage oracle: publishes entropy, ingests signed beacon and witness reports, verifies proof of coverage, scores H3 cells, computes epoch rewards and serves the coverage map.");
        root.Subcommands.Add(H3Command.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(RewardsCommand.Create());
        root.Subcommands.Add(RegistryAdminCommands.Onboard());
        root.Subcommands.Add(RegistryAdminCommands.Assert());
        root.Subcommands.Add(DenylistCommand.Create());
        return root;
    }
}
