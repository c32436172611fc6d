using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace DePin.Wireless.Core.Primitives;

/// <summary>
/// An IEEE EUI-64: a DevEUI, JoinEUI (AppEUI) or gateway EUI. Text form is 16 lowercase hex digits, most
/// significant first, as ChirpStack and the Semtech packet forwarder print it; on the LoRaWAN air interface
/// it is carried little-endian (LoRaWAN 1.0.4 §6.2.5).
/// </summary>
public readonly record struct Eui64(ulong Value) : ISpanFormattable, ISpanParsable<Eui64>
{
    public const int TextLength = 16;

    public static Eui64 Parse(ReadOnlySpan<char> s, IFormatProvider? provider = null) =>
        TryParse(s, out var v, out var problem) ? v : throw new PrimitiveFormatException("EUI-64", problem!, s.ToString());

    public static Eui64 Parse(string s, IFormatProvider? provider = null) => Parse(s.AsSpan(), provider);

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Eui64 result) => TryParse(s, out result, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Eui64 result) => TryParse(s.AsSpan(), out result, out _);

    public static bool TryParse(ReadOnlySpan<char> s, out Eui64 result, out string? problem)
    {
        var ok = Hex.TryParseFixed(s, TextLength, out var v, out problem);
        result = new Eui64(v);
        return ok;
    }

    /// <summary>Reads the 8 little-endian bytes of the air interface.</summary>
    public static Eui64 ReadLittleEndian(ReadOnlySpan<byte> source) => new(BinaryPrimitives.ReadUInt64LittleEndian(source));

    public void WriteLittleEndian(Span<byte> destination) => BinaryPrimitives.WriteUInt64LittleEndian(destination, Value);

    /// <summary>Reads 8 big-endian bytes (the order of the text form and of GWMP headers).</summary>
    public static Eui64 ReadBigEndian(ReadOnlySpan<byte> source) => new(BinaryPrimitives.ReadUInt64BigEndian(source));

    public void WriteBigEndian(Span<byte> destination) => BinaryPrimitives.WriteUInt64BigEndian(destination, Value);

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null) =>
        Hex.TryFormatFixed(Value, TextLength, destination, out charsWritten);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public override string ToString() => string.Create(TextLength, Value, static (span, v) => Hex.TryFormatFixed(v, TextLength, span, out _));
}
