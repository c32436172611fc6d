using System.Text.Json;

namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>
/// The body of a PUSH_DATA, decoded into reusable storage: a server keeps one instance per receive loop so
/// that decoding allocates nothing but the payload byte arrays.
/// </summary>
public sealed class PushDataContent
{
    private readonly List<RxPacket> _packets = new(8);

    /// <summary>The <c>rxpk</c> array (empty when the datagram carried only a status report).</summary>
    public IReadOnlyList<RxPacket> Packets => _packets;

    /// <summary>The <c>stat</c> object, when present.</summary>
    public GatewayStatus? Status { get; internal set; }

    internal void Add(in RxPacket packet) => _packets.Add(packet);

    public void Clear()
    {
        _packets.Clear();
        Status = null;
    }
}

/// <summary>
/// Decodes GWMP JSON bodies with <see cref="Utf8JsonReader"/> directly over the datagram bytes (no intermediate
/// strings or DOM). Every failure comes back as a <see cref="GwmpDecodeError"/> naming the field and the problem.
/// </summary>
public static class GwmpJsonDecoder
{
    /// <summary>Decodes <c>{"rxpk":[…],"stat":{…}}</c>; both members are optional, unknown members are skipped.</summary>
    public static bool TryDecodePushData(ReadOnlySpan<byte> json, PushDataContent into, out GwmpDecodeError error)
    {
        into.Clear();
        return Run(json, into, out error, static (ref Utf8JsonReader reader, PushDataContent target) => ReadPushData(ref reader, target));
    }

    /// <summary>Decodes <c>{"txpk":{…}}</c>, the body of PULL_RESP.</summary>
    public static bool TryDecodePullResp(ReadOnlySpan<byte> json, out TxPacket txpk, out GwmpDecodeError error)
    {
        var box = new TxPacket[1];
        var ok = Run(json, box, out error, static (ref Utf8JsonReader reader, TxPacket[] target) => target[0] = ReadSingleMember(ref reader, "txpk"u8, "txpk", static (ref Utf8JsonReader r) => GwmpObjectReaders.ReadTxPacket(ref r)));
        txpk = box[0];
        return ok;
    }

    /// <summary>Decodes the optional body of TX_ACK; an empty body means success (PROTOCOL.TXT §6).</summary>
    public static bool TryDecodeTxAck(ReadOnlySpan<byte> json, out TxAck ack, out GwmpDecodeError error)
    {
        if (json.IsEmpty)
        {
            ack = TxAck.Ok;
            error = default;
            return true;
        }

        var box = new TxAck[1];
        var ok = Run(json, box, out error, static (ref Utf8JsonReader reader, TxAck[] target) => target[0] = ReadSingleMember(ref reader, "txpk_ack"u8, "txpk_ack", static (ref Utf8JsonReader r) => GwmpObjectReaders.ReadTxAck(ref r)));
        ack = box[0];
        return ok;
    }

    public static void DecodePushData(ReadOnlySpan<byte> json, PushDataContent into)
    {
        if (!TryDecodePushData(json, into, out var error))
        {
            throw new GwmpFormatException(error);
        }
    }

    public static TxPacket DecodePullResp(ReadOnlySpan<byte> json) =>
        TryDecodePullResp(json, out var txpk, out var error) ? txpk : throw new GwmpFormatException(error);

    public static TxAck DecodeTxAck(ReadOnlySpan<byte> json) =>
        TryDecodeTxAck(json, out var ack, out var error) ? ack : throw new GwmpFormatException(error);

    private delegate void BodyReader<in T>(ref Utf8JsonReader reader, T target);

    private delegate T ValueReader<out T>(ref Utf8JsonReader reader);

    private static bool Run<T>(ReadOnlySpan<byte> json, T target, out GwmpDecodeError error, BodyReader<T> body)
    {
        try
        {
            var reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = new(GwmpErrorKind.BadJson, "the JSON body is not an object");
                return false;
            }

            body(ref reader, target);
            if (reader.Read())
            {
                error = new(GwmpErrorKind.BadJson, $"unexpected data after the JSON object at byte {reader.TokenStartIndex}");
                return false;
            }

            error = default;
            return true;
        }
        catch (GwmpDecodeException e)
        {
            error = e.Error;
            return false;
        }
        catch (JsonException e)
        {
            error = new(GwmpErrorKind.BadJson, $"invalid JSON: {e.Message}");
            return false;
        }
    }

    private static void ReadPushData(ref Utf8JsonReader reader, PushDataContent into)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("rxpk"u8))
            {
                reader.Read();
                ReadRxArray(ref reader, into);
            }
            else if (reader.ValueTextEquals("stat"u8))
            {
                reader.Read();
                into.Status = GwmpObjectReaders.ReadStatus(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadRxArray(ref Utf8JsonReader reader, PushDataContent into)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw GwmpDecodeException.Wrong("rxpk", "an array", reader.TokenType);
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            into.Add(GwmpObjectReaders.ReadRxPacket(ref reader, new JsonLocation("rxpk", index)));
            index++;
        }
    }

    /// <summary>Reads an object that must contain the named member (e.g. txpk), skipping any others.</summary>
    private static T ReadSingleMember<T>(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, string nameText, ValueReader<T> read)
    {
        T? value = default;
        var found = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                reader.Read();
                value = read(ref reader);
                found = true;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return found ? value! : throw new GwmpDecodeException(new(GwmpErrorKind.MissingField, $"required object '{nameText}' is missing"));
    }
}
