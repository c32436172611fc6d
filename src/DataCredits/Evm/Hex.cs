using System.Globalization;
using System.Numerics;

namespace DePin.Wireless.DataCredits.Evm;

/// <summary>0x-prefixed hex as used by Ethereum JSON-RPC ("QUANTITY" and "DATA" encodings).</summary>
public static class Hex
{
    public static string Encode(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

    /// <summary>Decodes DATA (even number of hex digits, optional 0x prefix).</summary>
    public static byte[] Decode(ReadOnlySpan<char> text, string field = "hex")
    {
        var digits = StripPrefix(text);
        if (digits.Length % 2 != 0)
        {
            throw new FormatException($"{field}: odd number of hex digits ({digits.Length})");
        }

        try
        {
            return Convert.FromHexString(digits);
        }
        catch (FormatException)
        {
            throw new FormatException($"{field}: '{text.ToString()}' is not hexadecimal");
        }
    }

    /// <summary>QUANTITY encoding: shortest hex, "0x0" for zero (Ethereum JSON-RPC spec, "hex value encoding").</summary>
    public static string EncodeQuantity(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "quantity must not be negative");
        }

        if (value.IsZero)
        {
            return "0x0";
        }

        return "0x" + Convert.ToHexStringLower(value.ToByteArray(isUnsigned: true, isBigEndian: true)).TrimStart('0');
    }

    public static string EncodeQuantity(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    public static BigInteger DecodeQuantity(ReadOnlySpan<char> text, string field = "quantity")
    {
        var digits = StripPrefix(text);
        if (digits.IsEmpty)
        {
            throw new FormatException($"{field}: empty quantity");
        }

        if (!BigInteger.TryParse("0" + digits.ToString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"{field}: '{text.ToString()}' is not a hex quantity");
        }

        return value;
    }

    public static ulong DecodeUInt64(ReadOnlySpan<char> text, string field = "quantity") => (ulong)DecodeQuantity(text, field);

    private static ReadOnlySpan<char> StripPrefix(ReadOnlySpan<char> text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
}
