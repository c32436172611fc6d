using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>
/// The binary envelope of one GWMP datagram, read without copying: header fields plus a view of the JSON body.
/// Layouts (PROTOCOL.TXT §3–§6): every datagram starts <c>[version][token lo][token hi][type]</c>; PUSH_DATA,
/// PULL_DATA and TX_ACK then carry the 8-byte gateway EUI (big-endian, the order of its text form);
/// PUSH_DATA, PULL_RESP and (optionally) TX_ACK end with a JSON object.
/// Trailing bytes after a PUSH_ACK, PULL_DATA or PULL_ACK are ignored, as lora_pkt_fwd ignores them.
/// </summary>
public readonly ref struct GwmpFrame
{
    private GwmpFrame(byte version, GwmpToken token, GwmpPacketType type, Eui64 gateway, ReadOnlySpan<byte> json)
    {
        Version = version;
        Token = token;
        Type = type;
        Gateway = gateway;
        Json = json;
    }

    public byte Version { get; }

    public GwmpToken Token { get; }

    public GwmpPacketType Type { get; }

    /// <summary>The gateway EUI; meaningful for PUSH_DATA, PULL_DATA and TX_ACK only.</summary>
    public Eui64 Gateway { get; }

    /// <summary>The JSON body (PUSH_DATA, PULL_RESP, TX_ACK); empty for the other types and for an empty TX_ACK.</summary>
    public ReadOnlySpan<byte> Json { get; }

    public bool HasGateway => GwmpProtocol.CarriesGatewayEui(Type);

    public static GwmpFrame Parse(ReadOnlySpan<byte> datagram) =>
        TryParse(datagram, out var frame, out var error) ? frame : throw new GwmpFormatException(error);

    public static bool TryParse(ReadOnlySpan<byte> datagram, out GwmpFrame frame, out GwmpDecodeError error)
    {
        frame = default;
        if (datagram.Length < GwmpProtocol.HeaderLength)
        {
            error = new(GwmpErrorKind.TooShort, $"datagram of {datagram.Length} bytes is shorter than the 4-byte GWMP header");
            return false;
        }

        var version = datagram[0];
        if (!GwmpProtocol.IsSupportedVersion(version))
        {
            error = new(GwmpErrorKind.UnknownVersion, $"protocol version {version} is not supported (expected 2, or 1)");
            return false;
        }

        var typeByte = datagram[3];
        if (typeByte > (byte)GwmpPacketType.TxAck)
        {
            error = new(GwmpErrorKind.UnknownType, $"packet type 0x{typeByte:x2} is not one of PUSH_DATA..TX_ACK (0x00..0x05)");
            return false;
        }

        var type = (GwmpPacketType)typeByte;
        var token = GwmpToken.Read(datagram.Slice(1, 2));
        var gateway = default(Eui64);
        var body = datagram[GwmpProtocol.HeaderLength..];
        if (GwmpProtocol.CarriesGatewayEui(type))
        {
            if (datagram.Length < GwmpProtocol.HeaderWithEuiLength)
            {
                error = new(GwmpErrorKind.TooShort, $"{GwmpProtocol.Name(type)} of {datagram.Length} bytes has no room for the 8-byte gateway EUI (needs at least 12)");
                return false;
            }

            gateway = Eui64.ReadBigEndian(datagram.Slice(GwmpProtocol.HeaderLength, 8));
            body = datagram[GwmpProtocol.HeaderWithEuiLength..];
        }

        var json = type switch
        {
            GwmpPacketType.PushData or GwmpPacketType.PullResp or GwmpPacketType.TxAck => TrimTrailingZeros(body),
            _ => default,
        };

        if (json.IsEmpty && type is GwmpPacketType.PushData or GwmpPacketType.PullResp)
        {
            error = new(GwmpErrorKind.BadJson, $"{GwmpProtocol.Name(type)} carries no JSON object after its header");
            return false;
        }

        frame = new GwmpFrame(version, token, type, gateway, json);
        error = default;
        return true;
    }

    /// <summary>Some forwarders send the C string terminator with the JSON; it is not part of the object.</summary>
    private static ReadOnlySpan<byte> TrimTrailingZeros(ReadOnlySpan<byte> body)
    {
        var end = body.Length;
        while (end > 0 && body[end - 1] == 0)
        {
            end--;
        }

        return body[..end];
    }
}
