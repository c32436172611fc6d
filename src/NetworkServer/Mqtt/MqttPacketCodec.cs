using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace DePin.Wireless.NetworkServer.Mqtt;

/// <summary>
/// Pure MQTT 3.1.1 packet encoder/decoder (no I/O). Wire layout per OASIS MQTT 3.1.1 chapters 2 and 3:
/// fixed header (type nibble + flags, remaining-length varint), variable header, payload.
/// </summary>
public static class MqttPacketCodec
{
    /// <summary>Largest value the four-byte remaining-length varint can carry (section 2.2.3).</summary>
    public const int MaxRemainingLength = 268_435_455;

    private static readonly byte[] ProtocolName = "MQTT"u8.ToArray();
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private const byte ProtocolLevel311 = 4;

    public static byte[] Encode(MqttPacket packet)
    {
        var body = new ArrayBufferWriter<byte>();
        var flags = WriteBody(packet, body);
        var result = new byte[1 + RemainingLengthSize(body.WrittenCount) + body.WrittenCount];
        result[0] = (byte)(((byte)packet.Type << 4) | flags);
        var offset = 1 + WriteRemainingLength(body.WrittenCount, result.AsSpan(1));
        body.WrittenSpan.CopyTo(result.AsSpan(offset));
        return result;
    }

    /// <summary>
    /// Decodes one packet from the start of <paramref name="buffer"/>. Returns false when more bytes are needed;
    /// throws <see cref="MqttProtocolException"/> when the bytes are malformed.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> buffer, out MqttPacket? packet, out int consumed)
    {
        packet = null;
        consumed = 0;
        if (buffer.IsEmpty)
        {
            return false;
        }

        if (!TryReadRemainingLength(buffer[1..], out var remaining, out var lengthBytes))
        {
            return false;
        }

        var total = 1 + lengthBytes + remaining;
        if (buffer.Length < total)
        {
            return false;
        }

        var type = (MqttPacketType)(buffer[0] >> 4);
        var flags = (byte)(buffer[0] & 0x0F);
        packet = DecodeBody(type, flags, buffer.Slice(1 + lengthBytes, remaining));
        consumed = total;
        return true;
    }

    /// <summary>Number of bytes the remaining-length varint of <paramref name="length"/> occupies (1..4).</summary>
    public static int RemainingLengthSize(int length) => length switch
    {
        < 0 or > MaxRemainingLength => throw new ArgumentOutOfRangeException(nameof(length), length, $"remaining length must be 0..{MaxRemainingLength}"),
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };

    /// <summary>Writes the remaining-length varint (section 2.2.3: 7 bits per byte, low bits first, MSB = continue).</summary>
    public static int WriteRemainingLength(int length, Span<byte> destination)
    {
        var size = RemainingLengthSize(length);
        for (var i = 0; i < size; i++)
        {
            var digit = (byte)(length % 128);
            length /= 128;
            destination[i] = length > 0 ? (byte)(digit | 0x80) : digit;
        }

        return size;
    }

    /// <summary>Reads the varint; false when the buffer ends inside it; throws when it runs past four bytes.</summary>
    public static bool TryReadRemainingLength(ReadOnlySpan<byte> source, out int length, out int bytesRead)
    {
        length = 0;
        var multiplier = 1;
        for (var i = 0; i < 4; i++)
        {
            if (i >= source.Length)
            {
                bytesRead = 0;
                return false;
            }

            var b = source[i];
            length += (b & 0x7F) * multiplier;
            multiplier *= 128;
            if ((b & 0x80) == 0)
            {
                bytesRead = i + 1;
                return true;
            }
        }

        throw new MqttProtocolException("malformed remaining length: continuation bit set on the fourth byte (section 2.2.3 allows at most 4 bytes)");
    }

    private static byte WriteBody(MqttPacket packet, ArrayBufferWriter<byte> w)
    {
        switch (packet)
        {
            case ConnectPacket c:
                WriteConnect(c, w);
                return 0;
            case ConnAckPacket a:
                w.Write([(byte)(a.SessionPresent ? 1 : 0), (byte)a.ReturnCode]);
                return 0;
            case PublishPacket p:
                return WritePublish(p, w);
            case PubAckPacket a:
                WriteUInt16(w, a.PacketId);
                return 0;
            case SubscribePacket s:
                RequireIdAndItems(s.PacketId, s.Subscriptions.Count, "SUBSCRIBE");
                WriteUInt16(w, s.PacketId);
                foreach (var sub in s.Subscriptions)
                {
                    MqttTopic.ValidateFilter(sub.Filter, nameof(sub.Filter));
                    WriteString(w, sub.Filter);
                    w.Write([(byte)sub.Qos]);
                }

                return 0b0010; // section 3.8.1: reserved flags 0010
            case SubAckPacket s:
                WriteUInt16(w, s.PacketId);
                w.Write(s.ReturnCodes.ToArray());
                return 0;
            case UnsubscribePacket u:
                RequireIdAndItems(u.PacketId, u.Filters.Count, "UNSUBSCRIBE");
                WriteUInt16(w, u.PacketId);
                foreach (var filter in u.Filters)
                {
                    MqttTopic.ValidateFilter(filter);
                    WriteString(w, filter);
                }

                return 0b0010; // section 3.10.1
            case UnsubAckPacket u:
                WriteUInt16(w, u.PacketId);
                return 0;
            case PingReqPacket or PingRespPacket or DisconnectPacket:
                return 0;
            default:
                throw new ArgumentException($"packet type {packet.Type} is not supported by this client", nameof(packet));
        }
    }

    private static void RequireIdAndItems(ushort packetId, int count, string name)
    {
        if (packetId == 0)
        {
            throw new ArgumentException($"{name} packet identifier must be non-zero (section 2.3.1)", nameof(packetId));
        }

        if (count == 0)
        {
            throw new ArgumentException($"{name} must carry at least one topic filter (sections 3.8.3 and 3.10.3)", nameof(count));
        }
    }

    private static void WriteConnect(ConnectPacket c, ArrayBufferWriter<byte> w)
    {
        if (c.Password is not null && c.UserName is null)
        {
            throw new ArgumentException("a password requires a user name in MQTT 3.1.1 (section 3.1.2.9)", nameof(c));
        }

        byte connectFlags = 0;
        if (c.CleanSession) connectFlags |= 0x02;
        if (c.Will is { } will)
        {
            MqttTopic.ValidateName(will.Topic, "Will.Topic");
            connectFlags |= (byte)(0x04 | ((byte)will.Qos << 3) | (will.Retain ? 0x20 : 0));
        }

        if (c.Password is not null) connectFlags |= 0x40;
        if (c.UserName is not null) connectFlags |= 0x80;

        WriteBinary(w, ProtocolName);
        w.Write([ProtocolLevel311, connectFlags]);
        WriteUInt16(w, c.KeepAliveSeconds);
        WriteString(w, c.ClientId);
        if (c.Will is { } wl)
        {
            WriteString(w, wl.Topic);
            WriteBinary(w, wl.Payload.Span);
        }

        if (c.UserName is not null) WriteString(w, c.UserName);
        if (c.Password is not null) WriteBinary(w, Encoding.UTF8.GetBytes(c.Password));
    }

    private static byte WritePublish(PublishPacket p, ArrayBufferWriter<byte> w)
    {
        MqttTopic.ValidateName(p.Topic);
        if (p.Qos == MqttQos.AtMostOnce && (p.PacketId != 0 || p.Duplicate))
        {
            throw new ArgumentException("QoS 0 PUBLISH carries no packet identifier and no DUP flag (section 3.3.1.1)", nameof(p));
        }

        if (p.Qos == MqttQos.AtLeastOnce && p.PacketId == 0)
        {
            throw new ArgumentException("QoS 1 PUBLISH needs a non-zero packet identifier (section 2.3.1)", nameof(p));
        }

        WriteString(w, p.Topic);
        if (p.Qos != MqttQos.AtMostOnce)
        {
            WriteUInt16(w, p.PacketId);
        }

        w.Write(p.Payload.Span);
        return (byte)((p.Duplicate ? 0x08 : 0) | ((byte)p.Qos << 1) | (p.Retain ? 0x01 : 0));
    }

    private static MqttPacket DecodeBody(MqttPacketType type, byte flags, ReadOnlySpan<byte> body)
    {
        var expectedFlags = type switch
        {
            MqttPacketType.Publish => flags,
            MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe => (byte)0b0010,
            _ => (byte)0,
        };
        if (flags != expectedFlags)
        {
            throw new MqttProtocolException($"malformed {type} packet: reserved fixed-header flags are 0x{flags:X} but must be 0x{expectedFlags:X} (section 2.2.2)");
        }

        var r = new BodyReader(body, type);
        MqttPacket packet = type switch
        {
            MqttPacketType.Connect => DecodeConnect(ref r),
            MqttPacketType.ConnAck => DecodeConnAck(ref r),
            MqttPacketType.Publish => DecodePublish(ref r, flags),
            MqttPacketType.PubAck => new PubAckPacket(r.ReadUInt16()),
            MqttPacketType.Subscribe => DecodeSubscribe(ref r),
            MqttPacketType.SubAck => DecodeSubAck(ref r),
            MqttPacketType.Unsubscribe => DecodeUnsubscribe(ref r),
            MqttPacketType.UnsubAck => new UnsubAckPacket(r.ReadUInt16()),
            MqttPacketType.PingReq => new PingReqPacket(),
            MqttPacketType.PingResp => new PingRespPacket(),
            MqttPacketType.Disconnect => new DisconnectPacket(),
            MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp =>
                throw new MqttProtocolException($"{type} belongs to the QoS 2 flow, which this client never requests"),
            _ => throw new MqttProtocolException($"malformed packet: control packet type {(byte)type} is reserved (section 2.2.1)"),
        };
        r.EnsureConsumed();
        return packet;
    }

    private static ConnectPacket DecodeConnect(ref BodyReader r)
    {
        var protocol = r.ReadString("protocol name");
        var level = r.ReadByte();
        if (protocol != "MQTT" || level != ProtocolLevel311)
        {
            throw new MqttProtocolException($"malformed CONNECT: protocol '{protocol}' level {level}, expected 'MQTT' level 4");
        }

        var flags = r.ReadByte();
        if ((flags & 0x01) != 0)
        {
            throw new MqttProtocolException("malformed CONNECT: reserved connect flag bit 0 is set (section 3.1.2.3)");
        }

        var keepAlive = r.ReadUInt16();
        var clientId = r.ReadString("client identifier");
        MqttWill? will = null;
        if ((flags & 0x04) != 0)
        {
            var topic = r.ReadString("will topic");
            var payload = r.ReadBinary("will message");
            will = new MqttWill(topic, payload, ParseQos((flags >> 3) & 0x03, "will QoS"), (flags & 0x20) != 0);
        }

        var user = (flags & 0x80) != 0 ? r.ReadString("user name") : null;
        var password = (flags & 0x40) != 0 ? Encoding.UTF8.GetString(r.ReadBinary("password")) : null;
        return new ConnectPacket(clientId, user, password, (flags & 0x02) != 0, keepAlive, will);
    }

    private static ConnAckPacket DecodeConnAck(ref BodyReader r)
    {
        var ackFlags = r.ReadByte();
        if ((ackFlags & 0xFE) != 0)
        {
            throw new MqttProtocolException($"malformed CONNACK: reserved acknowledge flags 0x{ackFlags:X2} (section 3.2.2.1)");
        }

        return new ConnAckPacket((ackFlags & 1) != 0, (MqttConnectReturnCode)r.ReadByte());
    }

    private static PublishPacket DecodePublish(ref BodyReader r, byte flags)
    {
        var qos = ParseQos((flags >> 1) & 0x03, "PUBLISH QoS");
        var topic = r.ReadString("topic name");
        if (MqttTopic.ValidateNameError(topic) is { } error)
        {
            throw new MqttProtocolException($"malformed PUBLISH: topic name '{topic}' {error}");
        }

        var id = qos == MqttQos.AtMostOnce ? (ushort)0 : r.ReadNonZeroPacketId();
        return new PublishPacket(topic, r.ReadRest(), qos, (flags & 0x01) != 0, (flags & 0x08) != 0, id);
    }

    private static SubscribePacket DecodeSubscribe(ref BodyReader r)
    {
        var id = r.ReadNonZeroPacketId();
        var subs = new List<MqttTopicSubscription>();
        while (!r.AtEnd)
        {
            var filter = r.ReadString("topic filter");
            subs.Add(new MqttTopicSubscription(filter, ParseQos(r.ReadByte(), "requested QoS")));
        }

        return subs.Count == 0
            ? throw new MqttProtocolException("malformed SUBSCRIBE: no topic filter (section 3.8.3)")
            : new SubscribePacket(id, subs);
    }

    private static SubAckPacket DecodeSubAck(ref BodyReader r)
    {
        var id = r.ReadNonZeroPacketId();
        var codes = r.ReadRest().ToArray();
        foreach (var code in codes)
        {
            if (code is not (0 or 1 or 2 or SubAckPacket.Failure))
            {
                throw new MqttProtocolException($"malformed SUBACK: return code 0x{code:X2} is not 0, 1, 2 or 0x80 (section 3.9.3)");
            }
        }

        return codes.Length == 0
            ? throw new MqttProtocolException("malformed SUBACK: no return codes")
            : new SubAckPacket(id, codes);
    }

    private static UnsubscribePacket DecodeUnsubscribe(ref BodyReader r)
    {
        var id = r.ReadNonZeroPacketId();
        var filters = new List<string>();
        while (!r.AtEnd)
        {
            filters.Add(r.ReadString("topic filter"));
        }

        return filters.Count == 0
            ? throw new MqttProtocolException("malformed UNSUBSCRIBE: no topic filter (section 3.10.3)")
            : new UnsubscribePacket(id, filters);
    }

    private static MqttQos ParseQos(int value, string field) => value switch
    {
        0 => MqttQos.AtMostOnce,
        1 => MqttQos.AtLeastOnce,
        2 => throw new MqttProtocolException($"{field} 2 (exactly once) is not supported by this client"),
        _ => throw new MqttProtocolException($"malformed {field}: value {value} is reserved (section 3.3.1.2)"),
    };

    private static void WriteUInt16(ArrayBufferWriter<byte> w, ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(w.GetSpan(2), value);
        w.Advance(2);
    }

    private static void WriteString(ArrayBufferWriter<byte> w, string value) => WriteBinary(w, Encoding.UTF8.GetBytes(value));

    private static void WriteBinary(ArrayBufferWriter<byte> w, ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"MQTT string/binary field of {value.Length} bytes exceeds 65535 (section 1.5.3)", nameof(value));
        }

        WriteUInt16(w, (ushort)value.Length);
        w.Write(value);
    }

    /// <summary>Cursor over one packet body; every read checks bounds so truncation becomes a clear error.</summary>
    private ref struct BodyReader(ReadOnlySpan<byte> body, MqttPacketType type)
    {
        private readonly ReadOnlySpan<byte> _body = body;
        private int _position;

        public readonly bool AtEnd => _position >= _body.Length;

        public byte ReadByte() => Take(1, "byte")[0];

        public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2, "two-byte integer"));

        public ushort ReadNonZeroPacketId()
        {
            var id = ReadUInt16();
            return id != 0 ? id : throw new MqttProtocolException($"malformed {type}: packet identifier 0 (section 2.3.1 requires non-zero)");
        }

        public string ReadString(string field)
        {
            var bytes = ReadBinary(field);
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new MqttProtocolException($"malformed {type}: {field} is not valid UTF-8 (section 1.5.3)");
            }
        }

        public byte[] ReadBinary(string field)
        {
            var length = ReadUInt16();
            return Take(length, field).ToArray();
        }

        public byte[] ReadRest()
        {
            var rest = _body[_position..].ToArray();
            _position = _body.Length;
            return rest;
        }

        public readonly void EnsureConsumed()
        {
            if (_position != _body.Length)
            {
                throw new MqttProtocolException($"malformed {type}: remaining length {_body.Length} but the packet ends after {_position} bytes");
            }
        }

        private ReadOnlySpan<byte> Take(int count, string field)
        {
            if (_body.Length - _position < count)
            {
                throw new MqttProtocolException($"malformed {type}: truncated {field} (needs {count} bytes at offset {_position}, remaining length is {_body.Length})");
            }

            var slice = _body.Slice(_position, count);
            _position += count;
            return slice;
        }
    }
}
