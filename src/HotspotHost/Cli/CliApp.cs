using System.CommandLine;

namespace DePin.Wireless.HotspotHost.Cli;

/// <summary>The command line of this deployable: one subcommand per task, each defined in its own file.</summary>
public static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("DePin.Wireless hotspot daemon: drives the LoRa radio, forwards device packets to the network server, sends proof-of-coverage beacons and witnesses neighbours' beacons.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(KeyCommand.Create());
        root.Subcommands.Add(MonitorCommand.Create());
        return root;
    }
}
