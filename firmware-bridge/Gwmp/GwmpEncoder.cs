using System.Buffers;
using System.Text.Json;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>Builds GWMP datagrams (layouts in <see cref="GwmpFrame"/>).</summary>
public static class GwmpEncoder
{
    /// <summary>Writes a 4-byte PUSH_ACK or PULL_ACK echoing the request's version and token; returns the length.</summary>
    public static int WriteAck(Span<byte> destination, byte version, GwmpToken token, GwmpPacketType ackType)
    {
        if (ackType is not (GwmpPacketType.PushAck or GwmpPacketType.PullAck))
        {
            throw new ArgumentOutOfRangeException(nameof(ackType), $"{GwmpProtocol.Name(ackType)} is not an acknowledgement type");
        }

        WriteHeader(destination, version, token, ackType);
        return GwmpProtocol.HeaderLength;
    }

    /// <summary>Writes the 12-byte PULL_DATA keep-alive; returns the length.</summary>
    public static int WritePullData(Span<byte> destination, GwmpToken token, Eui64 gateway, byte version = GwmpProtocol.Version2)
    {
        WriteHeader(destination, version, token, GwmpPacketType.PullData);
        gateway.WriteBigEndian(destination.Slice(GwmpProtocol.HeaderLength, 8));
        return GwmpProtocol.HeaderWithEuiLength;
    }

    public static void WriteHeader(Span<byte> destination, byte version, GwmpToken token, GwmpPacketType type)
    {
        destination[0] = version;
        token.Write(destination.Slice(1, 2));
        destination[3] = (byte)type;
    }

    /// <summary>PUSH_DATA: header, EUI and <c>{"rxpk":[…],"stat":{…}}</c> (either member omitted when empty).</summary>
    public static void WritePushData(IBufferWriter<byte> output, Utf8JsonWriter json, GwmpToken token, Eui64 gateway, ReadOnlySpan<RxPacket> packets, GatewayStatus? status, byte version = GwmpProtocol.Version2)
    {
        WriteHeaderWithEui(output, version, token, GwmpPacketType.PushData, gateway);
        json.Reset(output);
        json.WriteStartObject();
        if (!packets.IsEmpty)
        {
            json.WriteStartArray("rxpk"u8);
            foreach (ref readonly var p in packets)
            {
                json.WriteStartObject();
                GwmpJsonWriter.WriteRxPacketFields(json, p);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (status is { } s)
        {
            GwmpJsonWriter.WriteStatus(json, s);
        }

        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>PULL_RESP: header (no EUI) and <c>{"txpk":{…}}</c>.</summary>
    public static void WritePullResp(IBufferWriter<byte> output, Utf8JsonWriter json, GwmpToken token, in TxPacket txpk, byte version = GwmpProtocol.Version2)
    {
        WriteHeader(output.GetSpan(GwmpProtocol.HeaderLength), version, token, GwmpPacketType.PullResp);
        output.Advance(GwmpProtocol.HeaderLength);
        json.Reset(output);
        json.WriteStartObject();
        GwmpJsonWriter.WriteTxPacket(json, txpk);
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>TX_ACK: header, EUI and <c>{"txpk_ack":{…}}</c>, echoing the PULL_RESP token.</summary>
    public static void WriteTxAck(IBufferWriter<byte> output, Utf8JsonWriter json, GwmpToken token, Eui64 gateway, in TxAck ack, byte version = GwmpProtocol.Version2)
    {
        WriteHeaderWithEui(output, version, token, GwmpPacketType.TxAck, gateway);
        json.Reset(output);
        json.WriteStartObject();
        GwmpJsonWriter.WriteTxAck(json, ack);
        json.WriteEndObject();
        json.Flush();
    }

    private static void WriteHeaderWithEui(IBufferWriter<byte> output, byte version, GwmpToken token, GwmpPacketType type, Eui64 gateway)
    {
        var span = output.GetSpan(GwmpProtocol.HeaderWithEuiLength);
        WriteHeader(span, version, token, type);
        gateway.WriteBigEndian(span.Slice(GwmpProtocol.HeaderLength, 8));
        output.Advance(GwmpProtocol.HeaderWithEuiLength);
    }
}

/// <summary>
/// Reusable datagram builder: one pooled buffer and one <see cref="Utf8JsonWriter"/>, so building a datagram
/// allocates nothing. The returned memory is valid until the next call. Not thread-safe: one per sender.
/// </summary>
public sealed class GwmpDatagramBuilder : IDisposable
{
    private readonly PooledBufferWriter _buffer = new(2048);
    private readonly Utf8JsonWriter _json;

    public GwmpDatagramBuilder() => _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = false });

    public ReadOnlyMemory<byte> PushData(GwmpToken token, Eui64 gateway, ReadOnlySpan<RxPacket> packets, GatewayStatus? status = null)
    {
        _buffer.Reset();
        GwmpEncoder.WritePushData(_buffer, _json, token, gateway, packets, status);
        return _buffer.WrittenMemory;
    }

    public ReadOnlyMemory<byte> PullResp(GwmpToken token, in TxPacket txpk, byte version = GwmpProtocol.Version2)
    {
        _buffer.Reset();
        GwmpEncoder.WritePullResp(_buffer, _json, token, txpk, version);
        return _buffer.WrittenMemory;
    }

    public ReadOnlyMemory<byte> TxAck(GwmpToken token, Eui64 gateway, in TxAck ack)
    {
        _buffer.Reset();
        GwmpEncoder.WriteTxAck(_buffer, _json, token, gateway, ack);
        return _buffer.WrittenMemory;
    }

    public ReadOnlyMemory<byte> PullData(GwmpToken token, Eui64 gateway)
    {
        _buffer.Reset();
        var n = GwmpEncoder.WritePullData(_buffer.GetSpan(GwmpProtocol.HeaderWithEuiLength), token, gateway);
        _buffer.Advance(n);
        return _buffer.WrittenMemory;
    }

    public void Dispose()
    {
        _json.Dispose();
        _buffer.Dispose();
    }
}
