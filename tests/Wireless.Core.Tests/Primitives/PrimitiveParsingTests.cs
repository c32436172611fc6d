using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Tests.Primitives;

public class PrimitiveParsingTests
{
    [Theory]
    [InlineData("0080000000010203", 0x0080000000010203UL)]
    [InlineData("00-80-00-00-00-01-02-03", 0x0080000000010203UL)]
    [InlineData("00:80:00:00:00:01:02:03", 0x0080000000010203UL)]
    [InlineData("AABBCCDDEEFF0011", 0xAABBCCDDEEFF0011UL)]
    public void Eui64_parses_text_forms(string text, ulong expected)
    {
        var eui = Eui64.Parse(text);
        Assert.Equal(expected, eui.Value);
        Assert.Equal(expected.ToString("x16"), eui.ToString());
    }

    [Theory]
    [InlineData("008000000001020", "expected 16 hex digits, got 15")]
    [InlineData("00800000000102030", "got more")]
    [InlineData("00800000000102g3", "'g' at position 14 is not a hex digit")]
    [InlineData("0-080000000010203", "separator")]
    [InlineData("", "expected 16 hex digits, got 0")]
    public void Eui64_rejects_malformed_text_naming_the_problem(string text, string problem)
    {
        var ex = Assert.Throws<PrimitiveFormatException>(() => Eui64.Parse(text));
        Assert.Equal("EUI-64", ex.Field);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Eui64_air_order_is_little_endian()
    {
        var eui = Eui64.Parse("0102030405060708");
        Span<byte> air = stackalloc byte[8];
        eui.WriteLittleEndian(air);
        Assert.Equal(new byte[] { 8, 7, 6, 5, 4, 3, 2, 1 }, air.ToArray());
        Assert.Equal(eui, Eui64.ReadLittleEndian(air));
    }

    [Fact]
    public void DevAddr_round_trips_and_rejects_bad_input()
    {
        var a = DevAddr.Parse("26011BDA");
        Assert.Equal(0x26011BDAu, a.Value);
        Assert.Equal("26011bda", a.ToString());
        Span<byte> air = stackalloc byte[4];
        a.WriteLittleEndian(air);
        Assert.Equal(new byte[] { 0xDA, 0x1B, 0x01, 0x26 }, air.ToArray());
        var ex = Assert.Throws<PrimitiveFormatException>(() => DevAddr.Parse("26011BD"));
        Assert.Equal("DevAddr", ex.Field);
        Assert.Contains("expected 8 hex digits, got 7", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DevAddr_in_Helium_NetId_blocks()
    {
        // Helium's original NetID 0x00003C (type 0) owns DevAddr prefix 0x78000000/7 (LoRa Alliance NetID list).
        var heliumType0 = NetId.Parse("00003C");
        Assert.Equal(0, heliumType0.Type);
        var addr = DevAddr.Create(heliumType0, 5);
        Assert.Equal(0x7800_0005u, addr.Value);
        Assert.Equal(0, addr.NetIdType);
        Assert.Equal(0x3Cu, addr.NwkId);

        // NetID 0xC00053 is type 6: prefix 1111110 (7 bits), 15-bit NwkID, 10-bit NwkAddr.
        var type6 = NetId.Parse("C00053");
        Assert.Equal(6, type6.Type);
        var a6 = DevAddr.Create(type6, 1);
        Assert.Equal(0xFC01_4C01u, a6.Value);
        Assert.Equal(6, a6.NetIdType);
        Assert.Equal(0x53u, a6.NwkId);
        Assert.Throws<ArgumentOutOfRangeException>(() => DevAddr.Create(type6, 1024));
    }

    [Theory]
    [InlineData("SF7BW125", 7, 125)]
    [InlineData("SF12BW125", 12, 125)]
    [InlineData("SF8BW500", 8, 500)]
    [InlineData("sf9bw250", 9, 250)]
    public void DataRate_parses_GWMP_datr(string text, int sf, int bw)
    {
        var dr = DataRate.Parse(text);
        Assert.Equal(sf, dr.SpreadingFactor);
        Assert.Equal(bw, dr.BandwidthKhz);
        Assert.Equal($"SF{sf}BW{bw}", dr.ToString());
    }

    [Theory]
    [InlineData("SF13BW125", "spreading factor '13' is not 5..12")]
    [InlineData("SF7BW126", "bandwidth '126' is not 125, 250 or 500 kHz")]
    [InlineData("SF7", "missing the BW")]
    [InlineData("50000", "expected the form")]
    public void DataRate_rejects_bad_text(string text, string problem)
    {
        var ex = Assert.Throws<PrimitiveFormatException>(() => DataRate.Parse(text));
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("868100000", 868_100_000L)]
    [InlineData("868.1 MHz", 868_100_000L)]
    [InlineData("125kHz", 125_000L)]
    [InlineData("902.3MHz", 902_300_000L)]
    public void Hz_parses_units(string text, long hz) => Assert.Equal(hz, Hz.Parse(text).Value);

    [Theory]
    [InlineData("abc")]
    [InlineData("-5 MHz")]
    [InlineData("868.1000005 MHz")]
    public void Hz_rejects_bad_values(string text) => Assert.Throws<PrimitiveFormatException>(() => Hz.Parse(text));

    [Fact]
    public void Dbm_arithmetic_and_parse()
    {
        var rssi = Dbm.Parse("-120.5 dBm");
        Assert.Equal(-120.5, rssi.Value);
        Assert.Equal(6.5, new Dbm(-114) - rssi, 9);
        Assert.Equal(1.0, new Dbm(0).Milliwatts, 12);
        Assert.Equal(20.0, Dbm.FromMilliwatts(100).Value, 9);
        Assert.Throws<PrimitiveFormatException>(() => Dbm.Parse("NaN"));
    }

    [Theory]
    [InlineData(0, 1UL)]
    [InlineData(1, 1UL)]
    [InlineData(24, 1UL)]
    [InlineData(25, 2UL)]
    [InlineData(48, 2UL)]
    [InlineData(49, 3UL)]
    [InlineData(222, 10UL)]
    public void Dc_cost_is_one_credit_per_started_24_bytes_minimum_one(int bytes, ulong dc) =>
        Assert.Equal(dc, Dc.ForPayload(bytes).Value);

    [Fact]
    public void Dc_never_goes_negative()
    {
        Assert.Throws<OverflowException>(() => new Dc(1) - new Dc(2));
        Assert.Equal(new Dc(3), Dc.Parse("3 DC"));
        Assert.Throws<PrimitiveFormatException>(() => Dc.Parse("-3"));
    }

    [Theory]
    [InlineData("1", "100000000")]
    [InlineData("12.5", "1250000000")]
    [InlineData("0.00000001", "1")]
    [InlineData("1250000000 units", "1250000000")]
    public void TokenAmount_parses_tokens_and_units(string text, string units)
    {
        var amount = TokenAmount.Parse(text);
        Assert.Equal(System.Numerics.BigInteger.Parse(units, System.Globalization.CultureInfo.InvariantCulture), amount.BaseUnits);
        Assert.Equal(amount, TokenAmount.Parse(amount.ToString()));
    }

    [Theory]
    [InlineData("0.000000001", "at most 8 digits")]
    [InlineData("-1", "non-negative")]
    [InlineData("1.", "at most 8 digits")]
    public void TokenAmount_rejects_bad_text(string text, string problem)
    {
        var ex = Assert.Throws<PrimitiveFormatException>(() => TokenAmount.Parse(text));
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenAmount_converts_to_data_credits_exactly()
    {
        // 1 token at $2.50 buys $2.50 / $0.00001 = 250,000 DC.
        Assert.Equal(250_000UL, TokenAmount.Parse("1").ToDataCredits(2.50m).Value);
        // floor: 0.00000001 token at $2.50 = $0.000000025 → 0.0025 DC → 0.
        Assert.Equal(0UL, TokenAmount.Parse("0.00000001").ToDataCredits(2.50m).Value);
        // 3.33333333 tokens at $0.3 = $0.999999999 → 99,999.9999 DC → 99,999.
        Assert.Equal(99_999UL, TokenAmount.Parse("3.33333333").ToDataCredits(0.3m).Value);
    }
}
