using System.CommandLine;
using System.Globalization;
using DePin.Wireless.Devnet.Run;
using DePin.Wireless.Devnet.Serving;
using Spectre.Console;

namespace DePin.Wireless.Devnet.Cli;

/// <summary>`run`: simulate the network for some hours, write the results, and serve the coverage map until Ctrl-C.</summary>
public static class RunCommand
{
    public static Command Create(Func<IDevnetMapHost>? mapHostFactory = null)
    {
        var defaults = new RunOptions();
        var hotspots = new Option<int>("--hotspots") { Description = "Number of hotspots.", DefaultValueFactory = _ => defaults.Hotspots };
        var devices = new Option<int>("--devices") { Description = "Number of LoRaWAN devices.", DefaultValueFactory = _ => defaults.Devices };
        var hours = new Option<int>("--hours") { Description = "Simulated hours (≥ 1).", DefaultValueFactory = _ => defaults.Hours };
        var seed = new Option<int>("--seed") { Description = "Seed of everything random; the same seed gives the same results.", DefaultValueFactory = _ => defaults.Seed };
        var output = new Option<string>("--out") { Description = "Directory for summary.json, rewards.csv and coverage.geojson.", DefaultValueFactory = _ => "./devnet-out" };
        var adversaries = new Option<int>("--adversaries") { Description = "How many hotspots cheat (location spoofers, beacon relay pairs, room clusters).", DefaultValueFactory = _ => 0 };
        var noServe = new Option<bool>("--no-serve") { Description = "Exit after writing the results instead of serving the map." };
        var port = new Option<int>("--serve-port") { Description = "Port of the map server on 127.0.0.1 (0 = any free port).", DefaultValueFactory = _ => 8080 };
        var region = new Option<string>("--region") { Description = "LoRaWAN region plan.", DefaultValueFactory = _ => defaults.Region };
        var timings = new Option<bool>("--timings") { Description = "Print wall-clock and CPU time per simulation phase to stderr at the end." };
        var reportAuth = new Option<string>("--report-auth") { Description = "How hotspots authenticate reports: session (signed handshake, then HMAC per report) or envelope (Ed25519 signature per report).", DefaultValueFactory = _ => "session" };
        reportAuth.AcceptOnlyFromAmong("session", "envelope");
        var command = new Command("run", "Simulate hotspots, devices and adversaries on simulated time, verify proofs of coverage, pay one reward epoch, and serve the coverage map.");
        foreach (var option in new Option[] { hotspots, devices, hours, seed, output, adversaries, noServe, port, region, timings, reportAuth })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new RunOptions
            {
                Hotspots = parseResult.GetValue(hotspots),
                Devices = parseResult.GetValue(devices),
                Hours = parseResult.GetValue(hours),
                Seed = parseResult.GetValue(seed),
                OutputDirectory = parseResult.GetValue(output)!,
                Adversaries = parseResult.GetValue(adversaries),
                Region = parseResult.GetValue(region)!,
                ReportAuthentication = parseResult.GetValue(reportAuth) == "envelope" ? ReportAuthentication.Envelope : ReportAuthentication.Session,
            };
            var servePort = parseResult.GetValue(port);
            var serve = !parseResult.GetValue(noServe);
            if (!TryValidate(options, servePort, out var problem))
            {
                await Console.Error.WriteLineAsync("run: " + problem);
                return 2;
            }

            var (result, phases) = Simulate(options);
            using (phases.Measure("writing outputs"))
            {
                RunOutputWriter.WriteAll(result, options.OutputDirectory);
            }

            PrintSummary(result);
            if (parseResult.GetValue(timings))
            {
                await Console.Error.WriteLineAsync(phases.Format());
            }

            if (!serve)
            {
                return 0;
            }

            await using var host = (mapHostFactory ?? (() => new CoverageMapHost()))();
            var url = await host.StartAsync(result, servePort, cancellationToken);
            Console.WriteLine($"Coverage map: {url}");
            Console.WriteLine("Press Ctrl-C to stop.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C: stop serving.
            }

            return 0;
        });
        return command;
    }

    private static bool TryValidate(RunOptions options, int servePort, out string problem)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
            return false;
        }

        if (servePort is < 0 or > 65_535)
        {
            problem = $"--serve-port: {servePort} is not a TCP port (0..65535; 0 picks a free one)";
            return false;
        }

        return TryPrepareOutput(options.OutputDirectory, out problem);
    }

    /// <summary>Creates the output directory and proves it is writable before hours of simulation are spent.</summary>
    private static bool TryPrepareOutput(string directory, out string problem)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, ".write-probe-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
            problem = string.Empty;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            problem = $"--out: cannot write to '{directory}': {e.Message}";
            return false;
        }
    }

    private static (RunResult Result, PhaseTimings Timings) Simulate(RunOptions options)
    {
        using var simulation = new DevnetSimulation(options);
        var error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (Console.IsErrorRedirected || !error.Profile.Capabilities.Interactive)
        {
            return (simulation.Run(), simulation.Timings);
        }

        RunResult? result = null;
        error.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("simulated hours", maxValue: options.Hours);
                result = simulation.Run(new SynchronousProgress(hoursDone => task.Value = hoursDone));
            });
        return (result!, simulation.Timings);
    }

    private static void PrintSummary(RunResult r)
    {
        var table = new Table().Title("Devnet run").AddColumn("").AddColumn(new TableColumn("").RightAligned());
        table.HideHeaders();
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        static string Reasons(IReadOnlyDictionary<string, long> counts) =>
            counts.Count == 0 ? "none" : string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value}")));
        static string Maybe(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "pending (no network server yet)";
        Row("seed / hotspots / devices / hours", string.Create(CultureInfo.InvariantCulture, $"{r.Options.Seed} / {r.Options.Hotspots} / {r.Options.Devices} / {r.Options.Hours}"));
        Row("beacons sent / valid", string.Create(CultureInfo.InvariantCulture, $"{r.BeaconsSent} / {r.BeaconsValid}"));
        Row("beacons invalid", Reasons(r.BeaconInvalid));
        Row("witnesses reported / valid / selected", string.Create(CultureInfo.InvariantCulture, $"{r.WitnessesReported} / {r.WitnessesValid} / {r.WitnessesSelected}"));
        Row("witnesses invalid", Reasons(r.WitnessInvalid));
        Row("uplinks sent / copies at hotspots", string.Create(CultureInfo.InvariantCulture, $"{r.Uplinks.Sent} / {r.Uplinks.ReceivedByHotspots}"));
        Row("uplinks delivered / DC charged / dropped (no DC)", string.Create(CultureInfo.InvariantCulture, $"{Maybe(r.Uplinks.Delivered)} / {Maybe(r.Uplinks.ChargedDc)} / {Maybe(r.Uplinks.DroppedNoBalance)}"));
        if (r.Traffic is { } t)
        {
            Row("OTAA joins (devices joined) / ACKs / ADR changes", string.Create(CultureInfo.InvariantCulture, $"{t.JoinsAccepted} ({t.DevicesJoined}) / {t.AcksReceived} of {t.ConfirmedSent} confirmed / {t.AdrChanges}"));
            foreach (var o in t.Organisations.Where(o => o.DisabledAtHours is not null))
            {
                Row(string.Create(CultureInfo.InvariantCulture, $"organisation {o.Oui} out of DC"), string.Create(CultureInfo.InvariantCulture, $"at {o.DisabledAtHours:0.00} h, topped up at {(o.ReenabledAtHours is { } h ? h.ToString("0.00", CultureInfo.InvariantCulture) + " h" : "never")}"));
            }
        }

        Row("rewards distributed / emission", string.Create(CultureInfo.InvariantCulture, $"{r.Distributed} / {r.EpochEmission}"));
        Row("hotspots rewarded", r.Rewards.Count(l => l.Reward.Sign > 0).ToString(CultureInfo.InvariantCulture));
        Row("adversaries / detected / honest penalised", string.Create(CultureInfo.InvariantCulture, $"{r.Adversaries.Count} / {r.Adversaries.Detected} / {r.Adversaries.HonestPenalised}"));
        Row("detected / honest penalised: Helium's checks | spoofing analysis", string.Create(CultureInfo.InvariantCulture, $"{r.Adversaries.HeliumChecks.Detected} / {r.Adversaries.HeliumChecks.HonestPenalised} | {r.Adversaries.SpoofingAnalysis.Detected} / {r.Adversaries.SpoofingAnalysis.HonestPenalised}"));
        Row("wall clock (of which report authentication)", string.Create(CultureInfo.InvariantCulture, $"{r.WallClockSeconds:0.0} s ({r.EnvelopeSeconds:0.0} s for {r.Envelopes} authenticated reports)"));
        Row("output", Path.GetFullPath(r.Options.OutputDirectory));
        AnsiConsole.Write(table);
    }

    /// <summary>Reports on the simulation's own thread (the Spectre task is thread-safe).</summary>
    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
