using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.FirmwareBridge.Gwmp;

namespace DePin.Wireless.Benchmarks.Gwmp;

/// <summary>
/// The server's per-datagram codec work: parse a PUSH_DATA (header + rxpk JSON, payload base64-decoded) and build
/// its PUSH_ACK. Target: at least 500,000 datagrams/s per core, allocating only the decoded payload array.
/// Baseline: the same work through a JsonDocument DOM, the obvious System.Text.Json alternative.
/// </summary>
[MemoryDiagnoser]
public class GwmpCodecBenchmarks
{
    private readonly PushDataContent _content = new();
    private readonly byte[] _ack = new byte[GwmpProtocol.HeaderLength];
    private readonly RxPacket[] _outgoing = new RxPacket[1];
    private byte[] _oneRxpk = [];
    private byte[] _threeRxpk = [];
    private GwmpDatagramBuilder _builder = null!;

    [GlobalSetup]
    public void Setup()
    {
        var gateway = Eui64.Parse("aa555a0000000101");
        // A typical sx1302 uplink: a 23-byte LoRaWAN data frame with the v1.6 metadata fields.
        const string rx = "{\"jver\":1,\"tmst\":3512348611,\"time\":\"2013-03-31T16:21:17.528002Z\",\"tmms\":1048723295528,\"chan\":2,\"rfch\":0," +
                          "\"freq\":866.349812,\"mid\":8,\"stat\":1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\",\"codr\":\"4/6\",\"rssis\":-36,\"lsnr\":5.1," +
                          "\"foff\":-1234,\"rssi\":-35,\"size\":23,\"data\":\"QAEAACaAAQABqrvM3e7/ABEiM0RVZnc=\"}";
        _oneRxpk = Datagram(gateway, "{\"rxpk\":[" + rx + "]}");
        _threeRxpk = Datagram(gateway, "{\"rxpk\":[" + rx + "," + rx + "," + rx + "]}");
        _builder = new GwmpDatagramBuilder();
        _outgoing[0] = RxPacket.Lora(3_512_348_611, new Hz(866_349_812), new DataRate(7, 125), GwmpCodingRate.Cr4_6, -35, 5.1, new byte[23]);
        if (ParsePushDataAndBuildAck() != 23 || JsonDocumentParseAndBuildAck() != 23)
        {
            throw new InvalidOperationException("benchmark datagram does not decode");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _builder.Dispose();

    [Benchmark(Baseline = true, Description = "JsonDocument DOM parse + PUSH_ACK (baseline)")]
    public int JsonDocumentParseAndBuildAck()
    {
        var datagram = _oneRxpk;
        var ackLength = GwmpEncoder.WriteAck(_ack, datagram[0], GwmpToken.Read(datagram.AsSpan(1, 2)), GwmpPacketType.PushAck);
        using var doc = JsonDocument.Parse(datagram.AsMemory(GwmpProtocol.HeaderWithEuiLength));
        var total = 0;
        foreach (var rx in doc.RootElement.GetProperty("rxpk").EnumerateArray())
        {
            _ = rx.GetProperty("tmst").GetUInt32();
            _ = rx.GetProperty("freq").GetDouble();
            _ = rx.GetProperty("datr").GetString();
            _ = rx.GetProperty("rssi").GetDouble();
            _ = rx.GetProperty("lsnr").GetDouble();
            total += rx.GetProperty("data").GetBytesFromBase64().Length;
        }

        return total + ackLength - GwmpProtocol.HeaderLength;
    }

    [Benchmark(Description = "GwmpFrame + Utf8JsonReader decode + PUSH_ACK, 1 rxpk")]
    public int ParsePushDataAndBuildAck() => ParseAndAck(_oneRxpk);

    [Benchmark(Description = "GwmpFrame + Utf8JsonReader decode + PUSH_ACK, 3 rxpk")]
    public int ParsePushDataWithThreePacketsAndBuildAck() => ParseAndAck(_threeRxpk);

    [Benchmark(Description = "Build PUSH_DATA, 1 rxpk (client side)")]
    public int BuildPushData() => _builder.PushData(new GwmpToken(7), new Eui64(0xaa555a0000000101), _outgoing).Length;

    private int ParseAndAck(byte[] datagram)
    {
        if (!GwmpFrame.TryParse(datagram, out var frame, out _) || !GwmpJsonDecoder.TryDecodePushData(frame.Json, _content, out _))
        {
            return -1;
        }

        var ackLength = GwmpEncoder.WriteAck(_ack, frame.Version, frame.Token, GwmpPacketType.PushAck);
        var total = 0;
        foreach (var p in _content.Packets)
        {
            total += p.Size;
        }

        return (total / _content.Packets.Count) + ackLength - GwmpProtocol.HeaderLength;
    }

    private static byte[] Datagram(Eui64 gateway, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var d = new byte[GwmpProtocol.HeaderWithEuiLength + body.Length];
        GwmpEncoder.WriteHeader(d, 2, new GwmpToken(0x1234), GwmpPacketType.PushData);
        gateway.WriteBigEndian(d.AsSpan(4, 8));
        body.CopyTo(d, GwmpProtocol.HeaderWithEuiLength);
        return d;
    }
}
