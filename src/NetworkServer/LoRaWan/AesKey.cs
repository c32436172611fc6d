using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.NetworkServer.LoRaWan;

/// <summary>
/// A 128-bit AES key (AppKey, NwkKey, NwkSKey, AppSKey, …). Text form: 32 hex digits in the byte order the key is
/// fed to AES, as ChirpStack, TTS and lora-packet print keys.
/// </summary>
public readonly record struct AesKey(ulong High, ulong Low) : ISpanFormattable
{
    public const int Size = 16;
    public const int TextLength = 32;

    public static AesKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"AES key: expected {Size} bytes, got {bytes.Length}", nameof(bytes));
        }

        return new AesKey(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
    }

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Low);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }

    public static AesKey Parse(string text, string field = "key") =>
        TryParse(text, out var key, out var problem) ? key : throw new PrimitiveFormatException(field, problem!, text);

    public static bool TryParse(ReadOnlySpan<char> text, out AesKey key, out string? problem)
    {
        key = default;
        text = text.Trim();
        if (text.Length != TextLength)
        {
            problem = $"expected {TextLength} hex digits, got {text.Length} characters";
            return false;
        }

        if (!Hex.TryParseFixed(text[..16], 16, out var high, out problem) || !Hex.TryParseFixed(text[16..], 16, out var low, out problem))
        {
            return false;
        }

        key = new AesKey(high, low);
        return true;
    }

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null)
    {
        charsWritten = 0;
        if (destination.Length < TextLength)
        {
            return false;
        }

        Hex.TryFormatFixed(High, 16, destination, out _);
        Hex.TryFormatFixed(Low, 16, destination[16..], out _);
        charsWritten = TextLength;
        return true;
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    [SuppressMessage("Design", "CA1062", Justification = "span state")]
    public override string ToString() => string.Create(TextLength, this, static (span, k) => k.TryFormat(span, out _));
}
