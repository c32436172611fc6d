using System.CommandLine;

namespace DePin.Wireless.Devnet.Cli;

/// <summary>The command line of this deployable: one subcommand per task, each defined in its own file.</summary>
public static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("DePin.Wireless devnet: a whole network (hotspots, devices, radio propagation, adversaries, and every service) simulated in one process on simulated time.");
        root.Subcommands.Add(RunCommand.Create());
        return root;
    }
}
