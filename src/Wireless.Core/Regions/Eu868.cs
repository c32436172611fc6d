using DePin.Wireless.Core.Primitives;
using static DePin.Wireless.Core.Regions.RegionTables;

namespace DePin.Wireless.Core.Regions;

/// <summary>EU863-870 (RP002-1.0.4, "EU863-870MHz ISM Band"; cross-checked against TTS <c>pkg/band/eu_863_870_rp2_v1_0_4.go</c>).</summary>
public static class Eu868
{
    /// <summary>The 867.1–867.9 MHz channels TTN and Helium add via the CFList (TTS frequency plan EU_863_870_TTN).</summary>
    public static IReadOnlyList<Hz> CommonExtraChannels { get; } =
        [new(867_100_000), new(867_300_000), new(867_500_000), new(867_700_000), new(867_900_000)];

    public static RegionPlan Create(RegionPlanOptions? options = null)
    {
        options ??= RegionPlanOptions.Default;

        // "Data Rate and End-device Output Power encoding" and "Maximum payload size" tables.
        RegionDataRate[] rates =
        [
            LoRaUp(0, 12, 125, 59), LoRaUp(1, 11, 125, 59), LoRaUp(2, 10, 125, 59), LoRaUp(3, 9, 125, 123),
            LoRaUp(4, 8, 125, 250), LoRaUp(5, 7, 125, 250), LoRaUp(6, 7, 250, 250), Fsk(7, 250),
            LrFhss(8, 58), LrFhss(9, 123), LrFhss(10, 58), LrFhss(11, 123),
        ];

        // RX1: DR = max(upDR − RX1DROffset, 0), offsets 0..5; LR-FHSS uplinks answer at DR1/DR2 ("Receive windows").
        var rx1 = Rx1BySubtraction(rates, [0, 1, 2, 3, 4, 5], 0, 7).Take(8).Concat(Table(
            [1, 0, 0, 0, 0, 0], [2, 1, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0], [2, 1, 0, 0, 0, 0])).ToArray();

        var defaults = Channels(0, 125, 0, 5, 868_100_000, 868_300_000, 868_500_000);
        var extras = EuLikeRegion.ExtraChannels("EU868", options.ExtraChannels ?? CommonExtraChannels, defaults, new Hz(863_000_000), new Hz(870_000_000));
        return new RegionPlan
        {
            Name = "EU868",
            Source = "LoRaWAN Regional Parameters RP002-1.0.4, EU863-870MHz ISM Band",
            DataRates = rates,
            DefaultChannels = defaults,
            ExtraChannels = extras,
            UplinkChannels = [.. defaults, .. extras],
            EnabledUplinkChannels = [.. defaults, .. extras],
            MaxChannels = 16,
            DownlinkChannels = [],
            Rx1Channel = Rx1ChannelRule.SameAsUplink,
            Rx1DataRateTable = rx1,
            Rx2Frequency = new Hz(869_525_000),
            Rx2DataRate = 0,
            MaxEirp = new Dbm(16),
            TxPowerOffsetsDb = PowerSteps(8),
            DutyCycleBands = DutyCycleBands,
            CfListType = CfListType.Frequencies,
            JoinDataRates = [0, 1, 2, 3, 4, 5],
        };
    }

    /// <summary>
    /// ETSI EN 300 220-2 V3.1.1 annex B bands that LoRaWAN EU868 devices use, with LoRaWAN/LoRaMac-node names
    /// (g = 863–868, g1 = 868.0–868.6, g2 = 868.7–869.2, g3 = 869.4–869.65, g4 = 869.7–870). The 863–865 MHz part of
    /// g is 0.1 % (band K), 865–868 is 1 % (band L). EIRP caps: 25 mW ERP = 16.15 dBm EIRP, 500 mW ERP in band P.
    /// </summary>
    public static IReadOnlyList<DutyCycleBand> DutyCycleBands { get; } =
    [
        new("K (g, 863-865 MHz)", new Hz(863_000_000), new Hz(864_999_999), 0.001, new Dbm(16.15)),
        new("L (g, 865-868 MHz)", new Hz(865_000_000), new Hz(867_999_999), 0.01, new Dbm(16.15)),
        new("M (g1, 868.0-868.6 MHz)", new Hz(868_000_000), new Hz(868_600_000), 0.01, new Dbm(16.15)),
        new("N (g2, 868.7-869.2 MHz)", new Hz(868_700_000), new Hz(869_200_000), 0.001, new Dbm(16.15)),
        new("P (g3, 869.4-869.65 MHz)", new Hz(869_400_000), new Hz(869_650_000), 0.1, new Dbm(29.15)),
        new("Q/R (g4, 869.7-870.0 MHz)", new Hz(869_700_000), new Hz(870_000_000), 0.01, new Dbm(16.15)),
    ];
}

/// <summary>Shared rules of the "dynamic channel" plans (EU868, AS923, KR920, IN865).</summary>
internal static class EuLikeRegion
{
    public const int MaxChannels = 16;

    /// <summary>Validates extra channels: inside the band, not a duplicate, at most 16 in all; numbered after the defaults (DR0–5).</summary>
    public static RadioChannel[] ExtraChannels(string region, IReadOnlyList<Hz> extras, RadioChannel[] defaults, Hz bandMin, Hz bandMax)
    {
        if (defaults.Length + extras.Count > MaxChannels)
        {
            throw new ArgumentException($"{region}: {extras.Count} extra channels plus {defaults.Length} defaults exceed {MaxChannels} channels", nameof(extras));
        }

        var seen = new HashSet<Hz>(defaults.Select(d => d.Frequency));
        var result = new RadioChannel[extras.Count];
        for (var i = 0; i < extras.Count; i++)
        {
            var f = extras[i];
            if (f < bandMin || f > bandMax)
            {
                throw new ArgumentException($"{region}: extra channel {f.Megahertz} MHz is outside {bandMin.Megahertz}-{bandMax.Megahertz} MHz", nameof(extras));
            }

            if (!seen.Add(f))
            {
                throw new ArgumentException($"{region}: extra channel {f.Megahertz} MHz is listed twice", nameof(extras));
            }

            result[i] = new RadioChannel(defaults.Length + i, f, 125, 0, 5);
        }

        return result;
    }
}
