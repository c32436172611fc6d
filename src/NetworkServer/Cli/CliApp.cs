using System.CommandLine;

namespace DePin.Wireless.NetworkServer.Cli;

/// <summary>The command line of this deployable: one subcommand per task, each defined in its own file.</summary>
public static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("DePin.Wireless LoRaWAN network server: routes and charges hotspot packet reports, runs the LoRaWAN MAC, and delivers uplinks to applications over MQTT.");
        root.Subcommands.Add(DecodeCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(AdminCommands.App());
        root.Subcommands.Add(AdminCommands.Device());
        root.Subcommands.Add(AdminCommands.Org());
        return root;
    }
}
