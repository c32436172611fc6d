namespace DePin.Wireless.Core.Physics;

/// <summary>
/// LoRa forward-error-correction rate. The numeric value is the "CR" term of Semtech AN1200.13
/// (1 for 4/5 … 4 for 4/8); LoRaWAN always uses 4/5 (RP002-1.0.4 data-rate tables).
/// </summary>
public enum LoRaCodingRate
{
    FourFifths = 1,
    FourSixths = 2,
    FourSevenths = 3,
    FourEighths = 4,
}

public static class LoRaCodingRates
{
    /// <summary>Parses the GWMP <c>codr</c> text form ("4/5" … "4/8").</summary>
    public static LoRaCodingRate Parse(string text) => text?.Trim() switch
    {
        "4/5" => LoRaCodingRate.FourFifths,
        "4/6" => LoRaCodingRate.FourSixths,
        "4/7" => LoRaCodingRate.FourSevenths,
        "4/8" => LoRaCodingRate.FourEighths,
        _ => throw new ArgumentException($"coding rate: '{text}' is not one of 4/5, 4/6, 4/7, 4/8", nameof(text)),
    };

    public static string ToText(this LoRaCodingRate rate) => rate switch
    {
        LoRaCodingRate.FourFifths => "4/5",
        LoRaCodingRate.FourSixths => "4/6",
        LoRaCodingRate.FourSevenths => "4/7",
        LoRaCodingRate.FourEighths => "4/8",
        _ => throw new ArgumentOutOfRangeException(nameof(rate), $"coding rate: {(int)rate} is not 1..4"),
    };
}
