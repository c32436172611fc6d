using System.CommandLine;
using System.Diagnostics;
using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.HotspotHost.Configuration;
using DePin.Wireless.HotspotHost.Identity;
using DePin.Wireless.HotspotHost.Runtime;
using DePin.Wireless.HotspotHost.Status;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.HotspotHost.Cli;

/// <summary><c>run --config FILE</c>: the daemon. Ctrl+C / SIGTERM stop it gracefully.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "JSON configuration file (environment variables DEPIN_HOTSPOT__* override it)" };
        var json = new Option<bool>("--json-logs") { Description = "Structured JSON log lines instead of plain text" };
        var command = new Command("run", "Run the hotspot daemon.") { config, json };
        command.SetAction((parse, ct) => HotspotDaemon.RunAsync(parse.GetValue(config), parse.GetValue(json), Console.Error, ct));
        return command;
    }
}

/// <summary>Loads config and key, opens the radio, runs runtime + status server until cancelled. Exit 2 = refused to start.</summary>
public static class HotspotDaemon
{
    public static async Task<int> RunAsync(string? configPath, bool jsonLogs, TextWriter errors, CancellationToken cancellationToken, Action<Uri>? ready = null)
    {
        var started = Stopwatch.GetTimestamp();
        HotspotOptions options;
        ISecureElement key;
        try
        {
            options = HotspotConfigLoader.Load(configPath);
            key = FileKeySecureElement.Open(options.KeyFilePath);
        }
        catch (Exception e) when (e is HotspotConfigException or HotspotKeyException)
        {
            await errors.WriteLineAsync($"hotspot: refusing to start: {e.Message}");
            return 2;
        }

        using var loggers = LoggerFactory.Create(b =>
        {
            b.AddFilter("Microsoft", LogLevel.Warning);
            if (jsonLogs)
            {
                b.AddJsonConsole(o => o.UseUtcTimestamp = true);
            }
            else
            {
                b.AddSimpleConsole(o => { o.SingleLine = true; o.UseUtcTimestamp = true; o.TimestampFormat = "HH:mm:ss.fff "; });
            }
        });
        var logger = loggers.CreateLogger("hotspot");
        using var ownedKey = key; // declared before the runtime, so disposed after it stops signing
        IRadio radio;
        try
        {
            radio = RadioFactory.Create(options, TimeProvider.System, loggers);
        }
        catch (Exception e) when (e is HotspotConfigException or IOException or System.Net.Sockets.SocketException or ArgumentException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"hotspot: refusing to start: cannot open the {options.Radio.Type} radio: {e.Message}");
            return 2;
        }

        await using var runtime = new HotspotRuntime(new HotspotRuntimeSettings
        {
            Options = options,
            Key = key,
            Radio = radio,
            Loggers = loggers,
        });
        await runtime.StartAsync(cancellationToken);
        await using var status = StatusServer.Create(runtime, options.StatusAddress, options.StatusPort, loggers);
        await status.StartAsync(cancellationToken);
        logger.LogInformation("ready in {Milliseconds:0} ms; status on {StatusUrl}", Stopwatch.GetElapsedTime(started).TotalMilliseconds, status.BaseAddress);
        ready?.Invoke(status.BaseAddress);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogInformation("stopping");
        }

        return 0;
    }
}
