using System.Diagnostics.CodeAnalysis;

namespace DePin.Wireless.Core.Primitives;

/// <summary>
/// A LoRa Alliance NetID (24 bits): 3-bit type in the top bits, then the NwkID. Text form: 6 hex digits.
/// Layout per LoRaWAN Backend Interfaces 1.0 §13 (Table 3): type 0..7 determine the DevAddr prefix length and NwkID width.
/// </summary>
public readonly record struct NetId : ISpanFormattable, ISpanParsable<NetId>
{
    public const int TextLength = 6;

    public NetId(uint value)
    {
        if (value > 0xFF_FFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"NetID: {value:x} does not fit in 24 bits");
        }

        Value = value;
    }

    public uint Value { get; }

    /// <summary>The NetID type (0–7), the top three bits.</summary>
    public int Type => (int)(Value >> 21);

    /// <summary>The NwkID: the low bits of the NetID that are copied into DevAddr, width per type.</summary>
    public uint NwkId => Value & ((1u << AddressLayout(Type).NwkIdBits) - 1);

    /// <summary>(prefix length, NwkID width) in a DevAddr for a NetID type; Backend Interfaces 1.0 §13 Table 3.</summary>
    public static (int PrefixBits, int NwkIdBits) AddressLayout(int type) => type switch
    {
        0 => (1, 6),
        1 => (2, 6),
        2 => (3, 9),
        3 => (4, 11),
        4 => (5, 12),
        5 => (6, 13),
        6 => (7, 15),
        7 => (8, 17),
        _ => throw new ArgumentOutOfRangeException(nameof(type), $"NetID type {type} is not 0..7"),
    };

    public static NetId Parse(ReadOnlySpan<char> s, IFormatProvider? provider = null) =>
        TryParse(s, out var v, out var problem) ? v : throw new PrimitiveFormatException("NetID", problem!, s.ToString());

    public static NetId Parse(string s, IFormatProvider? provider = null) => Parse(s.AsSpan(), provider);

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out NetId result) => TryParse(s, out result, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out NetId result) => TryParse(s.AsSpan(), out result, out _);

    public static bool TryParse(ReadOnlySpan<char> s, out NetId result, out string? problem)
    {
        var ok = Hex.TryParseFixed(s, TextLength, out var v, out problem);
        result = ok ? new NetId((uint)v) : default;
        return ok;
    }

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null) =>
        Hex.TryFormatFixed(Value, TextLength, destination, out charsWritten);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public override string ToString() => string.Create(TextLength, Value, static (span, v) => Hex.TryFormatFixed(v, TextLength, span, out _));
}
