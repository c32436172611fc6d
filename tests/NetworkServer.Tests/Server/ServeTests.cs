using System.Net.Http.Json;
using System.Text.Json;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.NetworkServer.Mqtt;
using DePin.Wireless.NetworkServer.Server;
using DePin.Wireless.NetworkServer.Tests.Pipeline;
using DePin.Wireless.Proto;
using DePin.Wireless.TestSupport;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePin.Wireless.NetworkServer.Tests.Server;

/// <summary>
/// `serve` over real HTTP with PostgreSQL, the admin CLI as a process, DataCredits over HTTP, and Mosquitto:
/// a hotspot POSTs signed packet reports and gets PacketReportResponses; the application gets ChirpStack JSON.
/// </summary>
public class ServeTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string DevEui = "0004a30b001c0530";
    private const string NwkSKey = "44024241ed4ce9a68c6a8bc055233fd3";
    private const string AppSKey = "ec925802ae430ca77fd3dd73cb2cc588";
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "DePin.Wireless.NetworkServer.dll");

    private static Task<ExternalProcess.Result> CliAsync(params string[] args) => ExternalProcess.RunAsync("dotnet", [Dll, .. args]);

    private async Task<string> ProvisionWithCliAsync()
    {
        var db = await postgres.Server.CreateDatabaseAsync("serve");
        var app = await CliAsync("app", "add", "--db", db, "--id", "7", "--name", "Seven");
        Assert.True(app.ExitCode == 0, app.StdErr);
        Assert.Equal("7", JsonDocument.Parse(app.StdOut).RootElement.GetProperty("id").GetString());
        var org = await CliAsync("org", "add", "--db", db, "--oui", "1", "--payer", "0xabc", "--devaddr-range", "48000000-48ffffff", "--join-eui-range", "70b3d57ed0000000-70b3d57ed000ffff", "--max-copies", "2");
        Assert.True(org.ExitCode == 0, org.StdErr);
        var device = await CliAsync("device", "add", "--db", db, "--app", "7", "--dev-eui", DevEui, "--abp", "--dev-addr", "48000042", "--nwkskey", NwkSKey, "--appskey", AppSKey);
        Assert.True(device.ExitCode == 0, device.StdErr);

        var bad = await CliAsync("device", "add", "--db", db, "--app", "7", "--dev-eui", "0102", "--join-eui", "70b3d57ed0000001", "--app-key", NwkSKey);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("dev-eui", bad.StdErr, StringComparison.Ordinal);
        var otaa = await CliAsync("device", "add", "--db", db, "--app", "7", "--dev-eui", "0000000000000099", "--join-eui", "70b3d57ed0000001", "--app-key", NwkSKey, "--region", "US915");
        Assert.True(otaa.ExitCode == 0, otaa.StdErr);
        var list = JsonDocument.Parse((await CliAsync("device", "list", "--db", db, "--app", "7")).StdOut).RootElement;
        Assert.Equal(["0000000000000099", DevEui], list.EnumerateArray().Select(d => d.GetProperty("devEui").GetString()));
        Assert.Equal("48000042", list[1].GetProperty("devAddr").GetString());
        var removed = await CliAsync("device", "remove", "--db", db, "--dev-eui", "0000000000000099");
        Assert.True(removed.ExitCode == 0, removed.StdErr);
        Assert.NotEqual(0, (await CliAsync("device", "remove", "--db", db, "--dev-eui", "0000000000000099")).ExitCode);
        return db;
    }

    private static byte[] SignedReport(KeyPair hotspot, byte[] phy, double snr, uint tmst) =>
        new EnvelopeSigner(hotspot, TimeProvider.System, SystemRandomSource.Instance).SignToBytes(new PacketReport
        {
            HotspotKey = ByteString.CopyFrom(hotspot.PublicKey.Bytes),
            Payload = ByteString.CopyFrom(phy),
            ReceivedNs = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000,
            Tmst = tmst,
            FrequencyHz = 868_300_000,
            Datarate = "SF7BW125",
            SnrCdb = (int)(snr * 100),
            SignalDdbm = -1000,
            Region = "EU868",
        });

    private static async Task<PacketReportResponse> PostAsync(HttpClient http, byte[] envelope)
    {
        using var content = new ByteArrayContent(envelope);
        content.Headers.ContentType = new("application/x-protobuf");
        using var response = await http.PostAsync("v1/packet-reports", content);
        response.EnsureSuccessStatusCode();
        return PacketReportResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Serve_answers_signed_packet_reports_over_http_with_the_ack_in_the_best_hotspots_response()
    {
        var db = await ProvisionWithCliAsync();
        await using var dataCredits = await DataCreditsStub.StartAsync();
        // A 500 ms dedup window (default 200 ms): the third hotspot's copy below is sent 60 ms after the others and must
        // still land inside the window when a loaded machine delays the requests (it once arrived late under load).
        await using var host = await NetworkServerHost.StartAsync(new NetworkServerOptions { Port = FreePort.Tcp(), Database = db, DataCreditsUrl = dataCredits.Url.ToString(), DedupWindowMs = 500 }, NullLoggerFactory.Instance);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var device = SimulatedDevice.Abp(Eui64.Parse(DevEui), new DevAddr(0x48000042), AesKey.Parse(NwkSKey), AesKey.Parse(AppSKey));
        using var near = KeyPair.Generate(KeyType.Ed25519, SystemRandomSource.Instance);
        using var far = KeyPair.Generate(KeyType.Ed25519, SystemRandomSource.Instance);
        using var third = KeyPair.Generate(KeyType.Ed25519, SystemRandomSource.Instance);
        var frame = device.Uplink(5, [1, 2], confirmed: true);

        var answers = await Task.WhenAll(PostAsync(http, SignedReport(far, frame, -4, 10)), PostAsync(http, SignedReport(near, frame, 6, 20)));
        Assert.True(answers[0].Accepted && answers[1].Accepted, answers[0].Reason + answers[1].Reason);
        Assert.Null(answers[0].Downlink);
        var downlink = answers[1].Downlink;
        Assert.True(device.ReadDownlink(downlink.Payload.ToByteArray(), 0).Ack);
        Assert.Equal((1_000_020u, 2_000_020u), (downlink.Rx1.Tmst, downlink.Rx2.Tmst));

        // max_copies is 2: a third hotspot's copy arriving inside the window is not bought.
        var second = device.Uplink(5, [7]);
        var three = await Task.WhenAll(PostAsync(http, SignedReport(far, second, -4, 10)), PostAsync(http, SignedReport(near, second, 6, 20)), DelayedAsync());

        async Task<PacketReportResponse> DelayedAsync()
        {
            await Task.Delay(60);
            return await PostAsync(http, SignedReport(third, second, 9, 30));
        }

        Assert.Equal(["", "", "not_bought_max_copies"], three.Select(a => a.Reason));
        Assert.Equal(4, dataCredits.Requests.Count);

        var health = await http.GetFromJsonAsync<JsonElement>("healthz");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        var metrics = await http.GetStringAsync("metrics");
        Assert.Contains("ns_copies_bought_total 4", metrics, StringComparison.Ordinal);

        // Admin API: queue a downlink; it rides on the next uplink's answer.
        using var queued = await http.PostAsJsonAsync($"v1/devices/{DevEui}/queue", new { fPort = 9, data = Convert.ToBase64String([0x42]), confirmed = false });
        Assert.True(queued.IsSuccessStatusCode, await queued.Content.ReadAsStringAsync());
        var next = await PostAsync(http, SignedReport(near, device.Uplink(5, [3]), 6, 40));
        var (_, _, fPort, payload, _) = device.ReadDownlink(next.Downlink.Payload.ToByteArray(), 1);
        Assert.Equal((byte?)9, fPort);
        Assert.Equal([0x42], payload);

        // The hotspot reports the concentrator's TX_ACK; only once, and only for a downlink it was given.
        var txAck = new EnvelopeSigner(near, TimeProvider.System, SystemRandomSource.Instance).SignToBytes(new TxAckReport
        {
            HotspotKey = ByteString.CopyFrom(near.PublicKey.Bytes),
            DownlinkId = next.Downlink.DownlinkId,
            Rx1Error = "NONE",
        });
        using (var accepted = await http.PostAsync("v1/tx-acks", new ByteArrayContent(txAck)))
        {
            Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
        }

        using (var again = await http.PostAsync("v1/tx-acks", new ByteArrayContent(txAck)))
        {
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, again.StatusCode); // the envelope's nonce is a replay now
        }

        // SF7 uplinks: RX1 DR5 allows 222 bytes but the RX2 fallback (DR0) only 51, so 52 bytes are refused, not truncated.
        using var tooBig = await http.PostAsJsonAsync($"v1/devices/{DevEui}/queue", new { fPort = 9, data = Convert.ToBase64String(new byte[52]), confirmed = false });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, tooBig.StatusCode);
        Assert.Contains("data: 52 bytes exceed the 51-byte maximum of EU868 RX1 DR5 / RX2 DR0", await tooBig.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var badDevice = await http.PostAsJsonAsync("v1/devices", new { devEui = "zz", applicationId = "7", joinEui = "70b3d57ed0000001", appKey = NwkSKey });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badDevice.StatusCode);
        Assert.Contains("dev-eui", await badDevice.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var garbage = await http.PostAsync("v1/packet-reports", new ByteArrayContent([1, 2, 3]));
        Assert.Equal("bad_envelope", PacketReportResponse.Parser.ParseFrom(await garbage.Content.ReadAsByteArrayAsync()).Reason);
    }

    [Fact]
    public async Task Serve_with_mqtt_delivers_decrypted_uplinks_to_the_application_and_takes_its_downlink_commands()
    {
        var db = await ProvisionWithCliAsync();
        await using var dataCredits = await DataCreditsStub.StartAsync();
        var ns = new MosquittoUser("network-server", "ns-pw", []);
        var appUser = new MosquittoUser("app-7", "pw-7", []);
        await using var broker = await MosquittoServer.StartAsync([ns, appUser], new MosquittoAclGenerator(new MosquittoAclOptions()).Generate([AppId.Parse("7")]));
        await using var host = await NetworkServerHost.StartAsync(new NetworkServerOptions
        {
            Port = FreePort.Tcp(),
            Database = db,
            DataCreditsUrl = dataCredits.Url.ToString(),
            Mqtt = new MqttIntegrationOptions { Enabled = true, Host = broker.Host, Port = broker.Port, UserName = ns.UserName, Password = ns.Password },
        }, NullLoggerFactory.Instance);
        await using var app = new MqttClient(new MqttClientOptions { Host = broker.Host, Port = broker.Port, ClientId = "app-7-test", UserName = appUser.UserName, Password = appUser.Password }, NullLogger<MqttClient>.Instance, TimeProvider.System);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await app.ConnectAsync(timeout.Token);
        await app.SubscribeAsync("application/7/device/+/event/up", MqttQos.AtLeastOnce, timeout.Token);

        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var device = SimulatedDevice.Abp(Eui64.Parse(DevEui), new DevAddr(0x48000042), AesKey.Parse(NwkSKey), AesKey.Parse(AppSKey));
        using var hotspots = new CompositeKeys(3);
        var frame = device.Uplink(3, "hello"u8.ToArray());
        var answers = await Task.WhenAll(hotspots.Keys.Select((k, i) => PostAsync(http, SignedReport(k, frame, i, 100))));
        Assert.Equal(["", "", "not_bought_max_copies"], answers.Select(a => a.Reason).Order());

        var message = await app.Messages.ReadAsync(timeout.Token);
        Assert.Equal($"application/7/device/{DevEui}/event/up", message.Topic);
        var up = IntegrationJson.Deserialize<UplinkEvent>(message.Payload.Span);
        Assert.Equal("hello"u8.ToArray(), up.Data);
        Assert.Equal((3u, 0u, 2), (up.FPort, up.FCnt, up.RxInfo.Count));
        using (var json = JsonDocument.Parse(message.Payload))
        {
            Assert.Equal(Convert.ToBase64String("hello"u8.ToArray()), json.RootElement.GetProperty("data").GetString());
        }

        await app.PublishAsync($"application/7/device/{DevEui}/command/down", """{"devEui":"0004a30b001c0530","fPort":12,"data":"AQI="}"""u8.ToArray(), MqttQos.AtLeastOnce, false, timeout.Token);
        PacketReportResponse next;
        var attempts = 0;
        do
        {
            // The command travels broker → network server asynchronously; each uplink looks at the queue once.
            await Task.Delay(100, timeout.Token);
            next = await PostAsync(http, SignedReport(hotspots.Keys[0], device.Uplink(3, [0]), 5, 200));
        }
        while (next.Downlink is null && ++attempts < 20);

        var (_, _, fPort, payload, _) = device.ReadDownlink(next.Downlink!.Payload.ToByteArray(), 0);
        Assert.Equal((byte?)12, fPort);
        Assert.Equal([1, 2], payload);
    }

    private sealed class CompositeKeys(int count) : IDisposable
    {
        public KeyPair[] Keys { get; } = Enumerable.Range(0, count).Select(_ => KeyPair.Generate(KeyType.Ed25519, SystemRandomSource.Instance)).ToArray();

        public void Dispose()
        {
            foreach (var key in Keys)
            {
                key.Dispose();
            }
        }
    }
}
