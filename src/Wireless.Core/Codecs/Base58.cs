using System.Buffers;
using System.Security.Cryptography;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Codecs;

/// <summary>
/// Base58 with the Bitcoin alphabet (no 0, O, I, l), and Base58Check (payload followed by the first 4 bytes of
/// SHA-256(SHA-256(payload))). Helium addresses are Base58Check of version byte 0x00 + the typed public key
/// (helium/helium-crypto-rs src/public_key.rs, Display / FromStr). Leading zero bytes map to leading '1's.
/// </summary>
public static class Base58
{
    public const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /// <summary>Length of the Base58Check checksum in bytes.</summary>
    public const int ChecksumLength = 4;

    private static readonly sbyte[] DigitValues = BuildDigitValues();

    /// <summary>Encodes bytes as Base58 text.</summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        var leadingZeros = 0;
        while (leadingZeros < data.Length && data[leadingZeros] == 0)
        {
            leadingZeros++;
        }

        // log(256)/log(58) ≈ 1.366, so 138/100 digits per byte is always enough.
        var capacity = ((data.Length - leadingZeros) * 138 / 100) + 1;
        Span<byte> digits = capacity <= 256 ? stackalloc byte[capacity] : new byte[capacity];
        var used = 0;
        foreach (var b in data[leadingZeros..])
        {
            // digits holds the number in base 58, least significant digit first; multiply by 256 and add b.
            int carry = b;
            for (var i = 0; i < used; i++)
            {
                carry += digits[i] << 8;
                digits[i] = (byte)(carry % 58);
                carry /= 58;
            }

            while (carry > 0)
            {
                digits[used++] = (byte)(carry % 58);
                carry /= 58;
            }
        }

        return string.Create(leadingZeros + used, (leadingZeros, Digits: digits[..used].ToArray()), static (text, state) =>
        {
            text[..state.leadingZeros].Fill('1');
            for (var i = 0; i < state.Digits.Length; i++)
            {
                text[state.leadingZeros + i] = Alphabet[state.Digits[state.Digits.Length - 1 - i]];
            }
        });
    }

    /// <summary>Decodes Base58 text; throws <see cref="PrimitiveFormatException"/> naming the bad character.</summary>
    public static byte[] Decode(ReadOnlySpan<char> text) =>
        TryDecode(text, out var bytes, out var problem) ? bytes : throw new PrimitiveFormatException("base58", problem!, text.ToString());

    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes, out string? problem)
    {
        bytes = [];
        var leadingOnes = 0;
        while (leadingOnes < text.Length && text[leadingOnes] == '1')
        {
            leadingOnes++;
        }

        // log(58)/log(256) ≈ 0.733, so 733/1000 bytes per digit is always enough.
        var capacity = ((text.Length - leadingOnes) * 733 / 1000) + 1;
        Span<byte> number = capacity <= 256 ? stackalloc byte[capacity] : new byte[capacity];
        var used = 0;
        for (var position = leadingOnes; position < text.Length; position++)
        {
            var c = text[position];
            var value = c < DigitValues.Length ? DigitValues[c] : -1;
            if (value < 0)
            {
                problem = $"'{c}' at position {position} is not a base58 digit";
                return false;
            }

            // number holds bytes least significant first; multiply by 58 and add the digit.
            var carry = value;
            for (var i = 0; i < used; i++)
            {
                carry += number[i] * 58;
                number[i] = (byte)carry;
                carry >>= 8;
            }

            while (carry > 0)
            {
                number[used++] = (byte)carry;
                carry >>= 8;
            }
        }

        bytes = new byte[leadingOnes + used];
        for (var i = 0; i < used; i++)
        {
            bytes[leadingOnes + i] = number[used - 1 - i];
        }

        problem = null;
        return true;
    }

    /// <summary>Base58Check: appends the 4-byte double-SHA-256 checksum, then encodes.</summary>
    public static string EncodeCheck(ReadOnlySpan<byte> payload)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(payload.Length + ChecksumLength);
        try
        {
            var withChecksum = buffer.AsSpan(0, payload.Length + ChecksumLength);
            payload.CopyTo(withChecksum);
            WriteChecksum(payload, withChecksum[payload.Length..]);
            return Encode(withChecksum);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Decodes Base58Check text and returns the payload without its checksum.</summary>
    public static byte[] DecodeCheck(ReadOnlySpan<char> text) =>
        TryDecodeCheck(text, out var payload, out var problem) ? payload : throw new PrimitiveFormatException("base58check", problem!, text.ToString());

    public static bool TryDecodeCheck(ReadOnlySpan<char> text, out byte[] payload, out string? problem)
    {
        payload = [];
        if (!TryDecode(text, out var raw, out problem))
        {
            return false;
        }

        if (raw.Length < ChecksumLength)
        {
            problem = $"decodes to {raw.Length} bytes, shorter than the {ChecksumLength}-byte checksum";
            return false;
        }

        var body = raw.AsSpan(0, raw.Length - ChecksumLength);
        Span<byte> expected = stackalloc byte[ChecksumLength];
        WriteChecksum(body, expected);
        if (!expected.SequenceEqual(raw.AsSpan(body.Length)))
        {
            problem = "checksum does not match (mistyped or truncated text)";
            return false;
        }

        payload = body.ToArray();
        problem = null;
        return true;
    }

    private static void WriteChecksum(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        Span<byte> first = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> second = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(payload, first);
        SHA256.HashData(first, second);
        second[..ChecksumLength].CopyTo(destination);
    }

    private static sbyte[] BuildDigitValues()
    {
        var values = new sbyte[128];
        Array.Fill(values, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            values[Alphabet[i]] = (sbyte)i;
        }

        return values;
    }
}
