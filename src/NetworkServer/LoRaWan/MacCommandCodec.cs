using System.Buffers.Binary;

namespace DePin.Wireless.NetworkServer.LoRaWan;

/// <summary>
/// Reads and writes MAC command streams (FOpts, or FRMPayload on FPort 0) per LoRaWAN 1.0.4 §5. A stream is a
/// concatenation of CID | payload with no length prefix, so an unknown CID or a truncated command stops parsing:
/// the error names the offset, the CID and how many bytes were missing.
/// </summary>
public static class MacCommandCodec
{
    /// <summary>Parses every command of <paramref name="stream"/>, carried in a frame of the given direction.</summary>
    public static IReadOnlyList<MacCommand> Parse(ReadOnlySpan<byte> stream, Direction direction)
    {
        var commands = new List<MacCommand>();
        var offset = 0;
        while (offset < stream.Length)
        {
            var cid = stream[offset];
            var length = PayloadLength(cid, direction) ?? throw new LoRaWanFormatException(
                "MAC command",
                $"unknown CID 0x{cid:x2} at offset {offset} in a {direction} stream; the remaining {stream.Length - offset} bytes cannot be delimited");
            var available = stream.Length - offset - 1;
            if (available < length)
            {
                throw new LoRaWanFormatException(
                    "MAC command",
                    $"{Name(cid, direction)} (CID 0x{cid:x2}) at offset {offset} is truncated: needs {length} payload bytes, {available} remain");
            }

            commands.Add(Read(cid, direction, stream.Slice(offset + 1, length)));
            offset += 1 + length;
        }

        return commands;
    }

    /// <summary>Serialises commands; all must share one direction (that of the frame that will carry them).</summary>
    public static byte[] Write(IEnumerable<MacCommand> commands)
    {
        var list = commands.ToList();
        if (list.Select(c => c.Direction).Distinct().Count() > 1)
        {
            throw new ArgumentException("MAC commands: uplink and downlink commands cannot share one frame", nameof(commands));
        }

        var bytes = new byte[list.Sum(c => 1 + c.PayloadLength)];
        var offset = 0;
        foreach (var command in list)
        {
            bytes[offset] = command.Cid;
            command.WritePayload(bytes.AsSpan(offset + 1, command.PayloadLength));
            offset += 1 + command.PayloadLength;
        }

        return bytes;
    }

    /// <summary>Payload length for a CID in the given direction, or null when the CID is not a 1.0.4 command.</summary>
    public static int? PayloadLength(byte cid, Direction direction) => (cid, direction) switch
    {
        (0x02, Direction.Uplink) => 0,
        (0x02, Direction.Downlink) => 2,
        (0x03, Direction.Uplink) => 1,
        (0x03, Direction.Downlink) => 4,
        (0x04, Direction.Uplink) => 0,
        (0x04, Direction.Downlink) => 1,
        (0x05, Direction.Uplink) => 1,
        (0x05, Direction.Downlink) => 4,
        (0x06, Direction.Uplink) => 2,
        (0x06, Direction.Downlink) => 0,
        (0x07, Direction.Uplink) => 1,
        (0x07, Direction.Downlink) => 5,
        (0x08, Direction.Uplink) => 0,
        (0x08, Direction.Downlink) => 1,
        (0x09, Direction.Uplink) => 0,
        (0x09, Direction.Downlink) => 1,
        (0x0A, Direction.Uplink) => 1,
        (0x0A, Direction.Downlink) => 4,
        (0x0D, Direction.Uplink) => 0,
        (0x0D, Direction.Downlink) => 5,
        _ => null,
    };

    private static string Name(byte cid, Direction direction) => (cid, direction) switch
    {
        (0x02, Direction.Downlink) => "LinkCheckAns",
        (0x03, Direction.Uplink) => "LinkADRAns",
        (0x03, Direction.Downlink) => "LinkADRReq",
        (0x04, Direction.Downlink) => "DutyCycleReq",
        (0x05, Direction.Uplink) => "RXParamSetupAns",
        (0x05, Direction.Downlink) => "RXParamSetupReq",
        (0x06, Direction.Uplink) => "DevStatusAns",
        (0x07, Direction.Uplink) => "NewChannelAns",
        (0x07, Direction.Downlink) => "NewChannelReq",
        (0x08, Direction.Downlink) => "RXTimingSetupReq",
        (0x09, Direction.Downlink) => "TxParamSetupReq",
        (0x0A, Direction.Uplink) => "DlChannelAns",
        (0x0A, Direction.Downlink) => "DlChannelReq",
        (0x0D, Direction.Downlink) => "DeviceTimeAns",
        _ => "command",
    };

    private static MacCommand Read(byte cid, Direction direction, ReadOnlySpan<byte> p) => (cid, direction) switch
    {
        (0x02, Direction.Uplink) => new LinkCheckReq(),
        (0x02, Direction.Downlink) => new LinkCheckAns(p[0], p[1]),
        (0x03, Direction.Uplink) => new LinkAdrAns((p[0] & 4) != 0, (p[0] & 2) != 0, (p[0] & 1) != 0),
        (0x03, Direction.Downlink) => new LinkAdrReq(p[0] >> 4, p[0] & 0x0F, BinaryPrimitives.ReadUInt16LittleEndian(p[1..3]), (p[3] >> 4) & 0x07, p[3] & 0x0F),
        (0x04, Direction.Uplink) => new DutyCycleAns(),
        (0x04, Direction.Downlink) => new DutyCycleReq(p[0] & 0x0F),
        (0x05, Direction.Uplink) => new RxParamSetupAns((p[0] & 4) != 0, (p[0] & 2) != 0, (p[0] & 1) != 0),
        (0x05, Direction.Downlink) => new RxParamSetupReq((p[0] >> 4) & 0x07, p[0] & 0x0F, MacCommand.ReadFrequency(p[1..4])),
        (0x06, Direction.Uplink) => new DevStatusAns(p[0], (sbyte)(p[1] << 2) >> 2),
        (0x06, Direction.Downlink) => new DevStatusReq(),
        (0x07, Direction.Uplink) => new NewChannelAns((p[0] & 2) != 0, (p[0] & 1) != 0),
        (0x07, Direction.Downlink) => new NewChannelReq(p[0], MacCommand.ReadFrequency(p[1..4]), p[4] & 0x0F, p[4] >> 4),
        (0x08, Direction.Uplink) => new RxTimingSetupAns(),
        (0x08, Direction.Downlink) => new RxTimingSetupReq(p[0] & 0x0F),
        (0x09, Direction.Uplink) => new TxParamSetupAns(),
        (0x09, Direction.Downlink) => new TxParamSetupReq((p[0] & 0x20) != 0, (p[0] & 0x10) != 0, p[0] & 0x0F),
        (0x0A, Direction.Uplink) => new DlChannelAns((p[0] & 2) != 0, (p[0] & 1) != 0),
        (0x0A, Direction.Downlink) => new DlChannelReq(p[0], MacCommand.ReadFrequency(p[1..4])),
        (0x0D, Direction.Uplink) => new DeviceTimeReq(),
        (0x0D, Direction.Downlink) => new DeviceTimeAns(BinaryPrimitives.ReadUInt32LittleEndian(p[..4]), p[4]),
        _ => throw new LoRaWanFormatException("MAC command", $"unknown CID 0x{cid:x2}"),
    };
}
