using System.Text.Json;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.FirmwareBridge.Gwmp;
using DePin.Wireless.TestSupport;

namespace DePin.Wireless.FirmwareBridge.Tests.Gwmp;

/// <summary>
/// Cross-check of our server with an independent GWMP client: npm packet-forwarder@1.0.8 (tools/node),
/// driven by packet-forwarder-peer.js. The npm client resolves an uplink only on a datagram echoing its token.
/// </summary>
public sealed class NodePacketForwarderTests
{
    [Fact]
    public async Task Npm_packet_forwarder_uplinks_are_decoded_and_our_acks_accepted()
    {
        var gateway = Eui64.Parse("dabbccffff2a79cb");
        using var server = new GwmpServer(new GwmpServerOptions { BindAddress = "127.0.0.1", Port = FreePort.Udp() });
        using var stop = new CancellationTokenSource();
        var loop = server.RunAsync(stop.Token);
        const int count = 3;

        var script = RepoPaths.Combine("tests", "FirmwareBridge.Tests", "Gwmp", "packet-forwarder-peer.js");
        var run = await ExternalProcess.RunAsync("node", [script, RepoPaths.NodeModules, server.LocalEndPoint.Port.ToString(), gateway.ToString(), count.ToString()], timeout: TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await loop;

        Assert.True(run.ExitCode == 0, $"node peer failed ({run.ExitCode}): {run.StdErr}{run.StdOut}");
        using var report = JsonDocument.Parse(run.StdOut);
        var root = report.RootElement;
        Assert.Equal(count, root.GetProperty("acked").GetInt32());
        Assert.False(root.GetProperty("badAcked").GetBoolean());
        Assert.True(root.GetProperty("pullAcked").GetBoolean());
        var seen = root.GetProperty("seen").EnumerateArray().ToList();
        Assert.Equal(count + 1, seen.Count);
        Assert.All(seen, m => Assert.Equal(4, m.GetProperty("length").GetInt32()));
        Assert.Equal(count, seen.Count(m => m.GetProperty("type").GetInt32() == (int)GwmpPacketType.PushAck));
        Assert.Equal("5aa5", seen.Single(m => m.GetProperty("type").GetInt32() == (int)GwmpPacketType.PullAck).GetProperty("token").GetString());

        var uplinks = new List<ReceivedUplink>();
        await foreach (var u in server.Uplinks.ReadAllAsync())
        {
            uplinks.Add(u);
        }

        Assert.Equal(count, uplinks.Count);
        for (var i = 0; i < count; i++)
        {
            var p = uplinks[i].Packet;
            Assert.Equal(gateway, uplinks[i].Gateway);
            Assert.Equal(1_525_168_800u + (uint)i, p.Tmst);
            Assert.Equal(new Hz(868_300_000), p.Frequency);
            Assert.Equal(new DataRate(8, 125), p.LoraDataRate);
            Assert.Equal(-97 - i, p.Rssi);
            Assert.Equal(12, p.Snr);
            Assert.Null(p.GpsTimeMs);
            Assert.Null(p.Channel);
            Assert.Equal(new DateTimeOffset(2018, 5, 1, 12, 0, 0, TimeSpan.Zero), p.Time);
            Assert.Equal(14, p.Size);
            Assert.Equal((byte)i, p.Data[6]);
        }

        var rejected = await server.Errors.ReadAsync();
        Assert.Equal(GwmpErrorKind.SizeMismatch, rejected.Error.Kind);
        Assert.True(server.Registry.TryGet(gateway, out _));
    }
}
