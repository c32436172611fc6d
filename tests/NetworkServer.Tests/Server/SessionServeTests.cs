using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.NetworkServer.Server;
using DePin.Wireless.NetworkServer.Tests.Pipeline;
using DePin.Wireless.Proto;
using DePin.Wireless.TestSupport;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePin.Wireless.NetworkServer.Tests.Server;

/// <summary>
/// Session v1 against `serve` over real HTTP on loopback (in-memory store, DataCredits stub): a hotspot opens a
/// session, its packet reports sent as session frames are bought and answered like signed ones; a replayed or
/// wrongly tagged frame is refused; after a restart the session is unknown (401) and the hotspot re-opens.
/// </summary>
public sealed class SessionServeTests
{
    private const string DevEui = "0004a30b001c0530";
    private const string NwkSKey = "44024241ed4ce9a68c6a8bc055233fd3";
    private const string AppSKey = "ec925802ae430ca77fd3dd73cb2cc588";
    private static readonly MediaTypeHeaderValue FrameType = MediaTypeHeaderValue.Parse(SessionProtocol.FrameContentType);

    [Fact]
    public async Task Session_packet_reports_are_bought_replays_and_bad_tags_refused_and_a_restart_answers_401()
    {
        await using var dataCredits = await DataCreditsStub.StartAsync();
        var options = new NetworkServerOptions { Port = FreePort.Tcp(), DataCreditsUrl = dataCredits.Url.ToString(), DedupWindowMs = 50 };
        var host = await NetworkServerHost.StartAsync(options, NullLoggerFactory.Instance);
        using var hotspot = KeyPair.Generate(KeyType.Ed25519, SystemRandomSource.Instance);
        var device = SimulatedDevice.Abp(Eui64.Parse(DevEui), new DevAddr(0x48000042), AesKey.Parse(NwkSKey), AesKey.Parse(AppSKey));
        try
        {
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            await ProvisionAsync(http);
            var session = await OpenAsync(http, hotspot);
            Assert.Equal(1, host.Sessions.Count);

            var first = session.SealToBytes(Report(hotspot, device.Uplink(5, [1, 2], confirmed: true), 10));
            var answer = await PostFrameAsync(http, first);
            Assert.True(answer.Response!.Accepted, answer.Response.Reason);
            Assert.True(device.ReadDownlink(answer.Response.Downlink.Payload.ToByteArray(), 0).Ack);
            var second = await PostFrameAsync(http, session.SealToBytes(Report(hotspot, device.Uplink(5, [3]), 20)));
            Assert.True(second.Response!.Accepted, second.Response.Reason);
            Assert.Equal(2, dataCredits.Requests.Count);

            var replay = await PostFrameAsync(http, first);
            Assert.False(replay.Response!.Accepted);
            Assert.Equal("replayed", replay.Response.Reason);

            var forged = SessionFrame.Parser.ParseFrom(session.SealToBytes(Report(hotspot, device.Uplink(5, [4]), 30)));
            forged.Tag = ByteString.CopyFrom(new byte[16]);
            var badTag = await PostFrameAsync(http, forged.ToByteArray());
            Assert.Equal("bad_tag", badTag.Response!.Reason);

            // Another hotspot's report in this hotspot's session: authenticated, but not its own report.
            using var other = KeyPair.Generate(KeyType.Ed25519, SystemRandomSource.Instance);
            var foreign = await PostFrameAsync(http, session.SealToBytes(Report(other, device.Uplink(5, [5]), 40)));
            Assert.Equal("bad_envelope", foreign.Response!.Reason);
            Assert.Equal(2, dataCredits.Requests.Count);

            // Plain application/x-protobuf is still the signed-envelope path.
            using (var envelope = new ByteArrayContent(new EnvelopeSigner(hotspot, TimeProvider.System, SystemRandomSource.Instance).SignToBytes(Report(hotspot, device.Uplink(5, [6]), 50))))
            {
                envelope.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
                using var response = await http.PostAsync("v1/packet-reports", envelope);
                Assert.True(PacketReportResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).Accepted);
            }

            var metrics = await http.GetStringAsync("metrics");
            Assert.Contains("ns_session_opens_total{outcome=\"accepted\"} 1", metrics, StringComparison.Ordinal);

            // A restarted server holds no sessions.
            await host.DisposeAsync();
            host = await NetworkServerHost.StartAsync(new NetworkServerOptions { Port = FreePort.Tcp(), DataCreditsUrl = dataCredits.Url.ToString() }, NullLoggerFactory.Instance);
            using var http2 = new HttpClient { BaseAddress = host.BaseAddress };
            var unknown = await PostFrameAsync(http2, session.SealToBytes(Report(hotspot, device.Uplink(5, [7]), 60)));
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
            Assert.StartsWith("unknown_session: session_id: no session", unknown.Error);
            Assert.Equal(0, host.Sessions.Count);
            var reopened = await OpenAsync(http2, hotspot);
            var afterReopen = await PostFrameAsync(http2, reopened.SealToBytes(Report(hotspot, device.Uplink(5, [8]), 70)));
            Assert.Equal(HttpStatusCode.OK, afterReopen.Status);
            Assert.Equal("no_route", afterReopen.Response!.Reason); // the restarted in-memory store has no organisations: past stage 1
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Opens_for_another_audience_or_with_a_bad_signature_are_refused_with_json_errors()
    {
        await using var dataCredits = await DataCreditsStub.StartAsync();
        await using var host = await NetworkServerHost.StartAsync(new NetworkServerOptions { Port = FreePort.Tcp(), DataCreditsUrl = dataCredits.Url.ToString() }, NullLoggerFactory.Instance);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var hotspot = KeyPair.Generate(KeyType.Ed25519, SystemRandomSource.Instance);

        var oracleOpen = SessionOpenRequest.Create(new EnvelopeSigner(hotspot, TimeProvider.System, SystemRandomSource.Instance), SessionProtocol.CoverageOracle, SystemRandomSource.Instance, TimeProvider.System);
        var wrongAudience = await PostOpenAsync(http, oracleOpen.Body);
        Assert.Equal(HttpStatusCode.BadRequest, wrongAudience.Status);
        Assert.Equal("malformed: audience: this service is \"network-server\", the request names \"coverage-oracle\"", wrongAudience.Error);

        var envelope = SignedEnvelope.Parser.ParseFrom(SessionOpenRequest.Create(new EnvelopeSigner(hotspot, TimeProvider.System, SystemRandomSource.Instance), SessionProtocol.NetworkServer, SystemRandomSource.Instance, TimeProvider.System).Body);
        envelope.TimestampMs += 1;
        var badSignature = await PostOpenAsync(http, envelope.ToByteArray());
        Assert.Equal(HttpStatusCode.Unauthorized, badSignature.Status);
        Assert.StartsWith("bad_signature: signature: does not verify", badSignature.Error);
        Assert.Equal(0, host.Sessions.Count);
    }

    private static PacketReport Report(KeyPair hotspot, byte[] phy, uint tmst) => new()
    {
        HotspotKey = ByteString.CopyFrom(hotspot.PublicKey.Bytes),
        Payload = ByteString.CopyFrom(phy),
        ReceivedNs = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000,
        Tmst = tmst,
        FrequencyHz = 868_300_000,
        Datarate = "SF7BW125",
        SnrCdb = 600,
        SignalDdbm = -1000,
        Region = "EU868",
    };

    private static async Task ProvisionAsync(HttpClient http)
    {
        foreach (var (path, body) in new (string, object)[]
        {
            ("v1/applications", new { id = "7", name = "Seven" }),
            ("v1/organizations", new { oui = 1, payer = "0xabc", devAddrRange = "48000000-48ffffff", joinEuiRange = "70b3d57ed0000000-70b3d57ed000ffff", maxCopies = 2 }),
            ("v1/devices", new { devEui = DevEui, applicationId = "7", abp = true, devAddr = "48000042", nwkSKey = NwkSKey, appSKey = AppSKey }),
        })
        {
            using var response = await http.PostAsJsonAsync(path, body);
            Assert.True(response.IsSuccessStatusCode, path + ": " + await response.Content.ReadAsStringAsync());
        }
    }

    private static async Task<SessionSealer> OpenAsync(HttpClient http, KeyPair hotspot)
    {
        var request = SessionOpenRequest.Create(new EnvelopeSigner(hotspot, TimeProvider.System, SystemRandomSource.Instance), SessionProtocol.NetworkServer, SystemRandomSource.Instance, TimeProvider.System);
        using var content = new ByteArrayContent(request.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var response = await http.PostAsync("v1/sessions", content);
        var answer = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, System.Text.Encoding.UTF8.GetString(answer));
        return request.Complete(answer);
    }

    private static async Task<(HttpStatusCode Status, string? Error)> PostOpenAsync(HttpClient http, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var response = await http.PostAsync("v1/sessions", content);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.GetProperty("error").GetString());
    }

    private static async Task<(HttpStatusCode Status, PacketReportResponse? Response, string? Error)> PostFrameAsync(HttpClient http, byte[] frame)
    {
        using var content = new ByteArrayContent(frame);
        content.Headers.ContentType = FrameType;
        using var response = await http.PostAsync("v1/packet-reports", content);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return (response.StatusCode, null, json.RootElement.GetProperty("error").GetString());
        }

        return (response.StatusCode, PacketReportResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()), null);
    }
}
