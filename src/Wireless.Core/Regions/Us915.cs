using DePin.Wireless.Core.Primitives;
using static DePin.Wireless.Core.Regions.RegionTables;

namespace DePin.Wireless.Core.Regions;

/// <summary>US902-928 (RP002-1.0.4, "US902-928MHz ISM Band"; cross-checked against TTS <c>us_902_928_rp2_v1_0_4.go</c> and ChirpStack <c>lrwn/src/region/us915.rs</c>).</summary>
public static class Us915
{
    public static RegionPlan Create(RegionPlanOptions? options = null)
    {
        options ??= RegionPlanOptions.Default;
        RegionGuards.RequireSubBand(options.SubBand);

        // DR0..4 uplink, DR5/6 LR-FHSS uplink, DR7 RFU, DR8..13 downlink only. M already respects the FCC 400 ms dwell.
        RegionDataRate[] rates =
        [
            LoRaUp(0, 10, 125, 19, downlinkToo: false), LoRaUp(1, 9, 125, 61, downlinkToo: false),
            LoRaUp(2, 8, 125, 133, downlinkToo: false), LoRaUp(3, 7, 125, 250, downlinkToo: false),
            LoRaUp(4, 8, 500, 250, downlinkToo: false), LrFhss(5, 58), LrFhss(6, 133),
            LoRaDown(8, 12, 500, 61), LoRaDown(9, 11, 500, 137), LoRaDown(10, 10, 500, 250),
            LoRaDown(11, 9, 500, 250), LoRaDown(12, 8, 500, 250), LoRaDown(13, 7, 500, 250),
        ];

        // "Receive windows" RX1 table, RX1DROffset 0..3.
        var rx1 = Table(
            [10, 9, 8, 8], [11, 10, 9, 8], [12, 11, 10, 9], [13, 12, 11, 10], [13, 13, 12, 11], [10, 9, 8, 8], [11, 10, 9, 8]);

        var narrow = EvenlySpaced(0, 64, 902_300_000, 200_000, 125, 0, 3);
        var wide = EvenlySpaced(64, 8, 903_000_000, 1_600_000, 500, 4, 4);
        return UsAuRegion.Build("US915", "LoRaWAN Regional Parameters RP002-1.0.4, US902-928MHz ISM Band", options.SubBand, rates, narrow, wide, rx1,
            rx2DataRate: 8, maxEirp: new Dbm(30), txPowerSteps: 15, uplinkDwell: true, joinDataRates: [0, 4]);
    }
}

/// <summary>AU915-928 (RP002-1.0.4, "AU915-928MHz ISM Band"; cross-checked against TTS <c>au_915_928_rp2_v1_0_4.go</c>).</summary>
public static class Au915
{
    public static RegionPlan Create(RegionPlanOptions? options = null)
    {
        options ??= RegionPlanOptions.Default;
        RegionGuards.RequireSubBand(options.SubBand);

        // M without / with UplinkDwellTime = 1 (DR0/DR1 are not allowed under dwell).
        RegionDataRate[] rates =
        [
            LoRaUp(0, 12, 125, 59, 0, false), LoRaUp(1, 11, 125, 59, 0, false), LoRaUp(2, 10, 125, 59, 19, false),
            LoRaUp(3, 9, 125, 123, 61, false), LoRaUp(4, 8, 125, 250, 133, false), LoRaUp(5, 7, 125, 250, 250, false),
            LoRaUp(6, 8, 500, 250, 250, false), LrFhss(7, 58),
            LoRaDown(8, 12, 500, 61), LoRaDown(9, 11, 500, 137), LoRaDown(10, 10, 500, 250),
            LoRaDown(11, 9, 500, 250), LoRaDown(12, 8, 500, 250), LoRaDown(13, 7, 500, 250),
        ];

        // "Receive windows" RX1 table, RX1DROffset 0..5.
        var rx1 = Table(
            [8, 8, 8, 8, 8, 8], [9, 8, 8, 8, 8, 8], [10, 9, 8, 8, 8, 8], [11, 10, 9, 8, 8, 8],
            [12, 11, 10, 9, 8, 8], [13, 12, 11, 10, 9, 8], [13, 13, 12, 11, 10, 9], [9, 8, 8, 8, 8, 8]);

        var dwell = options.UplinkDwellTime ?? true;
        var narrow = EvenlySpaced(0, 64, 915_200_000, 200_000, 125, dwell ? 2 : 0, 5);
        var wide = EvenlySpaced(64, 8, 915_900_000, 1_600_000, 500, 6, 6);
        return UsAuRegion.Build("AU915", "LoRaWAN Regional Parameters RP002-1.0.4, AU915-928MHz ISM Band", options.SubBand, rates, narrow, wide, rx1,
            rx2DataRate: 8, maxEirp: new Dbm(30), txPowerSteps: 15, uplinkDwell: dwell, joinDataRates: dwell ? [2, 6] : [0, 6]);
    }
}

internal static class UsAuRegion
{
    public static RegionPlan Build(
        string name, string source, int subBand, RegionDataRate[] rates, RadioChannel[] narrow, RadioChannel[] wide,
        IReadOnlyList<IReadOnlyList<int>> rx1, int rx2DataRate, Dbm maxEirp, int txPowerSteps, bool uplinkDwell, int[] joinDataRates)
    {
        RadioChannel[] all = [.. narrow, .. wide];
        var mask = ChannelMask72.SubBand(subBand);
        var downlink = EvenlySpaced(0, 8, 923_300_000, 600_000, 500, 8, 13);
        return new RegionPlan
        {
            Name = name,
            Source = source,
            DataRates = rates,
            UplinkChannels = all,
            EnabledUplinkChannels = all.Where(c => mask.IsEnabled(c.Index)).ToArray(),
            DefaultChannels = all,
            ExtraChannels = [],
            MaxChannels = ChannelMask72.ChannelCount,
            DownlinkChannels = downlink,
            Rx1Channel = Rx1ChannelRule.UplinkChannelModulo8,
            Rx1DataRateTable = rx1,
            Rx2Frequency = new Hz(923_300_000),
            Rx2DataRate = rx2DataRate,
            MaxEirp = maxEirp,
            TxPowerOffsetsDb = PowerSteps(txPowerSteps),
            UplinkDwellTime = uplinkDwell ? TimeSpan.FromMilliseconds(400) : null,
            CfListType = CfListType.ChannelMask,
            JoinDataRates = joinDataRates,
            SubBand = subBand,
        };
    }
}
