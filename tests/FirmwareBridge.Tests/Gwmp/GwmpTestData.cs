using System.Text;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.FirmwareBridge.Gwmp;

namespace DePin.Wireless.FirmwareBridge.Tests.Gwmp;

internal static class GwmpTestData
{
    public static readonly Eui64 Gateway = Eui64.Parse("aa555a0000000101");

    /// <summary>A v1.6-style rxpk with every field set.</summary>
    public static RxPacket FullRxPacket() => new()
    {
        Time = new DateTimeOffset(2013, 3, 31, 16, 21, 17, TimeSpan.Zero).AddTicks(5_280_020),
        GpsTimeMs = 1_049_300_495_528,
        Tmst = 3_512_348_611,
        FineTimeNs = 528_002_000,
        Frequency = new Hz(866_349_812),
        Channel = 2,
        RfChain = 0,
        ModemId = 8,
        Board = 1,
        CrcStatus = 1,
        Modulation = GwmpModulation.Lora,
        LoraDataRate = new DataRate(7, 125),
        CodingRate = GwmpCodingRate.Cr4_6,
        Rssi = -35,
        RssiChannel = -35,
        RssiSignal = -36.5,
        Snr = 5.1,
        FrequencyOffsetHz = -1234,
        AesKey = 0,
        Size = 32,
        Data = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7))],
    };

    public static GatewayStatus FullStatus() => new()
    {
        Time = new DateTimeOffset(2014, 1, 12, 8, 59, 28, TimeSpan.Zero),
        Latitude = 46.24000,
        Longitude = 3.25230,
        Altitude = 145,
        RxReceived = 2,
        RxOk = 2,
        RxForwarded = 2,
        AckRatioPercent = 100.0,
        DownlinkReceived = 2,
        TxEmitted = 2,
        TemperatureC = 23.5,
    };

    public static byte[] PushData(string json, byte version = 2, ushort token = 0x1234, Eui64? gateway = null)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var d = new byte[12 + body.Length];
        GwmpEncoder.WriteHeader(d, version, new GwmpToken(token), GwmpPacketType.PushData);
        (gateway ?? Gateway).WriteBigEndian(d.AsSpan(4, 8));
        body.CopyTo(d, 12);
        return d;
    }

    public static string Rx(string fields) => "{\"rxpk\":[{" + fields + "}]}";

    public const string MinimalRxFields = "\"tmst\":1000,\"freq\":868.1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\",\"size\":3,\"data\":\"AQID\"";
}
