namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>The <c>modu</c> field: "LORA" or "FSK" (PROTOCOL.TXT §4, §6).</summary>
public enum GwmpModulation
{
    Lora,
    Fsk,
}

/// <summary>The <c>codr</c> field of LoRa packets: "4/5" … "4/8", or "OFF" (sx1302_hal PROTOCOL.md §4).</summary>
public enum GwmpCodingRate
{
    Cr4_5,
    Cr4_6,
    Cr4_7,
    Cr4_8,
    Off,
}

/// <summary>Text forms of the enumerated GWMP fields.</summary>
public static class GwmpText
{
    public static ReadOnlySpan<byte> Modulation(GwmpModulation m) => m == GwmpModulation.Lora ? "LORA"u8 : "FSK"u8;

    public static ReadOnlySpan<byte> CodingRate(GwmpCodingRate c) => c switch
    {
        GwmpCodingRate.Cr4_5 => "4/5"u8,
        GwmpCodingRate.Cr4_6 => "4/6"u8,
        GwmpCodingRate.Cr4_7 => "4/7"u8,
        GwmpCodingRate.Cr4_8 => "4/8"u8,
        _ => "OFF"u8,
    };

    public static string CodingRateString(GwmpCodingRate c) => System.Text.Encoding.ASCII.GetString(CodingRate(c));

    public static bool TryParseCodingRate(ReadOnlySpan<byte> text, out GwmpCodingRate rate)
    {
        rate = default;
        if (text.SequenceEqual("4/5"u8))
        {
            rate = GwmpCodingRate.Cr4_5;
        }
        else if (text.SequenceEqual("4/6"u8) || text.SequenceEqual("2/3"u8))
        {
            // "2/3" is the reduced form some forwarders print for 4/6.
            rate = GwmpCodingRate.Cr4_6;
        }
        else if (text.SequenceEqual("4/7"u8))
        {
            rate = GwmpCodingRate.Cr4_7;
        }
        else if (text.SequenceEqual("4/8"u8) || text.SequenceEqual("1/2"u8))
        {
            rate = GwmpCodingRate.Cr4_8;
        }
        else if (text.SequenceEqual("OFF"u8))
        {
            rate = GwmpCodingRate.Off;
        }
        else
        {
            return false;
        }

        return true;
    }
}
