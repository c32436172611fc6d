using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.FirmwareBridge.Gwmp;
using DePin.Wireless.HotspotHost.Cli;
using DePin.Wireless.TestSupport;

namespace DePin.Wireless.HotspotHost.Tests.Cli;

public class MonitorCommandTests
{
    private static readonly Eui64 Gateway = Eui64.Parse("b827ebfffe6c2f01");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Json_mode_prints_one_line_per_rxpk_and_per_malformed_datagram_then_exits_after_count()
    {
        var output = new StringWriter();
        var listening = new TaskCompletionSource<IPEndPoint>();
        using var cancel = new CancellationTokenSource(Patience);
        var monitor = PacketMonitor.RunAsync(new MonitorSettings(Port: 0, Count: 3, Json: true), output, TextWriter.Null, cancel.Token, listening.SetResult);
        var endpoint = await listening.Task.WaitAsync(Patience);

        using var client = new GwmpClient(new GwmpClientOptions { Gateway = Gateway, ServerPort = endpoint.Port, KeepaliveInterval = TimeSpan.Zero, AckTimeout = TimeSpan.FromSeconds(2) });
        var loop = client.RunAsync(cancel.Token);
        var first = RxPacket.Lora(1000, new Hz(868_100_000), new DataRate(7, 125), GwmpCodingRate.Cr4_5, -42, 9.25, [1, 2, 3]) with { Channel = 1, RssiSignal = -43 };
        var second = RxPacket.Lora(2000, new Hz(868_300_000), new DataRate(12, 125), GwmpCodingRate.Cr4_8, -118, -14.5, [4, 5]);
        Assert.True((await client.PushAsync([first, second])).Acknowledged);
        await SendRawAsync(endpoint, [2, 9, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, (byte)'{']);
        await Task.Delay(200);
        Assert.True((await client.PushAsync([first with { Tmst = 3000 }])).Acknowledged);

        Assert.Equal(0, await monitor.WaitAsync(Patience));
        await cancel.CancelAsync();
        await loop;

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(4, lines.Count);
        var packets = lines.Where(l => l.TryGetProperty("gatewayEui", out _)).ToList();
        Assert.Equal(3, packets.Count);
        var p = packets[0];
        Assert.Equal("b827ebfffe6c2f01", p.GetProperty("gatewayEui").GetString());
        Assert.Equal(868.1, p.GetProperty("freq").GetDouble());
        Assert.Equal("SF7BW125", p.GetProperty("datr").GetString());
        Assert.Equal(-42, p.GetProperty("rssi").GetDouble());
        Assert.Equal(9.25, p.GetProperty("lsnr").GetDouble());
        Assert.Equal(1000u, p.GetProperty("tmst").GetUInt32());
        Assert.Equal(3, p.GetProperty("size").GetInt32());
        Assert.Equal("AQID", p.GetProperty("data").GetString());
        Assert.Equal(1u, p.GetProperty("chan").GetUInt32());
        Assert.Equal(-43, p.GetProperty("rssis").GetDouble());
        Assert.Equal("4/5", p.GetProperty("codr").GetString());
        Assert.Equal("SF12BW125", packets[1].GetProperty("datr").GetString());
        Assert.Equal(3000u, packets[2].GetProperty("tmst").GetUInt32());

        var error = Assert.Single(lines, l => l.TryGetProperty("error", out _));
        Assert.Equal("bad_json", error.GetProperty("error").GetString());
        Assert.Contains("invalid JSON", error.GetProperty("reason").GetString());
        Assert.StartsWith("127.0.0.1:", error.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Table_mode_prints_a_row_per_packet()
    {
        var output = new StringWriter();
        var listening = new TaskCompletionSource<IPEndPoint>();
        using var cancel = new CancellationTokenSource(Patience);
        var monitor = PacketMonitor.RunAsync(new MonitorSettings(Port: 0, Count: 2), output, TextWriter.Null, cancel.Token, listening.SetResult);
        var endpoint = await listening.Task.WaitAsync(Patience);
        using var client = new GwmpClient(new GwmpClientOptions { Gateway = Gateway, ServerPort = endpoint.Port, KeepaliveInterval = TimeSpan.Zero, AckTimeout = TimeSpan.FromSeconds(2) });
        var loop = client.RunAsync(cancel.Token);
        Assert.True((await client.PushAsync([RxPacket.Lora(77, new Hz(867_500_000), new DataRate(9, 125), GwmpCodingRate.Cr4_5, -101, -3.5, [0xde, 0xad])])).Acknowledged);
        Assert.True((await client.PushAsync([RxPacket.Lora(78, new Hz(867_700_000), new DataRate(10, 125), GwmpCodingRate.Cr4_5, -102, -4, [0xbe, 0xef])])).Acknowledged);

        Assert.Equal(0, await monitor.WaitAsync(Patience));
        await cancel.CancelAsync();
        await loop;

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("freq MHz", lines[0]);
        var rows = lines.Where(l => l.Contains("b827ebfffe6c2f01", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("867.500000", rows[0]);
        Assert.Contains("SF9BW125", rows[0]);
        Assert.Contains("-101", rows[0]);
        Assert.Contains("dead", rows[0]);
        Assert.Contains("SF10BW125", rows[1]);
    }

    [Fact]
    public async Task Invalid_bind_address_is_refused_with_exit_code_2()
    {
        var diagnostics = new StringWriter();
        Assert.Equal(2, await PacketMonitor.RunAsync(new MonitorSettings(BindAddress: "not-an-ip", Port: 0), TextWriter.Null, diagnostics, CancellationToken.None));
        Assert.Contains("--bind 'not-an-ip'", diagnostics.ToString());
    }

    [Fact]
    public async Task Monitor_runs_as_a_process_from_the_command_line()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "DePin.Wireless.HotspotHost.dll");
        var port = FreePort.Udp();
        var process = ExternalProcess.RunAsync("dotnet", ["exec", dll, "monitor", "--gwmp-port", port.ToString(), "--count", "1", "--json", "--bind", "127.0.0.1"], timeout: TimeSpan.FromSeconds(60));

        // The process needs a moment to start; the forwarder resends its uplink until the monitor acknowledges it.
        using var client = new GwmpClient(new GwmpClientOptions { Gateway = Gateway, ServerPort = port, KeepaliveInterval = TimeSpan.Zero, AckTimeout = TimeSpan.FromMilliseconds(250), PushRetries = 200 });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var loop = client.RunAsync(cancel.Token);
        var outcome = await client.PushAsync([RxPacket.Lora(4242, new Hz(868_500_000), new DataRate(8, 125), GwmpCodingRate.Cr4_5, -88, 6, [7, 7, 7])], cancellationToken: cancel.Token);
        var result = await process;
        await cancel.CancelAsync();
        await loop;

        Assert.True(outcome.Acknowledged);
        Assert.True(result.ExitCode == 0, result.StdErr);
        var line = JsonDocument.Parse(result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).First()).RootElement;
        Assert.Equal(4242u, line.GetProperty("tmst").GetUInt32());
        Assert.Equal("b827ebfffe6c2f01", line.GetProperty("gatewayEui").GetString());
        Assert.Contains($"listening for GWMP on 127.0.0.1:{port}", result.StdErr);
    }

    private static async Task SendRawAsync(IPEndPoint endpoint, byte[] datagram)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await socket.SendToAsync(datagram, endpoint);
    }
}
