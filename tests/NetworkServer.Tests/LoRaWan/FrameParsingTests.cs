using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.LoRaWan;
using static DePin.Wireless.NetworkServer.Tests.LoRaWan.TestHex;

namespace DePin.Wireless.NetworkServer.Tests.LoRaWan;

public class FrameParsingTests
{
    private static LoRaWanFormatException Rejects(string hex)
    {
        Assert.False(PhyFrame.TryParse(Bytes(hex), out _, out var error));
        return error!;
    }

    [Fact]
    public void Too_short_for_any_frame()
    {
        var e = Rejects("40010203");
        Assert.Equal("PHYPayload", e.Field);
        Assert.Contains("too short", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_short_for_a_data_frame()
    {
        var e = Rejects("40f17dbe4900020001");
        Assert.Contains("MHDR(1) + FHDR(7) + MIC(4)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FOptsLen_beyond_the_frame()
    {
        // FCtrl 0x05 declares 5 FOpts bytes but only 2 bytes precede the MIC.
        var e = Rejects("40f17dbe490500" + "0102" + "2b11ff0d");
        Assert.Equal("FCtrl.FOptsLen", e.Field);
        Assert.Contains("declares 5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FPort_zero_with_FOpts_is_invalid()
    {
        var e = Rejects("40f17dbe49010200" + "06" + "00" + "aabb" + "2b11ff0d");
        Assert.Equal("FPort", e.Field);
    }

    [Fact]
    public void Unknown_major_version()
    {
        var e = Rejects("41f17dbe4900020001954378762b11ff0d");
        Assert.Equal("MHDR.Major", e.Field);
        Assert.Contains("unknown major version 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Join_request_and_accept_lengths_are_exact()
    {
        Assert.Contains("exactly 23", Rejects("00" + new string('1', 40) + "c65b1304").Message, StringComparison.Ordinal);
        Assert.Contains("17 bytes (or 33", Rejects("20" + new string('0', 30) + "11223344").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_long_for_lora()
    {
        Assert.Contains("exceeds", Rejects("40" + new string('0', 2 * 255)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_frame_without_port_and_flags()
    {
        // Unconfirmed down, ACK + FPending, FOpts = LinkCheckAns(margin 20, 2 gateways), no FPort.
        var frame = PhyFrame.Parse(Bytes("600403020133000502140211223344")).AsDataFrame();
        Assert.Equal(Direction.Downlink, frame.Direction);
        Assert.Null(frame.FPort);
        Assert.True(frame.FrmPayload.IsEmpty);
        Assert.True(frame.FCtrl.Ack);
        Assert.True(frame.FCtrl.FPending);
        Assert.False(frame.FCtrl.Adr);
        Assert.Equal(0x0500, frame.FCnt16);
        Assert.Equal(new LinkCheckAns(20, 2), Assert.Single(MacCommandCodec.Parse(frame.FOpts, frame.Direction)));
    }

    [Fact]
    public void FPort_present_with_empty_payload()
    {
        var frame = PhyFrame.Parse(Bytes("400403020100010007aabbccdd")).AsDataFrame();
        Assert.Equal((byte)7, frame.FPort);
        Assert.True(frame.FrmPayload.IsEmpty);
    }

    [Fact]
    public void Proprietary_payload_is_opaque()
    {
        var frame = PhyFrame.Parse(Bytes("e0cafebabe01020304"));
        Assert.Equal(MType.Proprietary, frame.MType);
        Assert.Equal("cafebabe", Of(frame.ProprietaryPayload));
        Assert.Equal("01020304", frame.Mic.ToString());
    }

    [Fact]
    public void Rejoin_requests_of_each_type()
    {
        var type0 = PhyFrame.Parse(Bytes("c000" + "030201" + "0807060504030201" + "0500" + "aabbccdd")).AsRejoinRequest();
        Assert.Equal(0, type0.RejoinType);
        Assert.Equal(NetId.Parse("010203"), type0.NetId);
        Assert.Null(type0.JoinEui);
        Assert.Equal(Eui64.Parse("0102030405060708"), type0.DevEui);
        Assert.Equal(5, type0.RejoinCount);

        var type1 = PhyFrame.Parse(Bytes("c001" + "1111111111111111" + "0807060504030201" + "0100" + "aabbccdd")).AsRejoinRequest();
        Assert.Equal(Eui64.Parse("1111111111111111"), type1.JoinEui);
        Assert.Null(type1.NetId);
        Assert.Equal(1, type1.RejoinCount);

        Assert.Equal("RejoinType", Rejects("c003" + new string('0', 34) + "aabbccdd").Field);
        Assert.Contains("type 1 RejoinRequest is 24", Rejects("c001" + new string('0', 34) + "aabbccdd").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_for_the_wrong_view_is_an_error()
    {
        var bytes = Bytes("0039363463336913AA05693574323831330489C65B1304");
        Assert.Throws<LoRaWanFormatException>(() => DataFrame.Parse(bytes));
        Assert.Throws<LoRaWanFormatException>(() => JoinAcceptFrame.Parse(bytes));
    }

    [Fact]
    public void Builder_refuses_invalid_fields()
    {
        using var key = Cipher("0102030405060708090a0b0c0d0e0f10");
        var addr = new DevAddr(1);
        Assert.Contains("FPort", Assert.Throws<ArgumentException>(() => FrameBuilder.BuildDataFrame(new DataFrameFields(MType.UnconfirmedDataUp, addr, 0) { FPort = 0, FOpts = new byte[] { 2 } }, key, key)).Message, StringComparison.Ordinal);
        Assert.Contains("needs a port", Assert.Throws<ArgumentException>(() => FrameBuilder.BuildDataFrame(new DataFrameFields(MType.UnconfirmedDataUp, addr, 0) { Payload = new byte[] { 1 } }, key, key)).Message, StringComparison.Ordinal);
        Assert.Contains("exceeds 15", Assert.Throws<ArgumentException>(() => FrameBuilder.BuildDataFrame(new DataFrameFields(MType.UnconfirmedDataUp, addr, 0) { FOpts = new byte[16] }, key, key)).Message, StringComparison.Ordinal);
        Assert.Contains("exceeds 255", Assert.Throws<ArgumentException>(() => FrameBuilder.BuildDataFrame(new DataFrameFields(MType.UnconfirmedDataUp, addr, 0) { FPort = 1, Payload = new byte[250] }, key, key)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => FrameBuilder.BuildDataFrame(new DataFrameFields(MType.JoinRequest, addr, 0), key, key));
        Assert.Throws<ArgumentNullException>(() => FrameBuilder.BuildDataFrame(new DataFrameFields(MType.UnconfirmedDataUp, addr, 0) { FPort = 1, Payload = new byte[1] }, key, null));
    }

    [Fact]
    public void Full_counter_goes_into_mic_and_keystream_but_only_16_bits_on_air()
    {
        using var key = Cipher("0102030405060708090a0b0c0d0e0f10");
        var low = FrameBuilder.BuildDataFrame(new DataFrameFields(MType.UnconfirmedDataUp, new DevAddr(7), 0x0000_0005) { FPort = 1, Payload = new byte[] { 9, 9 } }, key, key);
        var high = FrameBuilder.BuildDataFrame(new DataFrameFields(MType.UnconfirmedDataUp, new DevAddr(7), 0x0003_0005) { FPort = 1, Payload = new byte[] { 9, 9 } }, key, key);
        Assert.Equal(Of(low.AsSpan(0, 9)), Of(high.AsSpan(0, 9)));
        Assert.NotEqual(Of(low.AsSpan(9)), Of(high.AsSpan(9)));
    }
}
