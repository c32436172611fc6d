using System.Numerics;

namespace DePin.Wireless.DataCredits.Evm;

/// <summary>An RLP item: either a byte string or a list of items (Yellow Paper, Appendix B).</summary>
public abstract record RlpItem
{
    public sealed record Bytes(byte[] Value) : RlpItem;

    public sealed record List(IReadOnlyList<RlpItem> Items) : RlpItem;

    public static RlpItem Of(ReadOnlySpan<byte> value) => new Bytes(value.ToArray());

    /// <summary>Integers are big-endian with no leading zeros; zero is the empty string.</summary>
    public static RlpItem Of(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "RLP integers are unsigned");
        }

        return new Bytes(value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true));
    }

    public static RlpItem Of(params RlpItem[] items) => new List(items);

    public static RlpItem Of(string utf8) => new Bytes(System.Text.Encoding.UTF8.GetBytes(utf8));
}

/// <summary>Recursive Length Prefix encoding and decoding.</summary>
public static class Rlp
{
    public static byte[] Encode(RlpItem item)
    {
        using var stream = new MemoryStream();
        Write(stream, item);
        return stream.ToArray();
    }

    public static RlpItem Decode(ReadOnlySpan<byte> data)
    {
        var item = Read(data, out var consumed);
        if (consumed != data.Length)
        {
            throw new FormatException($"RLP: {data.Length - consumed} trailing bytes after the item");
        }

        return item;
    }

    public static BigInteger ToInteger(RlpItem item)
    {
        var bytes = AsBytes(item);
        if (bytes.Length > 0 && bytes[0] == 0)
        {
            throw new FormatException("RLP: integer has a leading zero byte");
        }

        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    public static byte[] AsBytes(RlpItem item) =>
        item is RlpItem.Bytes b ? b.Value : throw new FormatException("RLP: expected a byte string, found a list");

    public static IReadOnlyList<RlpItem> AsList(RlpItem item) =>
        item is RlpItem.List l ? l.Items : throw new FormatException("RLP: expected a list, found a byte string");

    private static void Write(Stream stream, RlpItem item)
    {
        switch (item)
        {
            case RlpItem.Bytes { Value: { Length: 1 } single } when single[0] < 0x80:
                stream.WriteByte(single[0]);
                break;
            case RlpItem.Bytes bytes:
                WriteHeader(stream, 0x80, bytes.Value.Length);
                stream.Write(bytes.Value);
                break;
            case RlpItem.List list:
                using (var payload = new MemoryStream())
                {
                    foreach (var child in list.Items)
                    {
                        Write(payload, child);
                    }

                    WriteHeader(stream, 0xc0, (int)payload.Length);
                    payload.Position = 0;
                    payload.CopyTo(stream);
                }

                break;
            default:
                throw new ArgumentException("unknown RLP item", nameof(item));
        }
    }

    private static void WriteHeader(Stream stream, byte offset, int length)
    {
        if (length < 56)
        {
            stream.WriteByte((byte)(offset + length));
            return;
        }

        var lengthBytes = new BigInteger(length).ToByteArray(isUnsigned: true, isBigEndian: true);
        stream.WriteByte((byte)(offset + 55 + lengthBytes.Length));
        stream.Write(lengthBytes);
    }

    private static RlpItem Read(ReadOnlySpan<byte> data, out int consumed)
    {
        if (data.IsEmpty)
        {
            throw new FormatException("RLP: unexpected end of input");
        }

        var prefix = data[0];
        if (prefix < 0x80)
        {
            consumed = 1;
            return new RlpItem.Bytes([prefix]);
        }

        var isList = prefix >= 0xc0;
        var offset = isList ? 0xc0 : 0x80;
        var (headerLength, payloadLength) = ReadLength(data, prefix - offset);
        if (data.Length < headerLength + payloadLength)
        {
            throw new FormatException($"RLP: item declares {payloadLength} bytes but only {data.Length - headerLength} remain");
        }

        var payload = data.Slice(headerLength, payloadLength);
        consumed = headerLength + payloadLength;
        if (!isList)
        {
            if (payloadLength == 1 && payload[0] < 0x80)
            {
                throw new FormatException("RLP: single byte below 0x80 must not carry a length prefix");
            }

            return new RlpItem.Bytes(payload.ToArray());
        }

        var items = new List<RlpItem>();
        while (!payload.IsEmpty)
        {
            items.Add(Read(payload, out var used));
            payload = payload[used..];
        }

        return new RlpItem.List(items);
    }

    private static (int HeaderLength, int PayloadLength) ReadLength(ReadOnlySpan<byte> data, int code)
    {
        if (code <= 55)
        {
            return (1, code);
        }

        var lengthOfLength = code - 55;
        if (data.Length < 1 + lengthOfLength || lengthOfLength > 4)
        {
            throw new FormatException("RLP: truncated or oversized length");
        }

        if (data[1] == 0)
        {
            throw new FormatException("RLP: length has a leading zero byte");
        }

        var length = 0L;
        for (var i = 0; i < lengthOfLength; i++)
        {
            length = (length << 8) | data[1 + i];
        }

        if (length < 56 || length > int.MaxValue)
        {
            throw new FormatException("RLP: long form used for a short item or item too large");
        }

        return (1 + lengthOfLength, (int)length);
    }
}
