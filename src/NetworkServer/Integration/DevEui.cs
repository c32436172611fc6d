using System.Globalization;

namespace DePin.Wireless.NetworkServer.Integration;

/// <summary>
/// 64-bit device EUI (LoRaWAN 1.0.x section 6.2.1). Formatted as 16 lowercase hex digits, as ChirpStack does in
/// topics and JSON (e.g. "0102030405060708").
/// </summary>
public readonly record struct DevEui(ulong Value) : ISpanFormattable
{
    public static DevEui Parse(ReadOnlySpan<char> text, string field = "devEui") =>
        TryParse(text, out var eui) ? eui : throw new FormatException($"{field}: '{text}' is not a DevEUI (expected 16 hex digits)");

    public static bool TryParse(ReadOnlySpan<char> text, out DevEui eui)
    {
        eui = default;
        if (text.Length != 16 || !ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        eui = new DevEui(value);
        return true;
    }

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null) =>
        Value.TryFormat(destination, out charsWritten, "x16", CultureInfo.InvariantCulture);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public override string ToString() => Value.ToString("x16", CultureInfo.InvariantCulture);
}
