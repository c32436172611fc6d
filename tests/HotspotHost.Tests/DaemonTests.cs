using System.Net.Http.Json;
using System.Text.Json;
using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.HotspotHost.Cli;
using DePin.Wireless.HotspotHost.Status;
using DePin.Wireless.HotspotHost.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePin.Wireless.HotspotHost.Tests;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // key files are Unix-mode files
public sealed class DaemonTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hotspot-daemon-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_refuses_to_start_without_a_key_naming_the_file()
    {
        var config = Path.Combine(_dir, "hotspot.json");
        await File.WriteAllTextAsync(config, $$$"""{"DataDirectory":"{{{_dir}}}","Beaconing":{"Enabled":false}}""");
        var errors = new StringWriter();
        Assert.Equal(2, await HotspotDaemon.RunAsync(config, false, errors, CancellationToken.None));
        Assert.Contains($"key file {_dir}/hotspot.key does not exist", errors.ToString());
    }

    [Fact]
    public async Task Run_refuses_a_world_readable_key_and_bad_config()
    {
        var key = Path.Combine(_dir, "hotspot.key");
        Assert.Equal(0, KeyTool.Create(key, "ed25519", false, Core.Identity.SeededRandomSource.FromLabel("d"), TextWriter.Null, TextWriter.Null));
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var config = Path.Combine(_dir, "hotspot.json");
        await File.WriteAllTextAsync(config, $$$"""{"DataDirectory":"{{{_dir}}}","Beaconing":{"Enabled":false}}""");
        var errors = new StringWriter();
        Assert.Equal(2, await HotspotDaemon.RunAsync(config, false, errors, CancellationToken.None));
        Assert.Contains("readable by others", errors.ToString());

        await File.WriteAllTextAsync(config, """{"Region":"XX"}""");
        errors = new StringWriter();
        Assert.Equal(2, await HotspotDaemon.RunAsync(config, false, errors, CancellationToken.None));
        Assert.Contains("Region: unknown region 'XX'", errors.ToString());
    }

    [Fact]
    public async Task Run_refuses_a_radio_it_cannot_open_and_the_simulated_radio_type()
    {
        var key = Path.Combine(_dir, "hotspot.key");
        Assert.Equal(0, KeyTool.Create(key, "ed25519", false, Core.Identity.SeededRandomSource.FromLabel("d"), TextWriter.Null, TextWriter.Null));
        var config = Path.Combine(_dir, "hotspot.json");
        using var busy = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)busy.Client.LocalEndPoint!).Port;
        await File.WriteAllTextAsync(config, $$$"""{"DataDirectory":"{{{_dir}}}","Beaconing":{"Enabled":false},"Radio":{"Port":{{{port}}}}}""");
        var errors = new StringWriter();
        Assert.Equal(2, await HotspotDaemon.RunAsync(config, false, errors, CancellationToken.None));
        Assert.Contains("cannot open the Gwmp radio", errors.ToString());

        await File.WriteAllTextAsync(config, $$$"""{"DataDirectory":"{{{_dir}}}","Beaconing":{"Enabled":false},"Radio":{"Type":"simulated"}}""");
        errors = new StringWriter();
        Assert.Equal(2, await HotspotDaemon.RunAsync(config, false, errors, CancellationToken.None));
        Assert.Contains("Radio.Type: 'simulated' radios are handed in by the host process", errors.ToString());
    }

    [Fact]
    public async Task Run_starts_serves_status_and_stops_on_cancellation()
    {
        var key = Path.Combine(_dir, "hotspot.key");
        Assert.Equal(0, KeyTool.Create(key, "ed25519", false, Core.Identity.SeededRandomSource.FromLabel("d"), TextWriter.Null, TextWriter.Null));
        var config = Path.Combine(_dir, "hotspot.json");
        await File.WriteAllTextAsync(config, $$$"""{"DataDirectory":"{{{_dir}}}","Beaconing":{"Enabled":false},"StatusPort":0,"Radio":{"Port":0}}""");
        using var stop = new CancellationTokenSource(RuntimeFixture.Patience);
        var ready = new TaskCompletionSource<Uri>();
        var run = HotspotDaemon.RunAsync(config, true, TextWriter.Null, stop.Token, ready.SetResult);
        var baseUrl = await ready.Task.WaitAsync(RuntimeFixture.Patience);
        var output = new StringWriter();
        Assert.Equal(0, await StatusCommand.PrintAsync(new Uri(baseUrl, "status").ToString(), output, TextWriter.Null, CancellationToken.None));
        Assert.Equal("receiving", JsonDocument.Parse(output.ToString()).RootElement.GetProperty("radioState").GetString());
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(RuntimeFixture.Patience));
    }

    [Fact]
    public async Task Status_port_serves_status_json_health_and_metrics()
    {
        var radio = new SimulatedRadio();
        await using var hotspot = await RuntimeFixture.StartAsync(radio);
        await using var server = StatusServer.Create(hotspot.Runtime, "127.0.0.1", 0, NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        radio.Hear(new RxFrame([0x40, 1, 2, 3, 4, 0, 1, 0, 1, 5, 6, 7, 8], 868_500_000, new LoRaModulation(9, 125_000), LoRaCodingRate.Cr4_5, -99, 2, 42, RxCrcStatus.Ok));
        await RuntimeFixture.WaitUntilAsync(() => hotspot.Peers.PacketReports.Count == 1, "packet");
        await RuntimeFixture.WaitUntilAsync(() => hotspot.Runtime.Forwarder.Queue.Counters.Delivered == 1, "delivery counted");

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal("ok\n", await http.GetStringAsync("healthz"));
        var output = new StringWriter();
        Assert.Equal(0, await StatusCommand.PrintAsync(new Uri(server.BaseAddress, "status").ToString(), output, TextWriter.Null, CancellationToken.None));
        var status = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal(hotspot.Key.PublicKey.ToAddress(), status.GetProperty("address").GetString());
        Assert.Equal("receiving", status.GetProperty("radioState").GetString());
        Assert.Equal(1, status.GetProperty("packetsReceived").GetInt64());
        Assert.Equal("SF9BW125", status.GetProperty("lastPackets")[0].GetProperty("dataRate").GetString());
        Assert.Equal(0, status.GetProperty("forwardQueue").GetProperty("depth").GetInt32());
        var ns = status.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "network-server");
        Assert.True(ns.GetProperty("connected").GetBoolean());
        var metrics = await http.GetStringAsync("metrics");
        Assert.Contains("hotspot_packets_received_total 1", metrics);
        Assert.Contains("hotspot_forward_queue_depth 0", metrics);

        await hotspot.Runtime.DisposeAsync();
        var health = await http.GetAsync("healthz");
        Assert.Equal(503, (int)health.StatusCode);
        Assert.True(radio.Disposed);
    }

    [Fact]
    public async Task Status_command_reports_an_unreachable_daemon()
    {
        var errors = new StringWriter();
        Assert.Equal(1, await StatusCommand.PrintAsync($"http://127.0.0.1:{TestSupport.FreePort.Tcp()}/status", TextWriter.Null, errors, CancellationToken.None));
        Assert.Contains("cannot reach the hotspot daemon", errors.ToString());
    }
}
