using System.Text;
using DePin.Wireless.FirmwareBridge.Gwmp;
using static DePin.Wireless.FirmwareBridge.Tests.Gwmp.GwmpTestData;

namespace DePin.Wireless.FirmwareBridge.Tests.Gwmp;

public class GwmpMalformedTests
{
    [Theory]
    [InlineData(new byte[] { }, GwmpErrorKind.TooShort, "shorter than the 4-byte GWMP header")]
    [InlineData(new byte[] { 2, 1, 2 }, GwmpErrorKind.TooShort, "3 bytes")]
    [InlineData(new byte[] { 2, 1, 2, 0, 0xaa, 0x55 }, GwmpErrorKind.TooShort, "PUSH_DATA of 6 bytes")]
    [InlineData(new byte[] { 2, 1, 2, 2, 1, 2, 3, 4, 5, 6, 7 }, GwmpErrorKind.TooShort, "PULL_DATA of 11 bytes")]
    [InlineData(new byte[] { 2, 1, 2, 5, 1, 2, 3 }, GwmpErrorKind.TooShort, "TX_ACK")]
    [InlineData(new byte[] { 3, 1, 2, 2, 1, 2, 3, 4, 5, 6, 7, 8 }, GwmpErrorKind.UnknownVersion, "protocol version 3")]
    [InlineData(new byte[] { 0, 1, 2, 2, 1, 2, 3, 4, 5, 6, 7, 8 }, GwmpErrorKind.UnknownVersion, "protocol version 0")]
    [InlineData(new byte[] { 2, 1, 2, 6, 1, 2, 3, 4, 5, 6, 7, 8 }, GwmpErrorKind.UnknownType, "packet type 0x06")]
    [InlineData(new byte[] { 2, 1, 2, 0xff }, GwmpErrorKind.UnknownType, "0xff")]
    [InlineData(new byte[] { 2, 1, 2, 0, 1, 2, 3, 4, 5, 6, 7, 8 }, GwmpErrorKind.BadJson, "PUSH_DATA carries no JSON")]
    [InlineData(new byte[] { 2, 1, 2, 3 }, GwmpErrorKind.BadJson, "PULL_RESP carries no JSON")]
    public void Header_errors_name_the_problem(byte[] datagram, GwmpErrorKind kind, string reasonPart)
    {
        Assert.False(GwmpFrame.TryParse(datagram, out _, out var error));
        Assert.Equal(kind, error.Kind);
        Assert.Contains(reasonPart, error.Reason);
    }

    [Theory]
    [InlineData("{\"rxpk\":[{\"tmst\":1", GwmpErrorKind.BadJson, "invalid JSON")]
    [InlineData("not json", GwmpErrorKind.BadJson, "invalid JSON")]
    [InlineData("[1,2]", GwmpErrorKind.BadJson, "not an object")]
    [InlineData("{} {}", GwmpErrorKind.BadJson, "invalid JSON")]
    [InlineData("{\"rxpk\":{}}", GwmpErrorKind.WrongFieldType, "rxpk: expected an array, got an object")]
    [InlineData("{\"rxpk\":[5]}", GwmpErrorKind.WrongFieldType, "rxpk[0]: expected an object, got a number")]
    [InlineData("{\"stat\":[]}", GwmpErrorKind.WrongFieldType, "stat: expected an object, got an array")]
    [InlineData("{\"stat\":{\"rxnb\":\"2\"}}", GwmpErrorKind.WrongFieldType, "stat.rxnb: expected a number, got a string")]
    [InlineData("{\"stat\":{\"lati\":91.5}}", GwmpErrorKind.InvalidValue, "stat.lati: latitude 91.5 is outside -90..90")]
    [InlineData("{\"stat\":{\"time\":\"yesterday\"}}", GwmpErrorKind.InvalidValue, "stat.time: 'yesterday'")]
    public void Push_data_body_errors(string json, GwmpErrorKind kind, string reasonPart) => AssertPushDataError(json, kind, reasonPart);

    [Theory]
    [InlineData("\"tmst\":\"1000\"", GwmpErrorKind.WrongFieldType, "rxpk[0].tmst: expected a number, got a string")]
    [InlineData("\"tmst\":-1", GwmpErrorKind.InvalidValue, "rxpk[0].tmst: must be a whole number 0..4294967295")]
    [InlineData("\"tmst\":4294967296", GwmpErrorKind.InvalidValue, "rxpk[0].tmst")]
    [InlineData("\"freq\":\"868.1\"", GwmpErrorKind.WrongFieldType, "rxpk[0].freq: expected a number, got a string")]
    [InlineData("\"freq\":-868.1", GwmpErrorKind.InvalidValue, "rxpk[0].freq: must be a positive frequency")]
    [InlineData("\"modu\":\"OOK\"", GwmpErrorKind.InvalidValue, "rxpk[0].modu: 'OOK' is not LORA or FSK")]
    [InlineData("\"modu\":1", GwmpErrorKind.WrongFieldType, "rxpk[0].modu: expected a string, got a number")]
    [InlineData("\"datr\":\"SF13BW125\"", GwmpErrorKind.InvalidValue, "rxpk[0].datr: spreading factor '13' is not 5..12")]
    [InlineData("\"datr\":true", GwmpErrorKind.WrongFieldType, "rxpk[0].datr: expected a string")]
    [InlineData("\"datr\":50000", GwmpErrorKind.WrongFieldType, "a LORA packet needs a string data rate")]
    [InlineData("\"codr\":\"4/9\"", GwmpErrorKind.InvalidValue, "rxpk[0].codr: '4/9' is not a coding rate")]
    [InlineData("\"rssi\":\"-35\"", GwmpErrorKind.WrongFieldType, "rxpk[0].rssi: expected a number, got a string")]
    [InlineData("\"stat\":2", GwmpErrorKind.InvalidValue, "rxpk[0].stat: CRC status 2")]
    [InlineData("\"time\":\"31/03/2013\"", GwmpErrorKind.InvalidValue, "rxpk[0].time: '31/03/2013' is not an ISO 8601 time")]
    [InlineData("\"data\":\"***\"", GwmpErrorKind.InvalidValue, "rxpk[0].data: is not valid base64")]
    [InlineData("\"data\":[1,2,3]", GwmpErrorKind.WrongFieldType, "rxpk[0].data: expected a string, got an array")]
    [InlineData("\"size\":4", GwmpErrorKind.SizeMismatch, "rxpk[0].size: says 4 bytes but data decodes to 3 bytes")]
    [InlineData("\"size\":70000", GwmpErrorKind.InvalidValue, "rxpk[0].size: must be a whole number 0..65535")]
    [InlineData("\"tmst\":null", GwmpErrorKind.WrongFieldType, "rxpk[0].tmst: expected a number, got null")]
    public void Rxpk_field_errors_name_the_field(string overridingField, GwmpErrorKind kind, string reasonPart)
    {
        // JSON keeps the last duplicate member, and so does our reader: the override replaces the valid value.
        AssertPushDataError(Rx(MinimalRxFields + "," + overridingField), kind, reasonPart);
    }

    [Theory]
    [InlineData("tmst")]
    [InlineData("freq")]
    [InlineData("modu")]
    [InlineData("datr")]
    [InlineData("size")]
    [InlineData("data")]
    public void Missing_required_rxpk_fields_are_named(string field)
    {
        var fields = string.Join(',', MinimalRxFields.Split(',').Where(f => !f.StartsWith($"\"{field}\"", StringComparison.Ordinal)));
        AssertPushDataError(Rx(fields), GwmpErrorKind.MissingField, $"rxpk[0]: required field '{field}' is missing");
    }

    [Fact]
    public void Error_in_a_later_rxpk_names_its_index()
    {
        AssertPushDataError("{\"rxpk\":[{" + MinimalRxFields + "},{" + MinimalRxFields.Replace("\"size\":3", "\"size\":2") + "}]}", GwmpErrorKind.SizeMismatch, "rxpk[1].size");
    }

    [Theory]
    [InlineData("{}", GwmpErrorKind.MissingField, "required object 'txpk' is missing")]
    [InlineData("{\"txpk\":{\"freq\":869.525,\"rfch\":0,\"modu\":\"LORA\",\"datr\":\"SF9BW125\",\"codr\":\"4/5\",\"size\":1,\"data\":\"AA==\"}}", GwmpErrorKind.MissingField, "'imme, tmst or tmms' is missing")]
    [InlineData("{\"txpk\":{\"imme\":true,\"rfch\":0,\"modu\":\"LORA\",\"datr\":\"SF9BW125\",\"codr\":\"4/5\",\"size\":1,\"data\":\"AA==\"}}", GwmpErrorKind.MissingField, "txpk: required field 'freq' is missing")]
    [InlineData("{\"txpk\":{\"imme\":true,\"freq\":869.525,\"rfch\":0,\"modu\":\"LORA\",\"datr\":\"SF9BW125\",\"size\":1,\"data\":\"AA==\"}}", GwmpErrorKind.MissingField, "'codr' is missing")]
    [InlineData("{\"txpk\":{\"imme\":\"yes\",\"freq\":869.525,\"rfch\":0,\"modu\":\"LORA\",\"datr\":\"SF9BW125\",\"codr\":\"4/5\",\"size\":1,\"data\":\"AA==\"}}", GwmpErrorKind.WrongFieldType, "txpk.imme: expected a boolean, got a string")]
    [InlineData("{\"txpk\":{\"imme\":true,\"freq\":869.525,\"rfch\":0,\"modu\":\"LORA\",\"datr\":\"SF9BW125\",\"codr\":\"4/5\",\"size\":2,\"data\":\"AA==\"}}", GwmpErrorKind.SizeMismatch, "txpk.size: says 2 bytes but data decodes to 1 bytes")]
    public void PullResp_errors(string json, GwmpErrorKind kind, string reasonPart)
    {
        Assert.False(GwmpJsonDecoder.TryDecodePullResp(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Equal(kind, error.Kind);
        Assert.Contains(reasonPart, error.Reason);
        var thrown = Assert.Throws<GwmpFormatException>(() => GwmpJsonDecoder.DecodePullResp(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(error, thrown.Error);
    }

    [Theory]
    [InlineData("{\"txpk_ack\":{\"error\":\"TOO_SLOW\"}}", GwmpErrorKind.InvalidValue, "txpk_ack.error: 'TOO_SLOW' is not a TX_ACK error")]
    [InlineData("{\"txpk_ack\":{\"error\":3}}", GwmpErrorKind.WrongFieldType, "txpk_ack.error: expected a string, got a number")]
    [InlineData("{\"txpk_ack\":{\"warn\":\"HOT\"}}", GwmpErrorKind.InvalidValue, "txpk_ack.warn: 'HOT'")]
    [InlineData("{\"other\":1}", GwmpErrorKind.MissingField, "'txpk_ack' is missing")]
    [InlineData("{\"txpk_ack\":", GwmpErrorKind.BadJson, "invalid JSON")]
    public void TxAck_errors(string json, GwmpErrorKind kind, string reasonPart)
    {
        Assert.False(GwmpJsonDecoder.TryDecodeTxAck(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Equal(kind, error.Kind);
        Assert.Contains(reasonPart, error.Reason);
    }

    private static void AssertPushDataError(string json, GwmpErrorKind kind, string reasonPart)
    {
        Assert.True(GwmpFrame.TryParse(PushData(json), out var frame, out _));
        Assert.False(GwmpJsonDecoder.TryDecodePushData(frame.Json, new PushDataContent(), out var error));
        Assert.Equal(kind, error.Kind);
        Assert.Contains(reasonPart, error.Reason);
    }
}
