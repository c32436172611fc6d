using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DePin.Wireless.FirmwareBridge.Gwmp;
using Spectre.Console;

namespace DePin.Wireless.HotspotHost.Cli;

/// <summary>What <c>monitor</c> listens on and how it prints.</summary>
public sealed record MonitorSettings(string BindAddress = "127.0.0.1", int Port = 1680, int Count = 0, bool Json = false);

/// <summary>
/// <c>monitor</c>: a GWMP server that acknowledges a packet forwarder per protocol and prints every received rxpk
/// (a JSON line each with --json, otherwise a table row) and every malformed datagram; exits 0 after --count packets.
/// </summary>
public static class MonitorCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--gwmp-port") { Description = "UDP port to listen on for the packet forwarder (0 picks a free port)", DefaultValueFactory = _ => 1680 };
        var bind = new Option<string>("--bind") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var count = new Option<int>("--count") { Description = "Exit after this many received packets (0 = run until Ctrl+C)", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "One JSON object per line instead of a table" };
        var command = new Command("monitor", "Listen as a Semtech UDP (GWMP) server and print the packets a packet forwarder sends.") { port, bind, count, json };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var settings = new MonitorSettings(parseResult.GetValue(bind)!, parseResult.GetValue(port), parseResult.GetValue(count), parseResult.GetValue(json));
            return PacketMonitor.RunAsync(settings, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }
}

/// <summary>The monitor's core, independent of the console so tests can drive it with any <see cref="TextWriter"/>.</summary>
public static class PacketMonitor
{
    /// <summary>Runs until <see cref="MonitorSettings.Count"/> packets were printed or cancellation; returns the exit code.</summary>
    public static async Task<int> RunAsync(MonitorSettings settings, TextWriter output, TextWriter diagnostics, CancellationToken cancellationToken, Action<IPEndPoint>? listening = null)
    {
        if (settings.Port is < 0 or > 65_535 || settings.Count < 0 || !IPAddress.TryParse(settings.BindAddress, out _))
        {
            await diagnostics.WriteLineAsync($"monitor: invalid settings: --bind '{settings.BindAddress}' must be an IP address, --gwmp-port 0..65535, --count >= 0");
            return 2;
        }

        GwmpServer server;
        try
        {
            server = new GwmpServer(new GwmpServerOptions { BindAddress = settings.BindAddress, Port = settings.Port });
        }
        catch (SocketException e)
        {
            await diagnostics.WriteLineAsync($"monitor: cannot listen on {settings.BindAddress}:{settings.Port}: {e.Message}");
            return 2;
        }

        using (server)
        {
            await diagnostics.WriteLineAsync($"monitor: listening for GWMP on {server.LocalEndPoint}");
            listening?.Invoke(server.LocalEndPoint);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var loop = server.RunAsync(stop.Token);
            var printer = new MonitorPrinter(output, settings.Json);
            var errors = PrintErrorsAsync(server, printer, stop.Token);
            try
            {
                await PrintPacketsAsync(server, printer, settings.Count, stop.Token);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }

            await stop.CancelAsync();
            await loop;
            await errors;
            await output.FlushAsync(CancellationToken.None);
            return 0;
        }
    }

    private static async Task PrintPacketsAsync(GwmpServer server, MonitorPrinter printer, int count, CancellationToken cancellationToken)
    {
        var printed = 0;
        await foreach (var uplink in server.Uplinks.ReadAllAsync(cancellationToken))
        {
            printer.Packet(uplink);
            if (count > 0 && ++printed >= count)
            {
                return;
            }
        }
    }

    private static async Task PrintErrorsAsync(GwmpServer server, MonitorPrinter printer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var error in server.Errors.ReadAllAsync(cancellationToken))
            {
                printer.Malformed(error);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>Formats monitor output; serialises writers because packets and errors arrive on two streams.</summary>
internal sealed class MonitorPrinter(TextWriter output, bool json)
{
    private readonly object _gate = new();
    private readonly IAnsiConsole _console = CreateConsole(output);
    private bool _headerShown;

    private static IAnsiConsole CreateConsole(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });

        // Redirected output reports 80 columns; the row needs more to stay on one line.
        console.Profile.Width = Math.Max(console.Profile.Width, 132);
        return console;
    }

    public void Packet(ReceivedUplink uplink)
    {
        lock (_gate)
        {
            if (json)
            {
                output.WriteLine(JsonLine(w =>
                {
                    w.WriteString("gatewayEui"u8, uplink.Gateway.ToString());
                    GwmpJsonWriter.WriteRxPacketFields(w, uplink.Packet);
                }));
            }
            else
            {
                _console.Write(Row(uplink));
                _headerShown = true;
            }

            output.Flush();
        }
    }

    public void Malformed(MalformedDatagram error)
    {
        lock (_gate)
        {
            if (json)
            {
                output.WriteLine(JsonLine(w =>
                {
                    w.WriteString("error"u8, error.Error.KindName);
                    w.WriteString("reason"u8, error.Error.Reason);
                    w.WriteString("source"u8, error.Source.ToString());
                    w.WriteNumber("length"u8, error.Length);
                }));
            }
            else
            {
                output.WriteLine($"malformed datagram from {error.Source} ({error.Length} bytes): {error.Error}");
            }

            output.Flush();
        }
    }

    private static string JsonLine(Action<Utf8JsonWriter> body)
    {
        using var buffer = new PooledBufferWriter(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private Table Row(ReceivedUplink uplink)
    {
        var p = uplink.Packet;
        var table = new Table { Border = TableBorder.None, ShowHeaders = !_headerShown };
        table.AddColumn(new TableColumn("gateway").Width(16));
        table.AddColumn(new TableColumn("freq MHz").Width(10).RightAligned());
        table.AddColumn(new TableColumn("datr").Width(10));
        table.AddColumn(new TableColumn("rssi").Width(7).RightAligned());
        table.AddColumn(new TableColumn("lsnr").Width(6).RightAligned());
        table.AddColumn(new TableColumn("tmst").Width(10).RightAligned());
        table.AddColumn(new TableColumn("size").Width(4).RightAligned());
        table.AddColumn(new TableColumn("data").Width(26));
        var datr = p.LoraDataRate?.ToString() ?? $"{p.FskBitRate} bps";
        table.AddRow(
            uplink.Gateway.ToString(),
            p.Frequency.Megahertz.ToString("0.000000"),
            datr,
            p.Rssi?.ToString("0.#") ?? "",
            p.Snr?.ToString("0.#") ?? "",
            p.Tmst.ToString(),
            p.Size.ToString(),
            Markup.Escape(Convert.ToHexString(p.Data.AsSpan(0, Math.Min(p.Data.Length, 12))).ToLowerInvariant() + (p.Data.Length > 12 ? "…" : "")));
        return table;
    }
}
