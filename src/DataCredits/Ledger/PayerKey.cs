using DePin.Wireless.DataCredits.Evm;

namespace DePin.Wireless.DataCredits.Ledger;

/// <summary>
/// The 32-byte key that identifies who pays for an organisation's traffic (Helium's router/payer key).
/// On chain it is the bytes32 argument of burnForDataCredits; written as 0x + 64 hex digits.
/// </summary>
public readonly record struct PayerKey(Hash32 Value)
{
    public static PayerKey Parse(ReadOnlySpan<char> text, string field = "payer")
    {
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : throw new FormatException($"{field}: expected 0x followed by 64 hex digits, got '{text.ToString()}'");
        if (digits.Length != 64)
        {
            throw new FormatException($"{field}: expected 0x followed by 64 hex digits, got {digits.Length} digits");
        }

        return new PayerKey(Hash32.Parse(text, field));
    }

    public override string ToString() => Value.ToString();
}
