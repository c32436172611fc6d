using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace DePin.Wireless.Core.Primitives;

/// <summary>
/// A LoRaWAN device address (32 bits). Text form: 8 lowercase hex digits, most significant first (as printed by
/// ChirpStack and lora-packet); on air it is little-endian (LoRaWAN 1.0.4 §4.3.1). The top bits carry the
/// address prefix of the NetID that allocated it (LoRaWAN Backend Interfaces 1.0 §13).
/// </summary>
public readonly record struct DevAddr(uint Value) : ISpanFormattable, ISpanParsable<DevAddr>
{
    public const int TextLength = 8;

    public static DevAddr Parse(ReadOnlySpan<char> s, IFormatProvider? provider = null) =>
        TryParse(s, out var v, out var problem) ? v : throw new PrimitiveFormatException("DevAddr", problem!, s.ToString());

    public static DevAddr Parse(string s, IFormatProvider? provider = null) => Parse(s.AsSpan(), provider);

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out DevAddr result) => TryParse(s, out result, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out DevAddr result) => TryParse(s.AsSpan(), out result, out _);

    public static bool TryParse(ReadOnlySpan<char> s, out DevAddr result, out string? problem)
    {
        var ok = Hex.TryParseFixed(s, TextLength, out var v, out problem);
        result = new DevAddr((uint)v);
        return ok;
    }

    public static DevAddr ReadLittleEndian(ReadOnlySpan<byte> source) => new(BinaryPrimitives.ReadUInt32LittleEndian(source));

    public void WriteLittleEndian(Span<byte> destination) => BinaryPrimitives.WriteUInt32LittleEndian(destination, Value);

    /// <summary>Builds an address inside a NetID's block: prefix bits from the NetID type, then NwkID, then NwkAddr.</summary>
    public static DevAddr Create(NetId netId, uint nwkAddr)
    {
        var (prefixBits, nwkIdBits) = NetId.AddressLayout(netId.Type);
        var nwkAddrBits = 32 - prefixBits - nwkIdBits;
        var maxAddr = nwkAddrBits == 32 ? uint.MaxValue : (1u << nwkAddrBits) - 1;
        if (nwkAddr > maxAddr)
        {
            throw new ArgumentOutOfRangeException(nameof(nwkAddr), $"NwkAddr {nwkAddr} does not fit in {nwkAddrBits} bits for NetID type {netId.Type}");
        }

        var prefix = ((1u << netId.Type) - 1) << 1; // type N: N one-bits then a zero, N+1 bits in all
        var prefixValue = (ulong)prefix << (32 - prefixBits);
        var nwkId = netId.NwkId & ((1u << nwkIdBits) - 1);
        return new DevAddr((uint)(prefixValue | ((ulong)nwkId << nwkAddrBits) | nwkAddr));
    }

    /// <summary>The NetID type encoded in the leading one-bits of the address (0–7).</summary>
    public int NetIdType
    {
        get
        {
            var v = Value;
            var type = 0;
            while (type < 7 && (v & 0x8000_0000u) != 0)
            {
                type++;
                v <<= 1;
            }

            return type;
        }
    }

    /// <summary>The NwkID field of the address, per its NetID type.</summary>
    public uint NwkId
    {
        get
        {
            var (prefixBits, nwkIdBits) = NetId.AddressLayout(NetIdType);
            return (uint)((Value << prefixBits) >> (32 - nwkIdBits));
        }
    }

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null) =>
        Hex.TryFormatFixed(Value, TextLength, destination, out charsWritten);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public override string ToString() => string.Create(TextLength, Value, static (span, v) => Hex.TryFormatFixed(v, TextLength, span, out _));
}
