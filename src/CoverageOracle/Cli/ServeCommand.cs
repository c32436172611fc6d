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
        var command = new Command("serve", "Run the oracle: signed entropy every 60 s at GET /v1/entropy, report ingest at POST /v1/beacon-reports and /v1/witness-reports, /healthz, /metrics.");
        command.Options.Add(config);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            OracleServer server;
            try
            {
                var options = OracleOptions.Load(parseResult.GetValue(config));
                // The coverage map (/api/* and the page at /) is served beside ingest; epochs appear in it as they
                // are published into this source.
                var coverage = new InMemoryCoverageSource();
                Action<IEndpointRouteBuilder> map = app => CoverageMapEndpoints.Map(app, coverage, Path.Combine(AppContext.BaseDirectory, "map"));
                server = await OracleServer.CreateAsync(options, TimeProvider.System, SystemRandomSource.Instance, [map], cancellationToken);
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
