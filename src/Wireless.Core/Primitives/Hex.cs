namespace DePin.Wireless.Core.Primitives;

/// <summary>Hexadecimal helpers shared by the primitives: strict, allocation-free, and explicit about what was wrong.</summary>
public static class Hex
{
    /// <summary>Parses exactly <paramref name="digits"/> hex digits (after removing '-' or ':' separators between byte pairs) into an unsigned integer.</summary>
    public static bool TryParseFixed(ReadOnlySpan<char> text, int digits, out ulong value, out string? problem)
    {
        value = 0;
        text = text.Trim();
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            text = text[2..];
        }

        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '-' or ':')
            {
                // Separators are only allowed between byte pairs, as in "00-80-00-00-00-01-02-03".
                if (count == 0 || count % 2 != 0 || i == text.Length - 1)
                {
                    problem = $"separator '{c}' at position {i} is not between two hex byte pairs";
                    return false;
                }

                continue;
            }

            var nibble = NibbleValue(c);
            if (nibble < 0)
            {
                problem = $"'{c}' at position {i} is not a hex digit";
                return false;
            }

            if (++count > digits)
            {
                problem = $"expected {digits} hex digits, got more";
                return false;
            }

            value = (value << 4) | (uint)nibble;
        }

        if (count != digits)
        {
            problem = $"expected {digits} hex digits, got {count}";
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>Writes the low <paramref name="digits"/> nibbles of <paramref name="value"/> as lowercase hex.</summary>
    public static bool TryFormatFixed(ulong value, int digits, Span<char> destination, out int charsWritten)
    {
        if (destination.Length < digits)
        {
            charsWritten = 0;
            return false;
        }

        for (var i = digits - 1; i >= 0; i--)
        {
            destination[i] = "0123456789abcdef"[(int)(value & 0xF)];
            value >>= 4;
        }

        charsWritten = digits;
        return true;
    }

    public static int NibbleValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}

/// <summary>A value could not be parsed; the message names the field and the problem.</summary>
public sealed class PrimitiveFormatException : FormatException
{
    public PrimitiveFormatException(string field, string problem, string? input = null)
        : base(input is null ? $"{field}: {problem}" : $"{field}: {problem} (input \"{Truncate(input)}\")")
    {
        Field = field;
        Problem = problem;
    }

    public PrimitiveFormatException()
        : this("value", "malformed")
    {
    }

    public PrimitiveFormatException(string message)
        : this("value", message)
    {
    }

    public PrimitiveFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "value";
        Problem = message;
    }

    public string Field { get; }

    public string Problem { get; }

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..77] + "...";
}
