using System.Text.Json;
using DePin.Wireless.NetworkServer.Cli;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.TestSupport;

namespace DePin.Wireless.NetworkServer.Tests.LoRaWan;

public class DecodeCommandTests
{
    private static async Task<List<JsonElement>> RunAsync(params string[] lines)
    {
        using var input = new StringReader(string.Join('\n', lines));
        using var output = new StringWriter();
        await DecodeCommand.ProcessJsonLinesAsync(input, output, CancellationToken.None);
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    private static string Line(object request) => JsonSerializer.Serialize(request);

    [Fact]
    public async Task Decodes_every_fixture_data_frame_like_lora_packet()
    {
        var cases = LoraPacketFixtures.Instance.Data;
        var lines = cases.Select(c => Line(new { phy = c.Phy, nwkSKey = c.NwkSKey, appSKey = c.AppSKey, fCntMsb = (int)(c.FCnt32 >> 16) })).ToArray();
        var results = await RunAsync(lines);
        Assert.Equal(cases.Count, results.Count);
        for (var i = 0; i < cases.Count; i++)
        {
            var (c, r) = (cases[i], results[i]);
            Assert.Equal(c.Mtype, r.GetProperty("mtype").GetString());
            Assert.Equal(c.DevAddr, r.GetProperty("devAddr").GetString());
            Assert.Equal(c.FCnt32 & 0xFFFF, r.GetProperty("fCnt").GetUInt32());
            Assert.Equal(c.FCnt32, r.GetProperty("fCnt32").GetUInt32());
            Assert.Equal(c.FOpts, r.GetProperty("fOpts").GetString());
            Assert.True(r.GetProperty("micValid").GetBoolean(), $"case {i}");
            Assert.Equal(c.Plaintext, r.GetProperty("payload").GetString());
            if (c.FPort is { } port)
            {
                Assert.Equal(port, r.GetProperty("fPort").GetInt32());
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, r.GetProperty("fPort").ValueKind);
            }
        }
    }

    [Fact]
    public async Task Wrong_msb_fails_the_mic_and_no_key_leaves_it_null()
    {
        var c = LoraPacketFixtures.Instance.Data.First(x => x.FCnt32 > 65535 && x.FPort > 0 && x.Plaintext.Length > 0);
        var results = await RunAsync(Line(new { phy = c.Phy, nwkSKey = c.NwkSKey, fCntMsb = 0 }), Line(new { phy = c.Phy }));
        Assert.False(results[0].GetProperty("micValid").GetBoolean());
        Assert.Equal(JsonValueKind.Null, results[1].GetProperty("micValid").ValueKind);
        Assert.False(results[1].TryGetProperty("fCnt32", out _));
        Assert.NotEqual(c.Plaintext, results[1].GetProperty("payload").GetString());
    }

    [Fact]
    public async Task Join_requests_report_euis_and_nonce()
    {
        var c = LoraPacketFixtures.Instance.JoinRequests[0];
        var r = (await RunAsync(Line(new { phy = c.Phy, appKey = c.AppKey })))[0];
        Assert.Equal("JoinRequest", r.GetProperty("mtype").GetString());
        Assert.Equal(c.JoinEui, r.GetProperty("joinEui").GetString());
        Assert.Equal(c.DevEui, r.GetProperty("devEui").GetString());
        Assert.Equal(c.DevNonce, r.GetProperty("devNonce").GetUInt16());
        Assert.True(r.GetProperty("micValid").GetBoolean());
    }

    [Fact]
    public async Task Join_accepts_are_decrypted_with_the_app_key()
    {
        var c = LoraPacketFixtures.Instance.JoinAccepts[0];
        var r = (await RunAsync(Line(new { phy = c.Phy, appKey = c.AppKey })))[0];
        Assert.Equal("JoinAccept", r.GetProperty("mtype").GetString());
        Assert.Equal(c.DevAddr, r.GetProperty("devAddr").GetString());
        Assert.Equal(c.NetId, r.GetProperty("netId").GetString());
        Assert.Equal(c.JoinNonce, r.GetProperty("joinNonce").GetUInt32());
        Assert.True(r.GetProperty("micValid").GetBoolean());
    }

    [Theory]
    [InlineData("not json", "line: not valid JSON")]
    [InlineData("[1,2]", "expected a JSON object")]
    [InlineData("{\"nwkSKey\":\"00\"}", "phy: missing")]
    [InlineData("{\"phy\":\"40f\"}", "odd number")]
    [InlineData("{\"phy\":\"40zz\"}", "not a hex string")]
    [InlineData("{\"phy\":\"4001\"}", "too short")]
    [InlineData("{\"phy\":\"40F17DBE4900020001954378762B11FF0D\",\"nwkSKey\":\"abc\"}", "nwkSKey")]
    [InlineData("{\"phy\":\"40F17DBE4900020001954378762B11FF0D\",\"fCntMsb\":70000}", "fCntMsb")]
    [InlineData("{\"phy\":\"40F17DBE4900020001954378762B11FF0D\",\"appKey\":5}", "appKey")]
    public async Task Undecodable_lines_give_an_error_and_processing_continues(string bad, string expected)
    {
        var results = await RunAsync(bad, Line(new { phy = "40F17DBE4900020001954378762B11FF0D" }));
        Assert.Equal(2, results.Count);
        Assert.Contains(expected, results[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("UnconfirmedDataUp", results[1].GetProperty("mtype").GetString());
    }

    [Fact]
    public void Readable_output_names_the_fields()
    {
        using var output = new StringWriter();
        var report = FrameInspector.Inspect(
            Convert.FromHexString("40F17DBE4900020001954378762B11FF0D"),
            new InspectionKeys { NwkSKey = AesKey.Parse("44024241ed4ce9a68c6a8bc055233fd3"), AppSKey = AesKey.Parse("ec925802ae430ca77fd3dd73cb2cc588") });
        DecodeCommand.WriteReadable(report, output);
        var text = output.ToString();
        Assert.Contains("Payload (decrypted)  74657374", text, StringComparison.Ordinal);
        Assert.Contains("MIC valid", text, StringComparison.Ordinal);
        Assert.Contains("49be7df1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_as_a_process()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "DePin.Wireless.NetworkServer.dll");
        var stdin = Line(new { phy = "40F17DBE4900020001954378762B11FF0D", nwkSKey = "44024241ed4ce9a68c6a8bc055233fd3", appSKey = "ec925802ae430ca77fd3dd73cb2cc588" }) + "\nnope\n";
        var jsonl = await ExternalProcess.RunAsync("dotnet", [dll, "decode", "--jsonl"], stdin: stdin);
        Assert.Equal(0, jsonl.ExitCode);
        var lines = jsonl.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"payload\":\"74657374\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"micValid\":true", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("{\"error\":", lines[1], StringComparison.Ordinal);

        var single = await ExternalProcess.RunAsync("dotnet", [dll, "decode", "40F17DBE4900020001954378762B11FF0D", "--nwkskey", "44024241ed4ce9a68c6a8bc055233fd3", "--appskey", "ec925802ae430ca77fd3dd73cb2cc588"]);
        Assert.Equal(0, single.ExitCode);
        Assert.Contains("74657374", single.StdOut, StringComparison.Ordinal);
        Assert.Contains("MIC valid            yes", single.StdOut, StringComparison.Ordinal);

        var bad = await ExternalProcess.RunAsync("dotnet", [dll, "decode", "4001"]);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("too short", bad.StdErr, StringComparison.Ordinal);
    }
}
