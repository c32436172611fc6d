using System.Text;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.FirmwareBridge.Gwmp;
using static DePin.Wireless.FirmwareBridge.Tests.Gwmp.GwmpTestData;

namespace DePin.Wireless.FirmwareBridge.Tests.Gwmp;

public class GwmpCodecTests
{
    [Fact]
    public void PushData_with_full_rxpk_and_stat_round_trips()
    {
        using var builder = new GwmpDatagramBuilder();
        var rx = FullRxPacket();
        var second = RxPacket.Lora(42, new Hz(868_500_000), new DataRate(12, 125), GwmpCodingRate.Cr4_5, -110, -12.25, [9, 8, 7]);
        var datagram = builder.PushData(new GwmpToken(0xbeef), Gateway, [rx, second], FullStatus()).ToArray();

        var frame = GwmpFrame.Parse(datagram);
        Assert.Equal(GwmpPacketType.PushData, frame.Type);
        Assert.Equal(2, frame.Version);
        Assert.Equal(new GwmpToken(0xbeef), frame.Token);
        Assert.Equal(Gateway, frame.Gateway);
        Assert.Equal(0xaa, datagram[4]); // EUI big-endian on the wire
        Assert.Equal(0x01, datagram[11]);

        var content = new PushDataContent();
        GwmpJsonDecoder.DecodePushData(frame.Json, content);
        Assert.Equal(2, content.Packets.Count);
        AssertRxEqual(rx, content.Packets[0]);
        AssertRxEqual(second, content.Packets[1]);
        Assert.Equal(FullStatus(), content.Status);
    }

    [Fact]
    public void Writer_uses_protocol_field_names_and_formats()
    {
        using var builder = new GwmpDatagramBuilder();
        var json = Encoding.UTF8.GetString(builder.PushData(new GwmpToken(1), Gateway, [FullRxPacket()], FullStatus()).Span[12..]);
        Assert.Contains("\"time\":\"2013-03-31T16:21:17.528002Z\"", json);
        Assert.Contains("\"freq\":866.349812", json);
        Assert.Contains("\"datr\":\"SF7BW125\"", json);
        Assert.Contains("\"codr\":\"4/6\"", json);
        Assert.Contains("\"stat\":{\"time\":\"2014-01-12 08:59:28 GMT\"", json);
        Assert.Contains("\"long\":3.2523", json);
        Assert.Contains("\"data\":\"" + Convert.ToBase64String(FullRxPacket().Data) + "\"", json);
    }

    [Fact]
    public void Decodes_a_v1_4_style_datagram_with_nulls_and_unknown_fields()
    {
        // The shape of packet_forwarder PROTOCOL.TXT §4 examples, plus JSON nulls as npm packet-forwarder sends
        // and a field we do not know, which must be skipped.
        var json = "{\"rxpk\":[{\"time\":\"2013-03-31T16:21:17.528002Z\",\"tmst\":3512348611,\"chan\":null,\"rfch\":0,\"freq\":866.349812," +
                   "\"stat\":1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\",\"codr\":\"4/6\",\"rssi\":-35,\"lsnr\":5.1,\"size\":3,\"data\":\"AQID\"," +
                   "\"future\":{\"nested\":[1,2,{}]}},{\"tmst\":3316387610,\"freq\":863.00981,\"modu\":\"FSK\",\"datr\":50000,\"rssi\":-75,\"size\":1,\"data\":\"/w==\"}]," +
                   "\"stat\":{\"time\":\"2014-01-12 08:59:28 GMT\",\"rxnb\":2,\"ackr\":100.0}}";
        var frame = GwmpFrame.Parse(PushData(json));
        var content = new PushDataContent();
        GwmpJsonDecoder.DecodePushData(frame.Json, content);

        var lora = content.Packets[0];
        Assert.Equal(3_512_348_611u, lora.Tmst);
        Assert.Null(lora.Channel);
        Assert.Equal(new Hz(866_349_812), lora.Frequency);
        Assert.Equal(new DataRate(7, 125), lora.LoraDataRate);
        Assert.Equal(-35, lora.Rssi);
        Assert.Equal(5.1, lora.Snr);
        Assert.Equal(new byte[] { 1, 2, 3 }, lora.Data);

        var fsk = content.Packets[1];
        Assert.Equal(GwmpModulation.Fsk, fsk.Modulation);
        Assert.Equal(50_000u, fsk.FskBitRate);
        Assert.Null(fsk.LoraDataRate);

        Assert.Equal(2u, content.Status!.Value.RxReceived);
        Assert.Equal(new DateTimeOffset(2014, 1, 12, 8, 59, 28, TimeSpan.Zero), content.Status.Value.Time);
    }

    [Fact]
    public void Token_is_raw_bytes_read_little_endian_as_chirpstack_does()
    {
        // chirpstack-gateway-bridge internal/backend/semtechudp/packets/pull_data_test.go: {2,123,0,2,1..8} is token 123, EUI 0102030405060708.
        byte[] datagram = [2, 123, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8];
        var frame = GwmpFrame.Parse(datagram);
        Assert.Equal(GwmpPacketType.PullData, frame.Type);
        Assert.Equal(123, frame.Token.Value);
        Assert.Equal(Eui64.Parse("0102030405060708"), frame.Gateway);

        var ack = new byte[4];
        Assert.Equal(4, GwmpEncoder.WriteAck(ack, frame.Version, frame.Token, GwmpPacketType.PullAck));
        Assert.Equal(new byte[] { 2, 123, 0, 4 }, ack);

        var pull = new byte[12];
        GwmpEncoder.WritePullData(pull, frame.Token, frame.Gateway);
        Assert.Equal(datagram, pull);
    }

    [Fact]
    public void Version_1_datagrams_are_accepted_and_acks_echo_the_version()
    {
        var frame = GwmpFrame.Parse(PushData(Rx(MinimalRxFields), version: 1));
        Assert.Equal(1, frame.Version);
        var ack = new byte[4];
        GwmpEncoder.WriteAck(ack, frame.Version, frame.Token, GwmpPacketType.PushAck);
        Assert.Equal(new byte[] { 1, 0x34, 0x12, 1 }, ack);
    }

    [Fact]
    public void PullResp_txpk_round_trips_without_an_eui()
    {
        using var builder = new GwmpDatagramBuilder();
        var txpk = TxPacket.LoraAt(unchecked(uint.MaxValue - 5), new Hz(869_525_000), new DataRate(9, 125), 27, [0x60, 1, 2, 3, 4], GwmpCodingRate.Cr4_5) with { Preamble = 8, NoHeader = false };
        var datagram = builder.PullResp(new GwmpToken(7), txpk).ToArray();
        Assert.Equal([2, 7, 0, 3, (byte)'{'], datagram[..5]);

        var frame = GwmpFrame.Parse(datagram);
        Assert.False(frame.HasGateway);
        var decoded = GwmpJsonDecoder.DecodePullResp(frame.Json);
        Assert.Equal(txpk.Tmst, decoded.Tmst);
        Assert.Equal(txpk.Frequency, decoded.Frequency);
        Assert.Equal(txpk.LoraDataRate, decoded.LoraDataRate);
        Assert.Equal(27, decoded.PowerDbm);
        Assert.True(decoded.InvertPolarity);
        Assert.True(decoded.NoCrc);
        Assert.Equal(8u, decoded.Preamble);
        Assert.False(decoded.NoHeader);
        Assert.Equal(txpk.Data, decoded.Data);
        Assert.Contains("\"ipol\":true", Encoding.UTF8.GetString(frame.Json));
    }

    [Fact]
    public void Immediate_fsk_txpk_round_trips()
    {
        using var builder = new GwmpDatagramBuilder();
        var txpk = new TxPacket { Immediate = true, Frequency = new Hz(868_800_000), RfChain = 1, Modulation = GwmpModulation.Fsk, FskBitRate = 50_000, FskDeviationHz = 25_000, Size = 2, Data = [1, 2] };
        var decoded = GwmpJsonDecoder.DecodePullResp(GwmpFrame.Parse(builder.PullResp(new GwmpToken(1), txpk).Span).Json);
        Assert.True(decoded.Immediate);
        Assert.Null(decoded.Tmst);
        Assert.Equal(50_000u, decoded.FskBitRate);
        Assert.Equal(25_000u, decoded.FskDeviationHz);
        Assert.Equal(1u, decoded.RfChain);
    }

    [Theory]
    [InlineData(TxAckError.None)]
    [InlineData(TxAckError.TooLate)]
    [InlineData(TxAckError.TooEarly)]
    [InlineData(TxAckError.CollisionPacket)]
    [InlineData(TxAckError.CollisionBeacon)]
    [InlineData(TxAckError.TxFrequency)]
    [InlineData(TxAckError.TxPower)]
    [InlineData(TxAckError.GpsUnlocked)]
    public void TxAck_error_values_round_trip(TxAckError error)
    {
        using var builder = new GwmpDatagramBuilder();
        var datagram = builder.TxAck(new GwmpToken(0x0102), Gateway, new TxAck(error)).ToArray();
        var frame = GwmpFrame.Parse(datagram);
        Assert.Equal(GwmpPacketType.TxAck, frame.Type);
        Assert.Equal(Gateway, frame.Gateway);
        Assert.Equal(new TxAck(error), GwmpJsonDecoder.DecodeTxAck(frame.Json));
    }

    [Fact]
    public void TxAck_warning_with_value_and_empty_tx_ack()
    {
        var warn = GwmpJsonDecoder.DecodeTxAck("{\"txpk_ack\":{\"warn\":\"TX_POWER\",\"value\":20}}"u8);
        Assert.True(warn.IsSuccess);
        Assert.Equal(TxAckWarning.TxPower, warn.Warning);
        Assert.Equal(20, warn.WarningValue);

        using var builder = new GwmpDatagramBuilder();
        var again = GwmpJsonDecoder.DecodeTxAck(GwmpFrame.Parse(builder.TxAck(new GwmpToken(1), Gateway, warn).Span).Json);
        Assert.Equal(warn, again);

        // PROTOCOL.TXT: a TX_ACK without JSON means the packet was accepted.
        byte[] empty = [2, 1, 0, 5, 0xaa, 0x55, 0x5a, 0, 0, 0, 1, 1];
        Assert.Equal(TxAck.Ok, GwmpJsonDecoder.DecodeTxAck(GwmpFrame.Parse(empty).Json));
    }

    [Fact]
    public void Escaped_property_names_are_recognised()
    {
        // "\u0074mst" is "tmst" and "\u0072ssis" is "rssis" once JSON escapes are resolved.
        var json = Rx(MinimalRxFields.Replace("\"tmst\"", "\"\\u0074mst\"") + ",\"\\u0072ssis\":-50");
        var content = new PushDataContent();
        Assert.True(GwmpJsonDecoder.TryDecodePushData(GwmpFrame.Parse(PushData(json)).Json, content, out var error), error.ToString());
        Assert.Equal(1000u, content.Packets[0].Tmst);
        Assert.Equal(-50, content.Packets[0].RssiSignal);
    }

    [Fact]
    public void Trailing_nul_terminator_after_json_is_ignored()
    {
        var datagram = PushData(Rx(MinimalRxFields) + "\0");
        var content = new PushDataContent();
        Assert.True(GwmpJsonDecoder.TryDecodePushData(GwmpFrame.Parse(datagram).Json, content, out _));
        Assert.Single(content.Packets);
    }

    [Fact]
    public void Decoding_reuses_the_content_object()
    {
        var content = new PushDataContent();
        GwmpJsonDecoder.DecodePushData(GwmpFrame.Parse(PushData("{\"rxpk\":[{" + MinimalRxFields + "},{" + MinimalRxFields + "}]}")).Json, content);
        Assert.Equal(2, content.Packets.Count);
        GwmpJsonDecoder.DecodePushData(GwmpFrame.Parse(PushData("{\"stat\":{\"rxnb\":1}}")).Json, content);
        Assert.Empty(content.Packets);
        Assert.Equal(1u, content.Status!.Value.RxReceived);
    }

    private static void AssertRxEqual(RxPacket expected, RxPacket actual)
    {
        Assert.Equal(expected.Data, actual.Data);
        Assert.Equal(expected with { Data = [] }, actual with { Data = [] });
    }
}
