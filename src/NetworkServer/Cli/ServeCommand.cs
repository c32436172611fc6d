using System.CommandLine;
using DePin.Wireless.NetworkServer.Server;

namespace DePin.Wireless.NetworkServer.Cli;

/// <summary>`serve --config FILE`: runs the network server until Ctrl+C / SIGTERM.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "JSON configuration file (environment variables NETWORKSERVER_* override it)" };
        var command = new Command("serve", "Run the network server: hotspot packet reports, admin API, /healthz, /metrics, MQTT integration") { config };
        command.SetAction(async (r, ct) =>
        {
            NetworkServerOptions options;
            try
            {
                options = NetworkServerOptions.Load(r.GetValue(config));
            }
            catch (OptionsException e)
            {
                await Console.Error.WriteLineAsync($$"""{"error":{{System.Text.Json.JsonSerializer.Serialize(e.Message)}}}""");
                return 2;
            }

            await using var host = await NetworkServerHost.StartAsync(options, cancellationToken: ct);
            await Console.Out.WriteLineAsync($$"""{"listening":"{{host.BaseAddress}}"}""");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C / SIGTERM: dispose stops Kestrel and the MQTT client.
            }

            return 0;
        });
        return command;
    }
}
