using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;

namespace DePin.Wireless.Core.Tests.Regions;

public class ChannelMaskAndCfListTests
{
    [Fact]
    public void ChMaskCntl_0_to_3_set_16_channel_blocks()
    {
        var mask = ChannelMask72.None.Apply(new LinkAdrChannelMask(1, 0x8001));
        Assert.Equal(new[] { 16, 31 }, mask.EnabledChannels());
        mask = mask.Apply(new LinkAdrChannelMask(3, 0xFFFF));
        Assert.Equal(18, mask.Count);
    }

    [Fact]
    public void ChMaskCntl_4_sets_the_500_khz_channels()
    {
        Assert.Equal(new[] { 64, 71 }, ChannelMask72.None.Apply(new LinkAdrChannelMask(4, 0x0081)).EnabledChannels());
        Assert.Contains("RFU", Assert.Throws<ArgumentOutOfRangeException>(() => ChannelMask72.None.Apply(new LinkAdrChannelMask(4, 0x0100))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChMaskCntl_5_switches_whole_banks()
    {
        var mask = ChannelMask72.All.Apply(new LinkAdrChannelMask(5, 0b0000_0110));
        Assert.Equal(Enumerable.Range(8, 16).Concat([65, 66]), mask.EnabledChannels());
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelMask72.All.Apply(new LinkAdrChannelMask(5, 0x0100)));
    }

    [Fact]
    public void ChMaskCntl_6_and_7_turn_all_125_khz_channels_on_or_off()
    {
        var on = ChannelMask72.None.Apply(new LinkAdrChannelMask(6, 0x0003));
        Assert.Equal(66, on.Count);
        Assert.True(on.IsEnabled(0) && on.IsEnabled(63) && on.IsEnabled(64) && on.IsEnabled(65) && !on.IsEnabled(66));
        var off = ChannelMask72.All.Apply(new LinkAdrChannelMask(7, 0x0080));
        Assert.Equal(new[] { 71 }, off.EnabledChannels());
    }

    [Fact]
    public void Invalid_chmaskcntl_and_channels_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelMask72.None.Apply(new LinkAdrChannelMask(8, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelMask72.None.IsEnabled(72));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelMask72.None.With(-1, true));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(8)]
    public void Generated_linkadr_sequence_reproduces_any_sub_band_from_any_state(int subBand)
    {
        var target = ChannelMask72.SubBand(subBand);
        var commands = target.ToLinkAdrCommands();
        Assert.Equal(2, commands.Count);
        Assert.Equal(target, ChannelMask72.All.Apply(commands));
        Assert.Equal(target, ChannelMask72.None.Apply(commands));
        Assert.Equal(target, ChannelMask72.SubBand(subBand == 1 ? 2 : 1).Apply(commands));
    }

    [Fact]
    public void Mostly_on_mask_starts_from_chmaskcntl_6()
    {
        var target = ChannelMask72.All.With(3, false);
        var commands = target.ToLinkAdrCommands();
        Assert.Equal(new[] { new LinkAdrChannelMask(6, 0xFF), new LinkAdrChannelMask(0, 0xFFF7) }, commands);
        Assert.Equal(target, ChannelMask72.None.Apply(commands));
    }

    [Fact]
    public void Cflist_channel_mask_round_trip_and_frequency_errors()
    {
        var mask = ChannelMask72.FromChannels([0, 17, 40, 63, 64, 70]);
        var bytes = CfList.FromChannelMask(mask);
        Assert.Equal(16, bytes.Length);
        Assert.Equal(1, bytes[15]);
        Assert.Equal(mask, CfList.ReadChannelMask(bytes));

        Assert.Throws<ArgumentException>(() => CfList.FromFrequencies(Enumerable.Repeat(new Hz(867_100_000), 6).ToArray()));
        Assert.Contains("multiple of 100 Hz", Assert.Throws<ArgumentException>(() => CfList.FromFrequencies([new Hz(867_100_050)])).Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => CfList.TypeOf(new byte[15]));
        var badType = new byte[16];
        badType[15] = 2;
        Assert.Contains("CFListType 2", Assert.Throws<FormatException>(() => CfList.TypeOf(badType)).Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => CfList.ReadChannelMask(CfList.FromFrequencies([new Hz(867_100_000)])));
    }
}
