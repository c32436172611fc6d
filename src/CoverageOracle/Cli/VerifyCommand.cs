using System.CommandLine;
using DePin.Wireless.CoverageOracle.Denylist;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.CoverageOracle.VerifyRunner;
using Npgsql;

namespace DePin.Wireless.CoverageOracle.Cli;

/// <summary>`verify`: offline, deterministic re-verification of a stored window.</summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var reports = new Option<string>("--reports") { Description = "Report store directory (beacon_report.*, witness_report.*, entropy.*).", Required = true };
        var from = new Option<string>("--from") { Description = "Window start (ISO 8601 or Unix ms), inclusive.", Required = true };
        var to = new Option<string>("--to") { Description = "Window end, exclusive.", Required = true };
        var output = new Option<string?>("--out") { Description = "Output directory for poc.*, invalid_beacon.*, invalid_witness.* (default: --reports)." };
        var registry = new Option<string?>("--registry") { Description = "Registry snapshot JSON file (hotspots, denylist, denied edges)." };
        var db = new Option<string?>("--db") { Description = "PostgreSQL connection string: registry source (unless --registry) and poc_beacons/poc_witnesses output." };
        var denylist = new Option<string?>("--denylist") { Description = "Signed denylist file (denylist sign); its hotspots and edges are added to the registry's." };
        var denylistKey = new Option<string?>("--denylist-key") { Description = "Address of the denylist authority key that must have signed --denylist." };
        var chunk = new Option<int>("--chunk-minutes") { Description = "Verify the range in chunks of this many minutes (memory bound; outputs named by chunk start).", DefaultValueFactory = _ => 60 };
        var bootstrap = new Option<bool>("--bootstrap-reciprocity") { Description = "Devnet: treat every asserted hotspot as reciprocal at --from (a new network has no history)." };
        var command = new Command("verify", "Verify the beacons received in [--from, --to) with their witnesses; write valid PoCs and invalid reports with reasons.");
        foreach (var o in new Option[] { reports, from, to, output, registry, db, denylist, denylistKey, chunk, bootstrap })
        {
            command.Options.Add(o);
        }

        command.SetAction((parseResult, cancellationToken) => CliSupport.RunAsync(async () =>
        {
            var start = CliSupport.ParseTime("--from", parseResult.GetValue(from));
            var end = CliSupport.ParseTime("--to", parseResult.GetValue(to));
            var reportsDir = parseResult.GetValue(reports)!;
            if (!Directory.Exists(reportsDir))
            {
                throw new ArgumentException($"--reports: directory {reportsDir} does not exist");
            }

            var outDir = parseResult.GetValue(output) ?? reportsDir;
            var dbText = parseResult.GetValue(db);
            var view = await CliSupport.LoadRegistryAsync(parseResult.GetValue(registry), dbText, cancellationToken);
            if (parseResult.GetValue(denylist) is { } denylistFile)
            {
                view = view.With(DenylistFile.Read(denylistFile, DenylistFile.ParseAuthority(parseResult.GetValue(denylistKey), "--denylist-key")));
            }

            var options = new VerifierOptions();
            var roll = TimeSpan.FromMinutes(5);
            var history = HistorySeeding.FromPriorOutputs(outDir, start, options, roll);
            if (parseResult.GetValue(bootstrap))
            {
                HistorySeeding.BootstrapReciprocity(history, view.Hotspots, start);
            }

            NpgsqlDataSource? dataSource = null;
            PostgresVerifiedStore? store = null;
            if (dbText is not null)
            {
                dataSource = NpgsqlDataSource.Create(dbText);
                store = new PostgresVerifiedStore(dataSource);
                await store.MigrateAsync(cancellationToken);
            }

            try
            {
                var summary = await new RangeVerifier(options, roll, TimeSpan.FromMinutes(parseResult.GetValue(chunk)))
                    .VerifyAsync(reportsDir, outDir, start, end, view, history, store is null ? null : (r, ct) => store.SaveAsync(r.Results, ct), cancellationToken);
                return new
                {
                    From = start,
                    To = end,
                    summary.Beacons,
                    summary.ValidPocs,
                    summary.SelectedWitnesses,
                    summary.InvalidBeacons,
                    summary.InvalidWitnesses,
                    summary.Files,
                };
            }
            finally
            {
                if (dataSource is not null)
                {
                    await dataSource.DisposeAsync();
                }
            }
        }));
        return command;
    }
}
