using System.CommandLine;

namespace DePin.Wireless.HotspotHost.Cli;

/// <summary><c>status [--url]</c>: prints the daemon's /status JSON.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Status endpoint of the daemon", DefaultValueFactory = _ => "http://127.0.0.1:4468/status" };
        var command = new Command("status", "Print the running daemon's status (JSON).") { url };
        command.SetAction((parse, ct) => PrintAsync(parse.GetValue(url)!, Console.Out, Console.Error, ct));
        return command;
    }

    public static async Task<int> PrintAsync(string url, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            await errors.WriteLineAsync($"status: --url '{url}' is not an absolute URL");
            return 2;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var body = await http.GetStringAsync(uri, cancellationToken);
            await output.WriteLineAsync(body);
            return 0;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await errors.WriteLineAsync($"status: cannot reach the hotspot daemon at {uri}: {e.Message}");
            return 1;
        }
    }
}
