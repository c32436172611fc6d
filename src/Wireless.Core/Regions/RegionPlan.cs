using System.Globalization;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Regions;

/// <summary>How the RX1 downlink frequency follows from the uplink.</summary>
public enum Rx1ChannelRule
{
    /// <summary>RX1 uses the uplink frequency (EU868, AS923, KR920, IN865).</summary>
    SameAsUplink,

    /// <summary>RX1 uses 500 kHz downlink channel (uplink channel index mod 8) (US915, AU915).</summary>
    UplinkChannelModulo8,
}

/// <summary>
/// A LoRaWAN regional channel plan (LoRaWAN Regional Parameters RP002-1.0.4): channels, data rates, payload limits,
/// receive-window rules, power and regulatory limits. Immutable; build one with <see cref="RegionPlans"/>.
/// </summary>
public sealed class RegionPlan
{
    private const int HeliumBeaconPayloadBytes = 51;

    /// <summary>Canonical name, e.g. "EU868", "US915", "AS923-1".</summary>
    public required string Name { get; init; }

    /// <summary>The RP002-1.0.4 section this plan implements.</summary>
    public required string Source { get; init; }

    /// <summary>Data-rate table in index order (RFU indices omitted).</summary>
    public required IReadOnlyList<RegionDataRate> DataRates { get; init; }

    /// <summary>Every uplink channel the plan defines (US915/AU915: all 72; EU-like: defaults then extras).</summary>
    public required IReadOnlyList<RadioChannel> UplinkChannels { get; init; }

    /// <summary>Uplink channels the network listens on (US915/AU915: the selected sub-band; EU-like: all of <see cref="UplinkChannels"/>).</summary>
    public required IReadOnlyList<RadioChannel> EnabledUplinkChannels { get; init; }

    /// <summary>The mandatory channels every end-device knows at boot (EU868: 868.1/868.3/868.5 MHz).</summary>
    public required IReadOnlyList<RadioChannel> DefaultChannels { get; init; }

    /// <summary>Channels added by the network beyond the defaults (EU-like: sent in the CFList). Empty for US915/AU915.</summary>
    public required IReadOnlyList<RadioChannel> ExtraChannels { get; init; }

    /// <summary>Most channels an end-device can hold (16 for EU-like plans, 72 for US915/AU915).</summary>
    public required int MaxChannels { get; init; }

    /// <summary>Dedicated downlink channels (US915/AU915: 8 × 500 kHz at 923.3 + 0.6n MHz); empty when RX1 reuses the uplink frequency.</summary>
    public required IReadOnlyList<RadioChannel> DownlinkChannels { get; init; }

    public required Rx1ChannelRule Rx1Channel { get; init; }

    /// <summary>RX1 data rate by [uplink DR][RX1DROffset]; −1 where the combination is undefined.</summary>
    public required IReadOnlyList<IReadOnlyList<int>> Rx1DataRateTable { get; init; }

    public required Hz Rx2Frequency { get; init; }

    public required int Rx2DataRate { get; init; }

    /// <summary>Default maximum EIRP of an end-device (TXPower 0).</summary>
    public required Dbm MaxEirp { get; init; }

    /// <summary>TXPower index → dB below <see cref="MaxEirp"/> (0, −2, −4, …).</summary>
    public required IReadOnlyList<int> TxPowerOffsetsDb { get; init; }

    /// <summary>Regulatory duty-cycle sub-bands (EU868); empty where no duty-cycle limit applies.</summary>
    public IReadOnlyList<DutyCycleBand> DutyCycleBands { get; init; } = [];

    /// <summary>Uplink dwell-time limit per transmission when in force (US915 FCC; AU915/AS923 when UplinkDwellTime = 1).</summary>
    public TimeSpan? UplinkDwellTime { get; init; }

    /// <summary>Downlink dwell-time limit when in force (AS923 with DownlinkDwellTime = 1).</summary>
    public TimeSpan? DownlinkDwellTime { get; init; }

    public required CfListType CfListType { get; init; }

    /// <summary>Data rates an end-device may use for a JoinRequest on <see cref="JoinChannels"/>.</summary>
    public required IReadOnlyList<int> JoinDataRates { get; init; }

    /// <summary>US915/AU915 sub-band (1..8) this plan is restricted to; null for EU-like plans.</summary>
    public int? SubBand { get; init; }

    /// <summary>The channels an end-device uses for JoinRequests (EU-like: the defaults; US915/AU915: the enabled sub-band).</summary>
    public IReadOnlyList<RadioChannel> JoinChannels => Rx1Channel == Rx1ChannelRule.SameAsUplink ? DefaultChannels : EnabledUplinkChannels;

    /// <summary>The data-rate row for DRn, or a clear error naming the plan's valid indices.</summary>
    public RegionDataRate GetDataRate(int dataRate)
    {
        foreach (var row in DataRates)
        {
            if (row.Index == dataRate)
            {
                return row;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(dataRate), $"data rate: DR{dataRate} is not defined in {Name} (defined: {string.Join(", ", DataRates.Select(d => "DR" + d.Index.ToString(CultureInfo.InvariantCulture)))})");
    }

    /// <summary>The DR index of a LoRa modulation in the given direction, e.g. SF8BW500 is DR4 up and DR12 down in US915.</summary>
    public int GetDataRateIndex(DataRate lora, bool downlink = false)
    {
        foreach (var row in DataRates)
        {
            if (row.LoRa == lora && (downlink ? row.Downlink : row.Uplink))
            {
                return row.Index;
            }
        }

        throw new ArgumentException($"data rate: {lora} is not {(downlink ? "a downlink" : "an uplink")} data rate of {Name}", nameof(lora));
    }

    /// <summary>Max MACPayload for DRn in a direction, honouring the dwell-time limit in force for that direction.</summary>
    public MaxPayloadSize MaxPayload(int dataRate, bool downlink = false)
    {
        var row = GetDataRate(dataRate);
        if (downlink ? !row.Downlink : !row.Uplink)
        {
            throw new ArgumentException($"data rate: DR{dataRate} of {Name} is not usable for {(downlink ? "downlinks" : "uplinks")}", nameof(dataRate));
        }

        return row.MaxPayloadFor(downlink ? DownlinkDwellTime is not null : UplinkDwellTime is not null);
    }

    /// <summary>The uplink channel with this centre frequency (any defined channel, enabled or not).</summary>
    public RadioChannel GetUplinkChannel(Hz frequency)
    {
        foreach (var channel in UplinkChannels)
        {
            if (channel.Frequency == frequency)
            {
                return channel;
            }
        }

        throw new ArgumentException($"frequency: {frequency.Megahertz.ToString("0.0#####", CultureInfo.InvariantCulture)} MHz is not an uplink channel of {Name}", nameof(frequency));
    }

    /// <summary>RX1 frequency for an uplink received on <paramref name="uplinkFrequency"/>.</summary>
    public Hz Rx1Frequency(Hz uplinkFrequency)
    {
        var channel = GetUplinkChannel(uplinkFrequency);
        return Rx1Channel == Rx1ChannelRule.SameAsUplink ? channel.Frequency : DownlinkChannels[channel.Index % 8].Frequency;
    }

    /// <summary>RX1 data rate = table[uplink DR][RX1DROffset] (RP002-1.0.4 "Receive windows" of the region).</summary>
    public int Rx1DataRate(int uplinkDataRate, int rx1DrOffset)
    {
        var row = GetDataRate(uplinkDataRate);
        if (!row.Uplink || uplinkDataRate >= Rx1DataRateTable.Count || Rx1DataRateTable[uplinkDataRate].Count == 0)
        {
            throw new ArgumentException($"data rate: DR{uplinkDataRate} is not an uplink data rate of {Name}", nameof(uplinkDataRate));
        }

        var offsets = Rx1DataRateTable[uplinkDataRate];
        if (rx1DrOffset < 0 || rx1DrOffset >= offsets.Count || offsets[rx1DrOffset] < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rx1DrOffset), $"RX1DROffset: {rx1DrOffset} is not 0..{offsets.Count - 1} in {Name}");
        }

        return offsets[rx1DrOffset];
    }

    /// <summary>EIRP for a LinkADRReq TXPower index (MaxEIRP + offset).</summary>
    public Dbm Eirp(int txPowerIndex)
    {
        if (txPowerIndex < 0 || txPowerIndex >= TxPowerOffsetsDb.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(txPowerIndex), $"TXPower: index {txPowerIndex} is not 0..{TxPowerOffsetsDb.Count - 1} in {Name}");
        }

        return MaxEirp + TxPowerOffsetsDb[txPowerIndex];
    }

    /// <summary>The duty-cycle sub-band containing a frequency, or null when the plan has none for it.</summary>
    public DutyCycleBand? DutyCycleBandFor(Hz frequency) => DutyCycleBands.FirstOrDefault(b => b.Contains(frequency));

    /// <summary>The enabled uplink channels as a 72-bit mask (US915/AU915 only).</summary>
    public ChannelMask72 EnabledChannelMask()
    {
        RequireChannelMaskPlan();
        return ChannelMask72.FromChannels(EnabledUplinkChannels.Select(c => c.Index));
    }

    /// <summary>LinkADRReq ChMaskCntl/ChMask elements that restrict a device to <see cref="EnabledUplinkChannels"/> (US915/AU915).</summary>
    public IReadOnlyList<LinkAdrChannelMask> LinkAdrChannelMasks() => EnabledChannelMask().ToLinkAdrCommands();

    /// <summary>
    /// The JoinAccept CFList: EU-like plans list <see cref="ExtraChannels"/> (null when there are none);
    /// US915/AU915 send the enabled-channel mask.
    /// </summary>
    public byte[]? BuildCfList() => CfListType switch
    {
        CfListType.Frequencies => ExtraChannels.Count == 0 ? null : CfList.FromFrequencies(ExtraChannels.Select(c => c.Frequency).ToArray()),
        _ => CfList.FromChannelMask(EnabledChannelMask()),
    };

    /// <summary>True when a PHY payload of this size at DRn stays within the uplink dwell-time limit (always true without one).</summary>
    public bool FitsUplinkDwellTime(int dataRate, int phyPayloadBytes)
    {
        if (UplinkDwellTime is not { } dwell)
        {
            return true;
        }

        var row = GetDataRate(dataRate);
        return !row.IsLoRa || TimeOnAir.Compute(row.RequireLoRa(), phyPayloadBytes, LoRaPacketShape.LoRaWanUplink) <= dwell;
    }

    /// <summary>
    /// Which channels and data rate a proof-of-coverage beacon uses. Follows Helium (<c>helium/proto beacon/src/region.rs</c>,
    /// legacy <c>poc-v11</c> params): the most robust (lowest-index) 125 kHz LoRa uplink data rate whose max application
    /// payload N holds the beacon payload (51 bytes), and that also meets the uplink dwell limit; the channel is picked
    /// from the enabled 125 kHz uplink channels. EU868 → SF12BW125, US915 → SF9BW125 (N = 11 at SF10), AU915/AS923 with
    /// dwell → SF9BW125.
    /// </summary>
    public PocBeaconPlan PocBeacon(int beaconPayloadBytes = HeliumBeaconPayloadBytes)
    {
        if (beaconPayloadBytes is < 1 or > 242)
        {
            throw new ArgumentOutOfRangeException(nameof(beaconPayloadBytes), $"beacon payload: {beaconPayloadBytes} bytes is not 1..242");
        }

        var channels = EnabledUplinkChannels.Where(c => c.BandwidthKhz == 125).ToArray();
        var phyBytes = beaconPayloadBytes + 1; // proprietary frame: MHDR + payload
        foreach (var row in DataRates)
        {
            if (row is { IsLoRa: true, Uplink: true } && row.LoRa!.Value.BandwidthKhz == 125
                && channels.Any(c => c.Allows(row.Index))
                && row.MaxPayloadFor(UplinkDwellTime is not null).N >= beaconPayloadBytes
                && FitsUplinkDwellTime(row.Index, phyBytes))
            {
                var usable = channels.Where(c => c.Allows(row.Index)).Select(c => c.Frequency).ToArray();
                var airtime = TimeOnAir.Compute(row.RequireLoRa(), phyBytes, LoRaPacketShape.LoRaWanUplink);
                return new PocBeaconPlan(usable, row.Index, row.RequireLoRa(), MaxEirp, phyBytes, airtime);
            }
        }

        throw new InvalidOperationException($"beacon: no 125 kHz LoRa data rate of {Name} carries a {beaconPayloadBytes}-byte beacon");
    }

    public override string ToString() => Name;

    private void RequireChannelMaskPlan()
    {
        if (CfListType != CfListType.ChannelMask)
        {
            throw new InvalidOperationException($"{Name} does not use 72-channel masks (only US915 and AU915 do)");
        }
    }
}

/// <summary>The channels, data rate and power a PoC beacon uses in a plan (see <see cref="RegionPlan.PocBeacon"/>).</summary>
public sealed record PocBeaconPlan(IReadOnlyList<Hz> Channels, int DataRateIndex, DataRate DataRate, Dbm MaxEirp, int PhyPayloadBytes, TimeSpan Airtime)
{
    /// <summary>Helium's channel choice: little-endian u16 of the first two payload bytes, modulo the channel count.</summary>
    public Hz ChannelFor(ReadOnlySpan<byte> beaconPayload)
    {
        if (beaconPayload.Length < 2)
        {
            throw new ArgumentException($"beacon payload: {beaconPayload.Length} bytes, need at least 2 to pick a channel", nameof(beaconPayload));
        }

        return Channels[(beaconPayload[0] | (beaconPayload[1] << 8)) % Channels.Count];
    }
}
