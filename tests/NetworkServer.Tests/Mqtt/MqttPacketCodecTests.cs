using DePin.Wireless.NetworkServer.Mqtt;

namespace DePin.Wireless.NetworkServer.Tests.Mqtt;

public class MqttPacketCodecTests
{
    public static TheoryData<int, string> RemainingLengthVectors => new()
    {
        // MQTT 3.1.1 section 2.2.3, table 2.4 boundaries.
        { 0, "00" },
        { 127, "7F" },
        { 128, "8001" },
        { 16_383, "FF7F" },
        { 16_384, "808001" },
        { 2_097_151, "FFFF7F" },
        { 2_097_152, "80808001" },
        { 268_435_455, "FFFFFF7F" },
    };

    [Theory]
    [MemberData(nameof(RemainingLengthVectors))]
    public void Remaining_length_matches_spec_table_both_ways(int length, string hex)
    {
        var buffer = new byte[4];
        var written = MqttPacketCodec.WriteRemainingLength(length, buffer);
        Assert.Equal(hex, Convert.ToHexString(buffer, 0, written));
        Assert.True(MqttPacketCodec.TryReadRemainingLength(Convert.FromHexString(hex), out var decoded, out var read));
        Assert.Equal(length, decoded);
        Assert.Equal(written, read);
    }

    [Fact]
    public void Remaining_length_with_fifth_continuation_byte_is_malformed()
    {
        var ex = Assert.Throws<MqttProtocolException>(() => MqttPacketCodec.TryDecode(Convert.FromHexString("30FFFFFFFF01"), out _, out _));
        Assert.Contains("remaining length", ex.Message);
    }

    [Fact]
    public void Remaining_length_out_of_range_is_refused_when_encoding()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MqttPacketCodec.RemainingLengthSize(268_435_456));
    }

    [Fact]
    public void Connect_encodes_to_the_exact_spec_layout()
    {
        var bytes = MqttPacketCodec.Encode(new ConnectPacket("a", null, null, true, 60, null));
        // 0x10, len 13, "MQTT" (00 04 4D 51 54 54), level 4, flags 0x02 (clean), keep-alive 60, client id "a".
        Assert.Equal("100D00044D5154540402003C000161", Convert.ToHexString(bytes));
    }

    [Fact]
    public void Connect_with_credentials_and_will_round_trips_and_sets_flags()
    {
        var will = new MqttWill("ns/status", "offline"u8.ToArray(), MqttQos.AtLeastOnce, Retain: true);
        var packet = new ConnectPacket("ns-1", "user", "secret", false, 30, will);
        var bytes = MqttPacketCodec.Encode(packet);
        Assert.Equal(0x80 | 0x40 | 0x20 | 0x08 | 0x04, bytes[9]); // user, password, will retain, will QoS 1, will flag
        var decoded = Assert.IsType<ConnectPacket>(Decode(bytes));
        Assert.Equal(("ns-1", "user", "secret", false, (ushort)30), (decoded.ClientId, decoded.UserName, decoded.Password, decoded.CleanSession, decoded.KeepAliveSeconds));
        Assert.Equal("ns/status", decoded.Will!.Topic);
        Assert.Equal("offline"u8.ToArray(), decoded.Will.Payload.ToArray());
        Assert.Equal(MqttQos.AtLeastOnce, decoded.Will.Qos);
        Assert.True(decoded.Will.Retain);
    }

    [Fact]
    public void Connect_with_password_but_no_user_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => MqttPacketCodec.Encode(new ConnectPacket("c", null, "pw", true, 0, null)));
        Assert.Contains("user name", ex.Message);
    }

    [Theory]
    [InlineData("20020000", false, MqttConnectReturnCode.Accepted)]
    [InlineData("20020100", true, MqttConnectReturnCode.Accepted)]
    [InlineData("20020004", false, MqttConnectReturnCode.BadUserNameOrPassword)]
    [InlineData("20020005", false, MqttConnectReturnCode.NotAuthorized)]
    public void ConnAck_decodes_session_present_and_return_code(string hex, bool sessionPresent, MqttConnectReturnCode code)
    {
        var ack = Assert.IsType<ConnAckPacket>(Decode(Convert.FromHexString(hex)));
        Assert.Equal(sessionPresent, ack.SessionPresent);
        Assert.Equal(code, ack.ReturnCode);
        Assert.Equal(hex, Convert.ToHexString(MqttPacketCodec.Encode(ack)));
    }

    [Fact]
    public void ConnAck_reserved_flag_bits_are_malformed()
    {
        Assert.Throws<MqttProtocolException>(() => Decode(Convert.FromHexString("20020200")));
    }

    [Theory]
    [InlineData(MqttConnectReturnCode.BadUserNameOrPassword, "bad user name or password")]
    [InlineData(MqttConnectReturnCode.NotAuthorized, "not authorised")]
    [InlineData(MqttConnectReturnCode.UnacceptableProtocolVersion, "protocol version")]
    [InlineData(MqttConnectReturnCode.IdentifierRejected, "identifier rejected")]
    [InlineData(MqttConnectReturnCode.ServerUnavailable, "unavailable")]
    public void ConnAck_refusals_map_to_clear_errors(MqttConnectReturnCode code, string expected)
    {
        var ex = new MqttConnectException(code);
        Assert.Contains(expected, ex.Message);
        Assert.Equal(code, ex.ReturnCode);
    }

    [Fact]
    public void Publish_qos0_encodes_without_packet_id()
    {
        var bytes = MqttPacketCodec.Encode(new PublishPacket("a/b", "hi"u8.ToArray(), MqttQos.AtMostOnce, false, false, 0));
        Assert.Equal("30070003612F626869", Convert.ToHexString(bytes));
    }

    [Fact]
    public void Publish_qos1_with_dup_and_retain_round_trips()
    {
        var packet = new PublishPacket("application/1/device/0102030405060708/event/up", new byte[] { 1, 2, 3 }, MqttQos.AtLeastOnce, true, true, 0xBEEF);
        var bytes = MqttPacketCodec.Encode(packet);
        Assert.Equal(0x3B, bytes[0]); // type 3, DUP 0x08, QoS1 0x02, retain 0x01
        var decoded = Assert.IsType<PublishPacket>(Decode(bytes));
        Assert.Equal((packet.Topic, packet.Qos, packet.Retain, packet.Duplicate, packet.PacketId), (decoded.Topic, decoded.Qos, decoded.Retain, decoded.Duplicate, decoded.PacketId));
        Assert.Equal(new byte[] { 1, 2, 3 }, decoded.Payload.ToArray());
    }

    [Fact]
    public void Publish_with_large_payload_uses_multi_byte_remaining_length()
    {
        var payload = new byte[20_000];
        new Random(7).NextBytes(payload);
        var bytes = MqttPacketCodec.Encode(new PublishPacket("t", payload, MqttQos.AtMostOnce, false, false, 0));
        Assert.Equal(1 + 3 + 3 + 20_000, bytes.Length);
        Assert.Equal(payload, Assert.IsType<PublishPacket>(Decode(bytes)).Payload.ToArray());
    }

    [Fact]
    public void Publish_encoding_rejects_wildcard_topic_and_missing_packet_id()
    {
        Assert.Throws<ArgumentException>(() => MqttPacketCodec.Encode(new PublishPacket("a/+", default, MqttQos.AtMostOnce, false, false, 0)));
        Assert.Throws<ArgumentException>(() => MqttPacketCodec.Encode(new PublishPacket("a", default, MqttQos.AtLeastOnce, false, false, 0)));
        Assert.Throws<ArgumentException>(() => MqttPacketCodec.Encode(new PublishPacket("a", default, MqttQos.AtMostOnce, false, false, 5)));
    }

    [Fact]
    public void Publish_qos3_is_malformed()
    {
        Assert.Contains("reserved", Assert.Throws<MqttProtocolException>(() => Decode(Convert.FromHexString("3605000161000A"))).Message);
    }

    [Fact]
    public void Publish_qos2_is_reported_as_unsupported()
    {
        Assert.Contains("not supported", Assert.Throws<MqttProtocolException>(() => Decode(Convert.FromHexString("3405000161000A"))).Message);
    }

    [Theory]
    [InlineData("32050001610000", "packet identifier 0")]
    [InlineData("30050003612F2B", "topic name")] // "a/+" wildcard in a received topic name
    [InlineData("30030001FF", "UTF-8")]
    public void Malformed_publish_bodies_are_rejected(string hex, string expected)
    {
        Assert.Contains(expected, Assert.Throws<MqttProtocolException>(() => Decode(Convert.FromHexString(hex))).Message);
    }

    [Fact]
    public void PubAck_round_trips()
    {
        Assert.Equal("40020001", Convert.ToHexString(MqttPacketCodec.Encode(new PubAckPacket(1))));
        Assert.Equal(0x1234, Assert.IsType<PubAckPacket>(Decode(Convert.FromHexString("40021234"))).PacketId);
    }

    [Fact]
    public void Subscribe_encodes_reserved_flags_and_round_trips()
    {
        var packet = new SubscribePacket(10, [new MqttTopicSubscription("a/#", MqttQos.AtLeastOnce), new MqttTopicSubscription("+/b", MqttQos.AtMostOnce)]);
        var bytes = MqttPacketCodec.Encode(packet);
        Assert.Equal("820E000A0003612F23010003 2B2F6200".Replace(" ", "", StringComparison.Ordinal), Convert.ToHexString(bytes));
        var decoded = Assert.IsType<SubscribePacket>(Decode(bytes));
        Assert.Equal(packet.Subscriptions, decoded.Subscriptions);
        Assert.Equal(10, decoded.PacketId);
    }

    [Fact]
    public void Subscribe_with_wrong_reserved_flags_is_malformed()
    {
        var bytes = MqttPacketCodec.Encode(new SubscribePacket(1, [new MqttTopicSubscription("a", MqttQos.AtMostOnce)]));
        bytes[0] = 0x80;
        Assert.Contains("reserved fixed-header flags", Assert.Throws<MqttProtocolException>(() => Decode(bytes)).Message);
    }

    [Fact]
    public void Subscribe_encoding_requires_id_filters_and_valid_filter()
    {
        Assert.Throws<ArgumentException>(() => MqttPacketCodec.Encode(new SubscribePacket(0, [new MqttTopicSubscription("a", MqttQos.AtMostOnce)])));
        Assert.Throws<ArgumentException>(() => MqttPacketCodec.Encode(new SubscribePacket(1, [])));
        Assert.Throws<ArgumentException>(() => MqttPacketCodec.Encode(new SubscribePacket(1, [new MqttTopicSubscription("a/#/b", MqttQos.AtMostOnce)])));
    }

    [Fact]
    public void SubAck_carries_granted_qos_and_failure()
    {
        var ack = Assert.IsType<SubAckPacket>(Decode(Convert.FromHexString("9004000701 80".Replace(" ", "", StringComparison.Ordinal))));
        Assert.Equal(7, ack.PacketId);
        Assert.Equal(new byte[] { 1, SubAckPacket.Failure }, ack.ReturnCodes);
        Assert.Equal("900400070180", Convert.ToHexString(MqttPacketCodec.Encode(ack)));
    }

    [Theory]
    [InlineData("9003000703", "return code 0x03")]
    [InlineData("90020007", "no return codes")]
    public void Malformed_suback_is_rejected(string hex, string expected)
    {
        Assert.Contains(expected, Assert.Throws<MqttProtocolException>(() => Decode(Convert.FromHexString(hex))).Message);
    }

    [Fact]
    public void Unsubscribe_and_unsuback_round_trip()
    {
        var bytes = MqttPacketCodec.Encode(new UnsubscribePacket(3, ["a/b", "c"]));
        Assert.Equal("A20A00030003612F62000163", Convert.ToHexString(bytes));
        Assert.Equal(["a/b", "c"], Assert.IsType<UnsubscribePacket>(Decode(bytes)).Filters);
        Assert.Equal("B0020003", Convert.ToHexString(MqttPacketCodec.Encode(new UnsubAckPacket(3))));
        Assert.Equal(3, Assert.IsType<UnsubAckPacket>(Decode(Convert.FromHexString("B0020003"))).PacketId);
    }

    [Fact]
    public void Empty_unsubscribe_is_malformed()
    {
        Assert.Contains("no topic filter", Assert.Throws<MqttProtocolException>(() => Decode(Convert.FromHexString("A2020003"))).Message);
    }

    [Fact]
    public void Ping_and_disconnect_are_two_bytes()
    {
        Assert.Equal("C000", Convert.ToHexString(MqttPacketCodec.Encode(new PingReqPacket())));
        Assert.Equal("D000", Convert.ToHexString(MqttPacketCodec.Encode(new PingRespPacket())));
        Assert.Equal("E000", Convert.ToHexString(MqttPacketCodec.Encode(new DisconnectPacket())));
        Assert.IsType<PingReqPacket>(Decode(Convert.FromHexString("C000")));
        Assert.IsType<PingRespPacket>(Decode(Convert.FromHexString("D000")));
        Assert.IsType<DisconnectPacket>(Decode(Convert.FromHexString("E000")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")] // header only
    [InlineData("3080")] // remaining length varint cut off
    [InlineData("30070003612F62")] // body shorter than remaining length
    public void Truncated_input_asks_for_more_bytes(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.False(MqttPacketCodec.TryDecode(bytes, out var packet, out var consumed));
        Assert.Null(packet);
        Assert.Equal(0, consumed);
    }

    [Theory]
    [InlineData("400100", "truncated")] // PUBACK with remaining length 1: id cut short
    [InlineData("D00100", "remaining length 1")] // PINGRESP with a stray byte
    [InlineData("4003000100", "remaining length 3")] // PUBACK with a trailing byte
    [InlineData("30020005", "truncated")] // topic length 5 but nothing follows
    [InlineData("0000", "reserved")] // type 0
    [InlineData("F000", "reserved")] // type 15
    [InlineData("50020001", "QoS 2")] // PUBREC
    public void Malformed_input_names_the_problem(string hex, string expected)
    {
        var ex = Assert.Throws<MqttProtocolException>(() => MqttPacketCodec.TryDecode(Convert.FromHexString(hex), out _, out _));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Two_packets_in_one_buffer_decode_one_at_a_time()
    {
        var buffer = Convert.FromHexString("D00040020009");
        Assert.True(MqttPacketCodec.TryDecode(buffer, out var first, out var consumed));
        Assert.IsType<PingRespPacket>(first);
        Assert.Equal(2, consumed);
        Assert.True(MqttPacketCodec.TryDecode(buffer.AsSpan(consumed), out var second, out consumed));
        Assert.Equal(9, Assert.IsType<PubAckPacket>(second).PacketId);
        Assert.Equal(4, consumed);
    }

    private static MqttPacket Decode(byte[] bytes)
    {
        Assert.True(MqttPacketCodec.TryDecode(bytes, out var packet, out var consumed));
        Assert.Equal(bytes.Length, consumed);
        return packet!;
    }
}
