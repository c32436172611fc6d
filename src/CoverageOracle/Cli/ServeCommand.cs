using System.CommandLine;
using System.Text.Json;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.CoverageOracle.Map;
using DePin.Wireless.CoverageOracle.Service;
using Microsoft.AspNetCore.Routing;

namespace DePin.Wireless.CoverageOracle.Cli;

/// <summary>`serve --config FILE`: entropy, ingest, /healthz and /metrics until SIGTERM/Ctrl+C.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "JSON settings file (OracleOptions); COVERAGE_ORACLE_* environment variables override it." };
        var denylist = new Option<string?>("--denylist") { Description = "Signed denylist file (denylist sign); reloaded when it changes. Overrides DenylistFile." };
        var denylistKey = new Option<string?>("--denylist-key") { Description = "Address of the denylist authority key. Overrides DenylistKey." };
        var command = new Command("serve", "Run the oracle: signed entropy every 60 s at GET /v1/entropy, report ingest at POST /v1/beacon-reports and /v1/witness-reports, /healthz, /metrics.");
        command.Options.Add(config);
        command.Options.Add(denylist);
        command.Options.Add(denylistKey);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            OracleServer server;
            try
            {
                var options = OracleOptions.Load(parseResult.GetValue(config));
                options.DenylistFile = parseResult.GetValue(denylist) ?? options.DenylistFile;
                options.DenylistKey = parseResult.GetValue(denylistKey) ?? options.DenylistKey;
                // The coverage map (/api/* and the page at /) is served beside ingest; each epoch appears in it once
                // its last window is verified and its rewards computed.
                var coverage = new InMemoryCoverageSource();
                Action<IEndpointRouteBuilder> map = app => CoverageMapEndpoints.Map(app, coverage, Path.Combine(AppContext.BaseDirectory, "map"));
                server = await OracleServer.CreateAsync(options, TimeProvider.System, SystemRandomSource.Instance, coverage, [map], cancellationToken);
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or InvalidDataException or KeyFileException or Npgsql.NpgsqlException)
            {
                await Console.Error.WriteLineAsync(JsonSerializer.Serialize(new { error = ex.Message }));
                return 2;
            }

            await using (server)
            {
                try
                {
                    await server.RunAsync(
                        ex => Console.Error.WriteLine(JsonSerializer.Serialize(new { error = ex.Message })),
                        () => Console.WriteLine(JsonSerializer.Serialize(new { listening = server.Address.ToString(), oracle_key = server.OracleKey.ToString() })),
                        cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                }
            }

            return 0;
        });
        return command;
    }
}
