using DePin.Wireless.NetworkServer.Mqtt;

namespace DePin.Wireless.NetworkServer.Tests.Mqtt;

/// <summary>Framing of packets out of a TCP-like stream that returns arbitrarily small reads.</summary>
public class MqttConnectionFramingTests
{
    [Fact]
    public async Task Packets_split_into_single_byte_reads_are_reassembled()
    {
        var big = new byte[20_000];
        new Random(5).NextBytes(big);
        var bytes = MqttPacketCodec.Encode(new PubAckPacket(7))
            .Concat(MqttPacketCodec.Encode(new PublishPacket("a/b", big, MqttQos.AtLeastOnce, false, false, 9)))
            .Concat(MqttPacketCodec.Encode(new PingRespPacket()))
            .ToArray();
        await using var connection = new MqttConnection(new TricklingStream(bytes), TimeProvider.System, 1 << 20);

        Assert.Equal(7, Assert.IsType<PubAckPacket>(await connection.ReceiveAsync(CancellationToken.None)).PacketId);
        var publish = Assert.IsType<PublishPacket>(await connection.ReceiveAsync(CancellationToken.None));
        Assert.Equal(big, publish.Payload.ToArray());
        Assert.IsType<PingRespPacket>(await connection.ReceiveAsync(CancellationToken.None));
        Assert.Null(await connection.ReceiveAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Stream_ending_inside_a_packet_is_a_protocol_error()
    {
        var bytes = MqttPacketCodec.Encode(new PublishPacket("a/b", new byte[10], MqttQos.AtMostOnce, false, false, 0))[..8];
        await using var connection = new MqttConnection(new TricklingStream(bytes), TimeProvider.System, 1 << 20);
        var ex = await Assert.ThrowsAsync<MqttProtocolException>(() => connection.ReceiveAsync(CancellationToken.None));
        Assert.Contains("middle of a packet", ex.Message);
    }

    [Fact]
    public async Task Packet_above_the_size_limit_is_refused_before_buffering_it()
    {
        var bytes = MqttPacketCodec.Encode(new PublishPacket("t", new byte[5000], MqttQos.AtMostOnce, false, false, 0));
        await using var connection = new MqttConnection(new TricklingStream(bytes), TimeProvider.System, 1024);
        var ex = await Assert.ThrowsAsync<MqttProtocolException>(() => connection.ReceiveAsync(CancellationToken.None));
        Assert.Contains("MaxIncomingPacketSize", ex.Message);
    }

    [Fact]
    public async Task Sent_packets_are_encoded_onto_the_stream()
    {
        var sink = new MemoryStream();
        await using var connection = new MqttConnection(sink, TimeProvider.System, 1024);
        await connection.SendAsync(new PingReqPacket(), CancellationToken.None);
        await connection.SendAsync(new PubAckPacket(3), CancellationToken.None);
        Assert.Equal("C00040020003", Convert.ToHexString(sink.ToArray()));
    }

    /// <summary>Read-only stream that hands out one byte per read, like a congested TCP connection can.</summary>
    private sealed class TricklingStream(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= data.Length || buffer.IsEmpty)
            {
                return 0;
            }

            buffer[0] = data[_position++];
            return 1;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
