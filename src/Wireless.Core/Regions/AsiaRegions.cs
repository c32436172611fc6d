using DePin.Wireless.Core.Primitives;
using static DePin.Wireless.Core.Regions.RegionTables;

namespace DePin.Wireless.Core.Regions;

/// <summary>AS923 group 1 (AS923_FREQ_OFFSET = 0; RP002-1.0.4, "AS923MHz ISM Band"; TTS <c>as_923_rp2_v1_0_4.go</c>).</summary>
public static class As923Group1
{
    public static RegionPlan Create(RegionPlanOptions? options = null)
    {
        options ??= RegionPlanOptions.Default;
        var uplinkDwell = options.UplinkDwellTime ?? true;
        var downlinkDwell = options.DownlinkDwellTime ?? true;

        // M without / with dwell time (DR0/DR1 not allowed under the 400 ms dwell limit).
        RegionDataRate[] rates =
        [
            LoRaUp(0, 12, 125, 59, 0), LoRaUp(1, 11, 125, 59, 0), LoRaUp(2, 10, 125, 123, 19), LoRaUp(3, 9, 125, 123, 61),
            LoRaUp(4, 8, 125, 250, 133), LoRaUp(5, 7, 125, 250, 250), LoRaUp(6, 7, 250, 250, 250), Fsk(7, 250, 250),
        ];

        // RX1 DR = min(7, max(MinDR, upDR − Effective_RX1DROffset)); Effective = [0,1,2,3,4,5,−1,−2];
        // MinDR = 2 under downlink dwell, else 0 (upper bound as TTS, ChirpStack and LoRaMac-node RegionAS923 apply it).
        var rx1 = Rx1BySubtraction(rates, [0, 1, 2, 3, 4, 5, -1, -2], downlinkDwell ? 2 : 0, 7);
        var defaults = Channels(0, 125, uplinkDwell ? 2 : 0, 5, 923_200_000, 923_400_000);
        var extras = EuLikeRegion.ExtraChannels("AS923-1", options.ExtraChannels ?? [], defaults, new Hz(915_000_000), new Hz(928_000_000));
        return new RegionPlan
        {
            Name = "AS923-1",
            Source = "LoRaWAN Regional Parameters RP002-1.0.4, AS923MHz ISM Band (AS923-1)",
            DataRates = rates,
            DefaultChannels = defaults,
            ExtraChannels = extras,
            UplinkChannels = [.. defaults, .. extras],
            EnabledUplinkChannels = [.. defaults, .. extras],
            MaxChannels = EuLikeRegion.MaxChannels,
            DownlinkChannels = [],
            Rx1Channel = Rx1ChannelRule.SameAsUplink,
            Rx1DataRateTable = rx1,
            Rx2Frequency = new Hz(923_200_000),
            Rx2DataRate = 2,
            MaxEirp = new Dbm(16),
            TxPowerOffsetsDb = PowerSteps(8),
            UplinkDwellTime = uplinkDwell ? TimeSpan.FromMilliseconds(400) : null,
            DownlinkDwellTime = downlinkDwell ? TimeSpan.FromMilliseconds(400) : null,
            CfListType = CfListType.Frequencies,
            JoinDataRates = uplinkDwell ? [2, 3, 4, 5] : [0, 1, 2, 3, 4, 5],
        };
    }
}

/// <summary>KR920-923 (RP002-1.0.4, "KR920-923MHz ISM Band"; TTS <c>kr_920_923_rp2_v1_0_4.go</c>).</summary>
public static class Kr920
{
    public static RegionPlan Create(RegionPlanOptions? options = null)
    {
        options ??= RegionPlanOptions.Default;
        RegionDataRate[] rates =
        [
            LoRaUp(0, 12, 125, 59), LoRaUp(1, 11, 125, 59), LoRaUp(2, 10, 125, 59),
            LoRaUp(3, 9, 125, 123), LoRaUp(4, 8, 125, 250), LoRaUp(5, 7, 125, 250),
        ];
        var defaults = Channels(0, 125, 0, 5, 922_100_000, 922_300_000, 922_500_000);
        var extras = EuLikeRegion.ExtraChannels("KR920", options.ExtraChannels ?? [], defaults, new Hz(920_900_000), new Hz(923_300_000));
        return new RegionPlan
        {
            Name = "KR920",
            Source = "LoRaWAN Regional Parameters RP002-1.0.4, KR920-923MHz ISM Band",
            DataRates = rates,
            DefaultChannels = defaults,
            ExtraChannels = extras,
            UplinkChannels = [.. defaults, .. extras],
            EnabledUplinkChannels = [.. defaults, .. extras],
            MaxChannels = EuLikeRegion.MaxChannels,
            DownlinkChannels = [],
            Rx1Channel = Rx1ChannelRule.SameAsUplink,
            Rx1DataRateTable = Rx1BySubtraction(rates, [0, 1, 2, 3, 4, 5], 0, 5),
            Rx2Frequency = new Hz(921_900_000),
            Rx2DataRate = 0,
            MaxEirp = new Dbm(14),
            TxPowerOffsetsDb = PowerSteps(8),
            CfListType = CfListType.Frequencies,
            JoinDataRates = [0, 1, 2, 3, 4, 5],
        };
    }
}

/// <summary>IN865-867 (RP002-1.0.4, "IN865-867MHz ISM Band"; TTS <c>in_865_867_rp2_v1_0_4.go</c>).</summary>
public static class In865
{
    public static RegionPlan Create(RegionPlanOptions? options = null)
    {
        options ??= RegionPlanOptions.Default;

        // DR6 is RFU in IN865.
        RegionDataRate[] rates =
        [
            LoRaUp(0, 12, 125, 59), LoRaUp(1, 11, 125, 59), LoRaUp(2, 10, 125, 59),
            LoRaUp(3, 9, 125, 123), LoRaUp(4, 8, 125, 250), LoRaUp(5, 7, 125, 250), Fsk(7, 250),
        ];

        // Effective_RX1DROffset = [0,1,2,3,4,5,−1,−2]; a result landing on RFU DR6 steps down to DR5.
        var defaults = Channels(0, 125, 0, 5, 865_062_500, 865_402_500, 865_985_000);
        var extras = EuLikeRegion.ExtraChannels("IN865", options.ExtraChannels ?? [], defaults, new Hz(865_000_000), new Hz(867_000_000));
        return new RegionPlan
        {
            Name = "IN865",
            Source = "LoRaWAN Regional Parameters RP002-1.0.4, IN865-867MHz ISM Band",
            DataRates = rates,
            DefaultChannels = defaults,
            ExtraChannels = extras,
            UplinkChannels = [.. defaults, .. extras],
            EnabledUplinkChannels = [.. defaults, .. extras],
            MaxChannels = EuLikeRegion.MaxChannels,
            DownlinkChannels = [],
            Rx1Channel = Rx1ChannelRule.SameAsUplink,
            Rx1DataRateTable = Rx1BySubtraction(rates, [0, 1, 2, 3, 4, 5, -1, -2], 0, 7),
            Rx2Frequency = new Hz(866_550_000),
            Rx2DataRate = 2,
            MaxEirp = new Dbm(30),
            TxPowerOffsetsDb = PowerSteps(11),
            CfListType = CfListType.Frequencies,
            JoinDataRates = [0, 1, 2, 3, 4, 5],
        };
    }
}
