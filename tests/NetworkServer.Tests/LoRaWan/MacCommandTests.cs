using DePin.Wireless.NetworkServer.LoRaWan;
using static DePin.Wireless.NetworkServer.Tests.LoRaWan.TestHex;

namespace DePin.Wireless.NetworkServer.Tests.LoRaWan;

public class MacCommandTests
{
    public static TheoryData<string, MacCommand> Downlink => new()
    {
        { "020a03", new LinkCheckAns(10, 3) },
        { "0352ff0012", new LinkAdrReq(5, 2, 0x00FF, 1, 2) },
        { "0407", new DutyCycleReq(7) },
        { "0532d2ad84", new RxParamSetupReq(3, 2, 869_525_000) },
        { "06", new DevStatusReq() },
        { "0703184f8450", new NewChannelReq(3, 867_100_000, 0, 5) },
        { "0801", new RxTimingSetupReq(1) },
        { "0935", new TxParamSetupReq(true, true, 5) },
        { "0a02d2ad84", new DlChannelReq(2, 869_525_000) },
        { "0d00e1f5050a", new DeviceTimeAns(100_000_000, 10) },
    };

    public static TheoryData<string, MacCommand> Uplink => new()
    {
        { "02", new LinkCheckReq() },
        { "0307", new LinkAdrAns(true, true, true) },
        { "0302", new LinkAdrAns(false, true, false) },
        { "04", new DutyCycleAns() },
        { "0505", new RxParamSetupAns(true, false, true) },
        { "06ff3e", new DevStatusAns(255, -2) },
        { "06001f", new DevStatusAns(0, 31) },
        { "0703", new NewChannelAns(true, true) },
        { "08", new RxTimingSetupAns() },
        { "09", new TxParamSetupAns() },
        { "0a01", new DlChannelAns(false, true) },
        { "0d", new DeviceTimeReq() },
    };

    [Theory]
    [MemberData(nameof(Downlink))]
    public void Downlink_commands_parse_and_serialise(string hex, MacCommand expected) => RoundTrip(hex, expected, Direction.Downlink);

    [Theory]
    [MemberData(nameof(Uplink))]
    public void Uplink_commands_parse_and_serialise(string hex, MacCommand expected) => RoundTrip(hex, expected, Direction.Uplink);

    private static void RoundTrip(string hex, MacCommand expected, Direction direction)
    {
        var command = Assert.Single(MacCommandCodec.Parse(Bytes(hex), direction));
        Assert.Equal(expected, command);
        Assert.Equal(direction, command.Direction);
        Assert.Equal(hex, Of(MacCommandCodec.Write([expected])));
    }

    [Fact]
    public void A_stream_of_several_commands_parses_in_order()
    {
        var commands = MacCommandCodec.Parse(Bytes("02" + "0307" + "06ff3e" + "0d"), Direction.Uplink);
        Assert.Equal([new LinkCheckReq(), new LinkAdrAns(true, true, true), new DevStatusAns(255, -2), new DeviceTimeReq()], commands);
    }

    [Fact]
    public void Truncated_command_names_offset_and_shortfall()
    {
        var e = Assert.Throws<LoRaWanFormatException>(() => MacCommandCodec.Parse(Bytes("06" + "0352ff"), Direction.Downlink));
        Assert.Contains("LinkADRReq", e.Message, StringComparison.Ordinal);
        Assert.Contains("offset 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("needs 4 payload bytes, 2 remain", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_cid_stops_parsing_with_a_clear_error()
    {
        var e = Assert.Throws<LoRaWanFormatException>(() => MacCommandCodec.Parse(Bytes("02" + "0b01"), Direction.Uplink));
        Assert.Contains("unknown CID 0x0b at offset 1", e.Message, StringComparison.Ordinal);
        Assert.Throws<LoRaWanFormatException>(() => MacCommandCodec.Parse(Bytes("80"), Direction.Downlink));
    }

    [Fact]
    public void Text_form_shows_the_fields()
    {
        Assert.Equal("DevStatusAns { Battery = 255, Margin = -2 }", new DevStatusAns(255, -2).ToString());
        Assert.Equal("LinkCheckReq { }", new LinkCheckReq().ToString());
    }

    [Fact]
    public void Empty_stream_is_no_commands() => Assert.Empty(MacCommandCodec.Parse(ReadOnlySpan<byte>.Empty, Direction.Uplink));

    [Fact]
    public void Out_of_range_fields_are_refused_on_write()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MacCommandCodec.Write([new LinkAdrReq(16, 0, 0, 0, 1)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MacCommandCodec.Write([new DevStatusAns(0, 32)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MacCommandCodec.Write([new DlChannelReq(0, 868_100_050)]));
        Assert.Throws<ArgumentException>(() => MacCommandCodec.Write([new LinkCheckReq(), new LinkCheckAns(1, 1)]));
    }
}
