namespace DePin.Wireless.DataCredits.Evm;

/// <summary>A 20-byte Ethereum account address; formats with the EIP-55 mixed-case checksum.</summary>
public readonly record struct EthAddress
{
    private readonly byte[] _bytes;

    public EthAddress(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 20)
        {
            throw new ArgumentException($"an address needs 20 bytes, got {bytes.Length}", nameof(bytes));
        }

        _bytes = bytes.ToArray();
    }

    public ReadOnlySpan<byte> Bytes => _bytes ?? new byte[20];

    public static EthAddress Zero => new(new byte[20]);

    /// <summary>The last 20 bytes of Keccak-256 of the 64-byte uncompressed public key (Yellow Paper, eq. 284).</summary>
    public static EthAddress FromPublicKey(ReadOnlySpan<byte> uncompressedWithoutPrefix)
    {
        if (uncompressedWithoutPrefix.Length != 64)
        {
            throw new ArgumentException("public key must be 64 bytes (x || y)", nameof(uncompressedWithoutPrefix));
        }

        return new EthAddress(Keccak.Hash256(uncompressedWithoutPrefix).AsSpan(12));
    }

    /// <summary>Parses 0x + 40 hex digits. All-lower or all-upper is accepted; mixed case must carry a valid EIP-55 checksum.</summary>
    public static EthAddress Parse(ReadOnlySpan<char> text, string field = "address")
    {
        if (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || text.Length != 42)
        {
            throw new FormatException($"{field}: expected 0x followed by 40 hex digits, got '{text.ToString()}'");
        }

        var address = new EthAddress(Hex.Decode(text[2..], field));
        var digits = text[2..];
        var hasLower = digits.ContainsAnyInRange('a', 'f');
        var hasUpper = digits.ContainsAnyInRange('A', 'F');
        if (hasLower && hasUpper && !digits.SequenceEqual(address.ToChecksumString().AsSpan(2)))
        {
            throw new FormatException($"{field}: '{text.ToString()}' has a wrong EIP-55 checksum");
        }

        return address;
    }

    /// <summary>EIP-55: a letter is upper case when the matching nibble of Keccak-256(lower-case hex) is ≥ 8.</summary>
    public string ToChecksumString()
    {
        var lower = Convert.ToHexStringLower(Bytes);
        var hash = Keccak.Hash256(System.Text.Encoding.ASCII.GetBytes(lower));
        var chars = new char[42];
        chars[0] = '0';
        chars[1] = 'x';
        for (var i = 0; i < 40; i++)
        {
            var nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xF;
            chars[i + 2] = nibble >= 8 ? char.ToUpperInvariant(lower[i]) : lower[i];
        }

        return new string(chars);
    }

    public bool Equals(EthAddress other) => Bytes.SequenceEqual(other.Bytes);

    public override int GetHashCode() => BitConverter.ToInt32(Bytes[..4]);

    public override string ToString() => ToChecksumString();
}
