using System.Text;
using System.Text.Json;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.Integration;

namespace DePin.Wireless.NetworkServer.Tests.Integration;

public class IntegrationEventTests
{
    internal static readonly Eui64 Device = Eui64.Parse("0102030405060708");
    internal static readonly AppId App = AppId.Parse("7");
    internal static readonly DateTimeOffset T0 = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    internal static DeviceInfo Info => new() { ApplicationId = App, DevEui = Device, DeviceName = "meter-1" };

    internal static TxInfo Tx => new()
    {
        Frequency = 868_100_000,
        Modulation = new Modulation { Lora = new LoraModulationInfo { Bandwidth = 125_000, SpreadingFactor = 7, CodeRate = LoraModulationInfo.CodeRateName(5) } },
    };

    internal static UplinkEvent Uplink => new()
    {
        DeduplicationId = Guid.Parse("5f0e6e4e-1d2c-4b6a-9a51-2f1d8c3b7a10"),
        Time = T0,
        DeviceInfo = Info,
        DevAddr = "26011bda",
        Dr = 5,
        FCnt = 70_000,
        FPort = 10,
        Confirmed = true,
        Data = [0xDE, 0xAD, 0xBE, 0xEF],
        RxInfo = [new UplinkRxInfo { GatewayId = "aa555a0000000001", Rssi = -57, Snr = 9.5, Channel = 2 }, new UplinkRxInfo { GatewayId = "aa555a0000000002", Rssi = -101, Snr = -3.25 }],
        TxInfo = Tx,
    };

    [Fact]
    public void DevEui_is_written_lowercase_and_read_in_either_case()
    {
        Assert.Equal("0102030405060708", Device.ToString());
        var json = Encoding.UTF8.GetString(IntegrationJson.Serialize(Uplink with { DeviceInfo = Info with { DevEui = Eui64.Parse("A0B1C2D3E4F50607") } }));
        Assert.Contains("\"devEui\":\"a0b1c2d3e4f50607\"", json, StringComparison.Ordinal);
        var upper = json.Replace("a0b1c2d3e4f50607", "A0B1C2D3E4F50607", StringComparison.Ordinal);
        Assert.Equal(Eui64.Parse("a0b1c2d3e4f50607"), IntegrationJson.Deserialize<UplinkEvent>(Encoding.UTF8.GetBytes(upper)).DeviceInfo.DevEui);
        var bad = json.Replace("a0b1c2d3e4f50607", "010203040506070g", StringComparison.Ordinal);
        Assert.Contains("devEui", Assert.Throws<JsonException>(() => IntegrationJson.Deserialize<UplinkEvent>(Encoding.UTF8.GetBytes(bad))).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IntegrationEventType.Up, "application/7/device/0102030405060708/event/up")]
    [InlineData(IntegrationEventType.Join, "application/7/device/0102030405060708/event/join")]
    [InlineData(IntegrationEventType.Ack, "application/7/device/0102030405060708/event/ack")]
    [InlineData(IntegrationEventType.TxAck, "application/7/device/0102030405060708/event/txack")]
    [InlineData(IntegrationEventType.Status, "application/7/device/0102030405060708/event/status")]
    public void Event_topics_follow_chirpstack(IntegrationEventType type, string expected)
    {
        Assert.Equal(expected, ApplicationTopics.Event(App, Device, type));
    }

    [Fact]
    public void Command_topic_builds_and_parses_back()
    {
        var topic = ApplicationTopics.CommandDown(App, Device);
        Assert.Equal("application/7/device/0102030405060708/command/down", topic);
        Assert.True(ApplicationTopics.TryParseCommandDown(topic, out var app, out var eui));
        Assert.Equal((App, Device), (app, eui));
        Assert.False(ApplicationTopics.TryParseCommandDown("application/7/device/0102030405060708/event/up", out _, out _));
        Assert.False(ApplicationTopics.TryParseCommandDown("application/7/device/xyz/command/down", out _, out _));
    }

    [Fact]
    public void Uplink_json_has_the_chirpstack_field_names_and_encodings()
    {
        using var doc = JsonDocument.Parse(IntegrationJson.Serialize(Uplink));
        var root = doc.RootElement;
        Assert.Equal("5f0e6e4e-1d2c-4b6a-9a51-2f1d8c3b7a10", root.GetProperty("deduplicationId").GetString());
        Assert.Equal(T0, root.GetProperty("time").GetDateTimeOffset());
        Assert.Equal("7", root.GetProperty("deviceInfo").GetProperty("applicationId").GetString());
        Assert.Equal("0102030405060708", root.GetProperty("deviceInfo").GetProperty("devEui").GetString());
        Assert.Equal("meter-1", root.GetProperty("deviceInfo").GetProperty("deviceName").GetString());
        Assert.False(root.GetProperty("deviceInfo").TryGetProperty("tenantId", out _), "null fields are omitted");
        Assert.Equal("26011bda", root.GetProperty("devAddr").GetString());
        Assert.Equal(70_000u, root.GetProperty("fCnt").GetUInt32());
        Assert.Equal(10u, root.GetProperty("fPort").GetUInt32());
        Assert.True(root.GetProperty("confirmed").GetBoolean());
        Assert.Equal("3q2+7w==", root.GetProperty("data").GetString());
        var rx = root.GetProperty("rxInfo");
        Assert.Equal(2, rx.GetArrayLength());
        Assert.Equal("aa555a0000000001", rx[0].GetProperty("gatewayId").GetString());
        Assert.Equal(-57, rx[0].GetProperty("rssi").GetInt32());
        Assert.Equal(-3.25, rx[1].GetProperty("snr").GetDouble());
        var lora = root.GetProperty("txInfo").GetProperty("modulation").GetProperty("lora");
        Assert.Equal(868_100_000u, root.GetProperty("txInfo").GetProperty("frequency").GetUInt32());
        Assert.Equal(125_000u, lora.GetProperty("bandwidth").GetUInt32());
        Assert.Equal(7u, lora.GetProperty("spreadingFactor").GetUInt32());
        Assert.Equal("CR_4_5", lora.GetProperty("codeRate").GetString());
        Assert.False(root.TryGetProperty("eventType", out _));
    }

    [Fact]
    public void Uplink_json_round_trips()
    {
        var back = IntegrationJson.Deserialize<UplinkEvent>(IntegrationJson.Serialize(Uplink));
        Assert.Equal(Uplink.Data, back.Data);
        Assert.Equal(Uplink.DeviceInfo, back.DeviceInfo);
        Assert.Equal(Uplink.RxInfo, back.RxInfo);
        Assert.Equal(Uplink.TxInfo, back.TxInfo);
        Assert.Equal((Uplink.FCnt, Uplink.DevAddr, Uplink.DeduplicationId), (back.FCnt, back.DevAddr, back.DeduplicationId));
    }

    [Fact]
    public void Join_ack_txack_and_status_serialise_their_fields()
    {
        var queueItem = Guid.Parse("00000000-0000-4000-8000-00000000000a");
        var join = Json(new JoinEvent { DeduplicationId = Guid.Empty, Time = T0, DeviceInfo = Info, DevAddr = "00000001" });
        Assert.Equal("00000001", join.GetProperty("devAddr").GetString());
        var ack = Json(new AckEvent { DeduplicationId = Guid.Empty, Time = T0, DeviceInfo = Info, QueueItemId = queueItem, Acknowledged = true, FCntDown = 3 });
        Assert.True(ack.GetProperty("acknowledged").GetBoolean());
        Assert.Equal(3u, ack.GetProperty("fCntDown").GetUInt32());
        Assert.Equal(queueItem, ack.GetProperty("queueItemId").GetGuid());
        var txAck = Json(new TxAckEvent { DownlinkId = 99, Time = T0, DeviceInfo = Info, QueueItemId = queueItem, FCntDown = 4, GatewayId = "aa555a0000000001", TxInfo = Tx with { Power = 14 } });
        Assert.Equal(99u, txAck.GetProperty("downlinkId").GetUInt32());
        Assert.Equal(14, txAck.GetProperty("txInfo").GetProperty("power").GetInt32());
        var status = Json(new StatusEvent { DeduplicationId = Guid.Empty, Time = T0, DeviceInfo = Info, Margin = 7, BatteryLevel = 87.5f });
        Assert.Equal(7, status.GetProperty("margin").GetInt32());
        Assert.Equal(87.5f, status.GetProperty("batteryLevel").GetSingle());
        Assert.False(status.GetProperty("externalPowerSource").GetBoolean());
    }

    [Fact]
    public void Code_rate_names_cover_4_5_to_4_8_only()
    {
        Assert.Equal("CR_4_8", LoraModulationInfo.CodeRateName(8));
        Assert.Throws<ArgumentOutOfRangeException>(() => LoraModulationInfo.CodeRateName(4));
    }

    private static JsonElement Json(IntegrationEvent e) => JsonDocument.Parse(IntegrationJson.Serialize(e)).RootElement.Clone();
}

public class DownlinkCommandParserTests
{
    [Fact]
    public void Parses_a_chirpstack_downlink_command()
    {
        var command = DownlinkCommandParser.Parse("""{"devEui":"0102030405060708","confirmed":true,"fPort":10,"data":"AQID"}"""u8);
        Assert.Equal(IntegrationEventTests.Device, command.DevEui);
        Assert.True(command.Confirmed);
        Assert.Equal(10, command.FPort);
        Assert.Equal(new byte[] { 1, 2, 3 }, command.Data);
    }

    [Fact]
    public void Confirmed_defaults_to_false_and_unknown_fields_are_ignored()
    {
        var command = DownlinkCommandParser.Parse("""{"devEui":"0102030405060708","fPort":1,"data":"","id":"x"}"""u8);
        Assert.False(command.Confirmed);
        Assert.Empty(command.Data);
    }

    [Theory]
    [InlineData("""{"confirmed":true,"fPort":10,"data":"AQID"}""", "devEui", "required")]
    [InlineData("""{"devEui":"01020304","fPort":10,"data":"AQID"}""", "devEui", "16 hex digits")]
    [InlineData("""{"devEui":1,"fPort":10,"data":"AQID"}""", "devEui", "16 hex digits")]
    [InlineData("""{"devEui":"0102030405060708","data":"AQID"}""", "fPort", "required")]
    [InlineData("""{"devEui":"0102030405060708","fPort":0,"data":"AQID"}""", "fPort", "1..223")]
    [InlineData("""{"devEui":"0102030405060708","fPort":224,"data":"AQID"}""", "fPort", "1..223")]
    [InlineData("""{"devEui":"0102030405060708","fPort":"10","data":"AQID"}""", "fPort", "1..223")]
    [InlineData("""{"devEui":"0102030405060708","fPort":1.5,"data":"AQID"}""", "fPort", "1..223")]
    [InlineData("""{"devEui":"0102030405060708","fPort":10}""", "data", "required")]
    [InlineData("""{"devEui":"0102030405060708","fPort":10,"data":"!!"}""", "data", "base64")]
    [InlineData("""{"devEui":"0102030405060708","fPort":10,"data":[1,2]}""", "data", "base64")]
    [InlineData("""{"devEui":"0102030405060708","fPort":10,"data":"AQID","confirmed":"yes"}""", "confirmed", "true or false")]
    [InlineData("""[1,2,3]""", "(body)", "JSON object")]
    [InlineData("""{"devEui":""", "(body)", "not valid JSON")]
    public void Bad_commands_name_the_field_and_problem(string json, string field, string problem)
    {
        var ex = Assert.Throws<DownlinkCommandException>(() => DownlinkCommandParser.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(field, ex.Field);
        Assert.Contains(problem, ex.Message);
    }

    [Fact]
    public void Payload_larger_than_any_downlink_is_refused()
    {
        var json = $$"""{"devEui":"0102030405060708","fPort":10,"data":"{{Convert.ToBase64String(new byte[243])}}"}""";
        var ex = Assert.Throws<DownlinkCommandException>(() => DownlinkCommandParser.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Equal("data", ex.Field);
        Assert.Contains("243 bytes", ex.Message);
    }

    [Fact]
    public void DevEui_must_match_the_topic_device()
    {
        var ex = Assert.Throws<DownlinkCommandException>(() => DownlinkCommandParser.Parse("""{"devEui":"0102030405060708","fPort":10,"data":""}"""u8, Eui64.Parse("0000000000000001")));
        Assert.Equal("devEui", ex.Field);
        Assert.Contains("does not match", ex.Message);
    }
}

public class InProcessEventPublisherTests
{
    [Fact]
    public async Task Subscribers_receive_matching_events_with_topic_and_json()
    {
        var publisher = new InProcessEventPublisher();
        using var all = publisher.Subscribe("application/7/#");
        using var joinsOnly = publisher.Subscribe("application/+/device/+/event/join");
        using var other = publisher.Subscribe("application/8/#");
        var uplink = IntegrationEventTests.Uplink;
        await publisher.PublishAsync(uplink, CancellationToken.None);

        Assert.True(all.Reader.TryRead(out var received));
        Assert.Equal("application/7/device/0102030405060708/event/up", received.Topic);
        Assert.Same(uplink, received.Event);
        Assert.Equal(IntegrationJson.Serialize(uplink), received.Json.ToArray());
        Assert.False(joinsOnly.Reader.TryRead(out _));
        Assert.False(other.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Disposed_subscription_completes_and_receives_nothing_more()
    {
        var publisher = new InProcessEventPublisher();
        var sub = publisher.Subscribe("#");
        sub.Dispose();
        await publisher.PublishAsync(IntegrationEventTests.Uplink, CancellationToken.None);
        Assert.False(sub.Reader.TryRead(out _));
        Assert.True(sub.Reader.Completion.IsCompleted);
    }
}
