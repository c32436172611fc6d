using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.LoRaWan;
using static DePin.Wireless.NetworkServer.Tests.LoRaWan.TestHex;

namespace DePin.Wireless.NetworkServer.Tests.LoRaWan;

/// <summary>Byte-for-byte agreement with lora-packet on a few hundred generated frames: parse, MIC, decrypt and build.</summary>
public class LoraPacketFixtureTests
{
    public static TheoryData<int> DataCases => LoraPacketFixtures.Indexes(f => f.Data.Count);

    public static TheoryData<int> JoinRequestCases => LoraPacketFixtures.Indexes(f => f.JoinRequests.Count);

    public static TheoryData<int> JoinAcceptCases => LoraPacketFixtures.Indexes(f => f.JoinAccepts.Count);

    public static TheoryData<int> FOpts11Cases => LoraPacketFixtures.Indexes(f => f.FOpts11.Count);

    [Fact]
    public void Fixtures_cover_the_interesting_cases()
    {
        var data = LoraPacketFixtures.Instance.Data;
        Assert.True(data.Count >= 200);
        Assert.Contains(data, c => c.FCnt32 > 65535);
        Assert.Contains(data, c => c.FPort == 0);
        Assert.Contains(data, c => c.FPort is null);
        Assert.Contains(data, c => c.FOpts.Length > 0);
        Assert.Equal(4, data.Select(c => c.Mtype).Distinct().Count());
        Assert.Contains(LoraPacketFixtures.Instance.FOpts11, c => c.AFCntDown);
        Assert.Contains(LoraPacketFixtures.Instance.JoinAccepts, c => c.CfList.Length > 0);
    }

    [Theory]
    [MemberData(nameof(DataCases))]
    public void Data_frame_parses_verifies_decrypts_and_rebuilds(int index)
    {
        var c = LoraPacketFixtures.Instance.Data[index];
        var phy = Bytes(c.Phy);
        var frame = PhyFrame.Parse(phy).AsDataFrame();
        Assert.Equal(c.Mtype, frame.MType.ToString());
        Assert.Equal(c.DevAddr, frame.DevAddr.ToString());
        Assert.Equal((ushort)c.FCnt32, frame.FCnt16);
        Assert.Equal(c.FPort, frame.FPort);
        Assert.Equal(c.FOpts, Of(frame.FOpts));
        Assert.Equal(c.Adr, frame.FCtrl.Adr);
        Assert.Equal(c.Ack, frame.FCtrl.Ack);
        Assert.Equal(c.AdrAckReq, frame.FCtrl.AdrAckReq);
        Assert.Equal(c.FPendingOrClassB, frame.FCtrl.FPending);
        Assert.Equal(c.Mic, frame.Mic.ToString());

        using var nwk = Cipher(c.NwkSKey);
        using var app = Cipher(c.AppSKey);
        Assert.Equal(c.Mic, LoRaWanCrypto.ComputeDataMic(nwk, frame.Signed, frame.Direction, frame.DevAddr, c.FCnt32).ToString());

        var plain = new byte[frame.FrmPayload.Length];
        LoRaWanCrypto.CryptFrmPayload(c.FPort == 0 ? nwk : app, frame.Direction, frame.DevAddr, c.FCnt32, frame.FrmPayload, plain);
        Assert.Equal(c.Plaintext, Of(plain));

        var fields = new DataFrameFields(frame.MType, frame.DevAddr, c.FCnt32)
        {
            Adr = c.Adr,
            AdrAckReq = c.AdrAckReq,
            Ack = c.Ack,
            FPendingOrClassB = c.FPendingOrClassB,
            FOpts = Bytes(c.FOpts),
            FPort = c.FPort,
            Payload = Bytes(c.Plaintext),
        };
        Assert.Equal(c.Phy, Of(FrameBuilder.BuildDataFrame(fields, nwk, app)));

        // The MAC command streams the generator wrote are canonical: parsing then writing reproduces them.
        var macStream = c.FPort == 0 ? plain : Bytes(c.FOpts);
        var commands = MacCommandCodec.Parse(macStream, frame.Direction);
        Assert.Equal(Of(macStream), Of(MacCommandCodec.Write(commands)));
    }

    [Theory]
    [MemberData(nameof(DataCases))]
    public void Data_frame_mic_fails_with_the_wrong_counter_msb(int index)
    {
        var c = LoraPacketFixtures.Instance.Data[index];
        var frame = PhyFrame.Parse(Bytes(c.Phy)).AsDataFrame();
        using var nwk = Cipher(c.NwkSKey);
        Assert.NotEqual(c.Mic, LoRaWanCrypto.ComputeDataMic(nwk, frame.Signed, frame.Direction, frame.DevAddr, c.FCnt32 ^ 0x0001_0000).ToString());
    }

    [Theory]
    [MemberData(nameof(JoinRequestCases))]
    public void Join_request_parses_verifies_and_rebuilds(int index)
    {
        var c = LoraPacketFixtures.Instance.JoinRequests[index];
        var join = PhyFrame.Parse(Bytes(c.Phy)).AsJoinRequest();
        Assert.Equal(c.JoinEui, join.JoinEui.ToString());
        Assert.Equal(c.DevEui, join.DevEui.ToString());
        Assert.Equal(c.DevNonce, join.DevNonce);
        using var appKey = Cipher(c.AppKey);
        Assert.Equal(c.Mic, LoRaWanCrypto.ComputeJoinRequestMic(appKey, join.Signed).ToString());
        Assert.Equal(c.Phy, Of(FrameBuilder.BuildJoinRequest(join.JoinEui, join.DevEui, join.DevNonce, appKey)));
    }

    [Theory]
    [MemberData(nameof(JoinAcceptCases))]
    public void Join_accept_decrypts_verifies_rebuilds_and_derives_keys(int index)
    {
        var c = LoraPacketFixtures.Instance.JoinAccepts[index];
        using var appKey = Cipher(c.AppKey);
        using var nwkKey = Cipher(c.NwkKey);
        var wire = Bytes(c.Phy);
        Assert.Equal(MType.JoinAccept, PhyFrame.Parse(wire).MType);
        var plain = new byte[wire.Length];
        LoRaWanCrypto.DecryptJoinAccept(appKey, wire, plain);
        Assert.Equal(c.PlainPhy, Of(plain));

        var accept = JoinAcceptFrame.Parse(plain);
        Assert.Equal(c.JoinNonce, accept.JoinNonce);
        Assert.Equal(c.NetId, accept.NetId.ToString());
        Assert.Equal(c.DevAddr, accept.DevAddr.ToString());
        Assert.Equal(c.DlSettings, accept.DlSettings);
        Assert.Equal(c.RxDelay, accept.RxDelay);
        Assert.Equal(c.CfList, Of(accept.CfList));
        Assert.Equal(c.Mic, LoRaWanCrypto.ComputeJoinAcceptMic(appKey, accept.Signed).ToString());

        var fields = new JoinAcceptFields(c.JoinNonce, NetId.Parse(c.NetId), DevAddr.Parse(c.DevAddr)) { DlSettings = c.DlSettings, RxDelay = c.RxDelay, CfList = Bytes(c.CfList) };
        Assert.Equal(c.Phy, Of(FrameBuilder.BuildJoinAccept(fields, appKey)));

        var keys10 = LoRaWanCrypto.DeriveSessionKeys10(appKey, c.JoinNonce, NetId.Parse(c.NetId), c.DevNonce);
        Assert.Equal(c.NwkSKey, keys10.NwkSKey.ToString());
        Assert.Equal(c.AppSKey, keys10.AppSKey.ToString());

        var keys11 = LoRaWanCrypto.DeriveSessionKeys11(nwkKey, appKey, c.JoinNonce, Eui64.Parse(c.JoinEui), c.DevNonce);
        Assert.Equal(c.FNwkSIntKey, keys11.FNwkSIntKey.ToString());
        Assert.Equal(c.SNwkSIntKey, keys11.SNwkSIntKey.ToString());
        Assert.Equal(c.NwkSEncKey, keys11.NwkSEncKey.ToString());
        Assert.Equal(c.AppSKey11, keys11.AppSKey.ToString());
    }

    [Theory]
    [MemberData(nameof(FOpts11Cases))]
    public void FOpts_encryption_1_1_matches(int index)
    {
        var c = LoraPacketFixtures.Instance.FOpts11[index];
        using var key = Cipher(c.NwkSEncKey);
        var input = Bytes(c.FOpts);
        var output = new byte[input.Length];
        LoRaWanCrypto.CryptFOpts11(key, Enum.Parse<Direction>(c.Direction), DevAddr.Parse(c.DevAddr), c.FCnt32, c.AFCntDown, input, output);
        Assert.Equal(c.Encrypted, Of(output));
    }
}
