namespace DePin.Wireless.DataCredits.Evm;

/// <summary>A 32-byte value: block hash, transaction hash, event topic or bytes32 argument.</summary>
public readonly record struct Hash32
{
    private readonly byte[] _bytes;

    public Hash32(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 32)
        {
            throw new ArgumentException($"a 32-byte hash needs 32 bytes, got {bytes.Length}", nameof(bytes));
        }

        _bytes = bytes.ToArray();
    }

    public ReadOnlySpan<byte> Bytes => _bytes ?? new byte[32];

    public static Hash32 Parse(ReadOnlySpan<char> text, string field = "hash")
    {
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (digits.Length != 64)
        {
            throw new FormatException($"{field}: expected 0x followed by 64 hex digits, got '{text.ToString()}'");
        }

        return new Hash32(Hex.Decode(digits, field));
    }

    public static bool TryParse(ReadOnlySpan<char> text, out Hash32 value)
    {
        try
        {
            value = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            value = default;
            return false;
        }
    }

    public bool Equals(Hash32 other) => Bytes.SequenceEqual(other.Bytes);

    public override int GetHashCode() => BitConverter.ToInt32(Bytes[..4]);

    public override string ToString() => Hex.Encode(Bytes);
}
