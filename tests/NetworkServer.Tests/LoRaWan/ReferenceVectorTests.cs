using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.LoRaWan;
using static DePin.Wireless.NetworkServer.Tests.LoRaWan.TestHex;

namespace DePin.Wireless.NetworkServer.Tests.LoRaWan;

/// <summary>Every vector of shared/reference/lorawan-and-gwmp.md §2 (lora-packet and ChirpStack lrwn test data).</summary>
public class ReferenceVectorTests
{
    [Fact]
    public void V1_lora_packet_uplink_mic_and_decryption()
    {
        var phy = Bytes("40F17DBE4900020001954378762B11FF0D");
        var frame = PhyFrame.Parse(phy).AsDataFrame();
        Assert.Equal(MType.UnconfirmedDataUp, frame.MType);
        Assert.Equal(new DevAddr(0x49be7df1), frame.DevAddr);
        Assert.Equal(2, frame.FCnt16);
        Assert.Equal((byte)1, frame.FPort);
        using var nwk = Cipher("44024241ed4ce9a68c6a8bc055233fd3");
        using var app = Cipher("ec925802ae430ca77fd3dd73cb2cc588");
        var mic = LoRaWanCrypto.ComputeDataMic(nwk, frame.Signed, frame.Direction, frame.DevAddr, 2);
        Assert.Equal("2b11ff0d", mic.ToString());
        Assert.Equal(frame.Mic, mic);
        var plain = new byte[frame.FrmPayload.Length];
        LoRaWanCrypto.CryptFrmPayload(app, frame.Direction, frame.DevAddr, 2, frame.FrmPayload, plain);
        Assert.Equal("test", System.Text.Encoding.ASCII.GetString(plain));
    }

    [Fact]
    public void V2_lora_packet_join_request_mic()
    {
        var frame = PhyFrame.Parse(Bytes("0039363463336913AA05693574323831330489C65B1304")).AsJoinRequest();
        using var appKey = Cipher("98929b92c49edba9676d646d3b612456");
        Assert.Equal("c65b1304", LoRaWanCrypto.ComputeJoinRequestMic(appKey, frame.Signed).ToString());
        Assert.Equal(Eui64.Parse("aa13693363343639"), frame.JoinEui);
    }

    [Fact]
    public void V3_lora_packet_join_accept_mic_and_session_keys()
    {
        var plain = Bytes("20386337CCBBAAE7CD2C010000D9D0A6E7");
        var accept = JoinAcceptFrame.Parse(plain);
        Assert.Equal(0x376338u, accept.JoinNonce);
        Assert.Equal(NetId.Parse("aabbcc"), accept.NetId);
        using var appKey = Cipher("98929b92c49edba9676d646d3b612456");
        Assert.Equal("d9d0a6e7", LoRaWanCrypto.ComputeJoinAcceptMic(appKey, accept.Signed).ToString());
        var keys = LoRaWanCrypto.DeriveSessionKeys10(appKey, 0x376338, NetId.Parse("aabbcc"), 0xf18e);
        Assert.Equal("4e3d6e6afbcc67af2ba3c8e8ec4acf4b", keys.NwkSKey.ToString());
        Assert.Equal("610897aa6f1460623443b527d3ac6a9d", keys.AppSKey.ToString());
    }

    [Fact]
    public void V4_all_zero_join_accept_encrypts_with_the_aes_decrypt_operation()
    {
        using var zero = Cipher("00000000000000000000000000000000");
        var built = FrameBuilder.BuildJoinAccept(new JoinAcceptFields(0, new NetId(0), new DevAddr(0)), zero, encrypt: false);
        Assert.Equal("20000000000000000000000000f86f0a91", Of(built));
        var wire = new byte[built.Length];
        LoRaWanCrypto.EncryptJoinAccept(zero, built, wire);
        Assert.Equal("20e3de108795f776b8037610ef7869b5b3", Of(wire));
        var back = new byte[wire.Length];
        LoRaWanCrypto.DecryptJoinAccept(zero, wire, back);
        Assert.Equal(Of(built), Of(back));
    }

    [Fact]
    public void V5_chirpstack_join_request()
    {
        using var appKey = Cipher("0102030405060708090a0b0c0d0e0f10");
        var built = FrameBuilder.BuildJoinRequest(Eui64.Parse("0101010101010101"), Eui64.Parse("0202020202020202"), 0x0303, appKey);
        Assert.Equal("00" + "0101010101010101" + "0202020202020202" + "0303" + "09b97b32", Of(built));
    }

    [Fact]
    public void V6_chirpstack_join_accept()
    {
        using var appKey = Cipher("0102030405060708090a0b0c0d0e0f10");
        var wire = FrameBuilder.BuildJoinAccept(new JoinAcceptFields(65793, NetId.Parse("020202"), DevAddr.Parse("01020304")), appKey);
        Assert.Equal("2023cf335489aae3183c0be0baa8dee5f3", Of(wire));
        var plain = new byte[wire.Length];
        LoRaWanCrypto.DecryptJoinAccept(appKey, wire, plain);
        Assert.Equal("3449f212", JoinAcceptFrame.Parse(plain).Mic.ToString());
    }

    [Fact]
    public void V7_chirpstack_confirmed_uplink_with_fopts()
    {
        using var nwk = Cipher("0102030405060708090a0b0c0d0e0f10");
        using var app = Cipher("100f0e0d0c0b0a090807060504030201");
        var fOpts = MacCommandCodec.Write([new DevStatusAns(115, 7)]);
        var fields = new DataFrameFields(MType.ConfirmedDataUp, DevAddr.Parse("01020304"), 0) { FOpts = fOpts, FPort = 10, Payload = new byte[] { 1, 2, 3, 4 } };
        var built = FrameBuilder.BuildDataFrame(fields, nwk, app);
        Assert.Equal("80040302010300000673070ae264d4f7e117d2c0", Of(built));
        var parsed = PhyFrame.Parse(built).AsDataFrame();
        Assert.Equal(new DevStatusAns(115, 7), Assert.Single(MacCommandCodec.Parse(parsed.FOpts, Direction.Uplink)));
    }

    [Fact]
    public void V8_chirpstack_session_key_derivation_1_0()
    {
        using var key = Cipher("01020304050607080102030405060708");
        var keys = LoRaWanCrypto.DeriveSessionKeys10(key, 65536, NetId.Parse("010203"), 258);
        Assert.Equal("df53c35f3034ccced0ff354c70de04df", keys.NwkSKey.ToString());
        Assert.Equal("927b9c911183cffe4cb2ff4b75545f6d", keys.AppSKey.ToString());
    }
}
