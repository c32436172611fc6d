using DePin.Wireless.Core.Identity;
using DePin.Wireless.HotspotHost.Configuration;

namespace DePin.Wireless.HotspotHost.Tests;

public sealed class ConfigurationTests : IDisposable
{
    private const string OracleAddress = "14MRZY2jc2ABDq1faCCMmXrkm2PXY9UBRTP1j9PWnFTKnCb7Hyn";
    private readonly string _dir = Directory.CreateTempSubdirectory("hotspot-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_dir, "hotspot.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static readonly IReadOnlyDictionary<string, string?> NoEnvironment = new Dictionary<string, string?>();

    [Fact]
    public void Defaults_with_only_the_oracle_key_are_valid()
    {
        var options = HotspotConfigLoader.Load(Write($$$"""{"OraclePublicKey":"{{{OracleAddress}}}"}"""), NoEnvironment);
        Assert.Equal(RadioKind.Gwmp, options.Radio.Type);
        Assert.Equal("127.0.0.1", options.Radio.ListenAddress);
        Assert.Equal(1680, options.Radio.Port);
        Assert.Equal(4468, options.StatusPort);
        Assert.Equal("EU868", options.Region);
        Assert.Equal("/var/lib/depin-hotspot/hotspot.key", options.KeyFilePath);
        Assert.Equal(TimeSpan.FromHours(6), options.Beaconing.Interval);
        Assert.Equal(10_000, options.Forwarding.QueueCapacity);
    }

    [Fact]
    public void Environment_variables_override_the_file()
    {
        var env = new Dictionary<string, string?>
        {
            ["DEPIN_HOTSPOT__Region"] = "US915",
            ["DEPIN_HOTSPOT__Radio__Port"] = "1700",
            ["DEPIN_HOTSPOT__Forwarding__MaxAge"] = "00:00:30",
            ["OTHER"] = "ignored",
        };
        var options = HotspotConfigLoader.Load(Write($$$"""{"OraclePublicKey":"{{{OracleAddress}}}","Region":"EU868","AntennaGainDbi":4.5}"""), env);
        Assert.Equal("US915", options.Region);
        Assert.Equal(1700, options.Radio.Port);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Forwarding.MaxAge);
        Assert.Equal(4.5, options.AntennaGainDbi);
    }

    [Fact]
    public void Every_bad_option_is_named_in_one_message()
    {
        var e = Assert.Throws<HotspotConfigException>(() => HotspotConfigLoader.Load(Write("""
            {"Region":"MARS433","NetworkServerUrl":"ftp://x","StatusAddress":"0.0.0.0","StatusPort":70000,
             "AntennaGainDbi":40,"Forwarding":{"QueueCapacity":0},"Beaconing":{"Interval":"05:00:00"},
             "Radio":{"Type":"Sx1262","SpiDevice":"/dev/spidev0.0"}}
            """), NoEnvironment));
        foreach (var option in new[] { "Region: unknown region 'MARS433'", "NetworkServerUrl:", "OraclePublicKey: required", "StatusAddress:", "StatusPort:", "AntennaGainDbi:", "Forwarding.QueueCapacity:", "Beaconing.Interval:", "Radio.ResetPin:", "Radio.BusyPin:", "Radio.IrqPin:" })
        {
            Assert.Contains(option, e.Message);
        }
    }

    [Fact]
    public void Unknown_options_typos_and_unparseable_values_are_refused()
    {
        var typo = Assert.Throws<HotspotConfigException>(() => HotspotConfigLoader.Load(Write($$$"""{"OraclePublicKey":"{{{OracleAddress}}}","Regoin":"EU868"}"""), NoEnvironment));
        Assert.Contains("Regoin", typo.Message);
        var badEnum = Assert.Throws<HotspotConfigException>(() => HotspotConfigLoader.Load(Write($$$"""{"OraclePublicKey":"{{{OracleAddress}}}","Radio":{"Type":"carrier-pigeon"}}"""), NoEnvironment));
        Assert.Contains("Radio:Type", badEnum.Message);
        var badKey = Assert.Throws<HotspotConfigException>(() => HotspotConfigLoader.Load(Write("""{"OraclePublicKey":"not-an-address"}"""), NoEnvironment));
        Assert.Contains("OraclePublicKey:", badKey.Message);
        var missing = Assert.Throws<HotspotConfigException>(() => HotspotConfigLoader.Load(Path.Combine(_dir, "nope.json"), NoEnvironment));
        Assert.Contains("does not exist", missing.Message);
        var notJson = Assert.Throws<HotspotConfigException>(() => HotspotConfigLoader.Load(Write("{ region: "), NoEnvironment));
        Assert.Contains("hotspot.json", notJson.Message);
    }

    [Theory]
    [InlineData("rak2287", RadioKind.Gwmp, 17, null, null)]
    [InlineData("sensecap-m1", RadioKind.Gwmp, 17, null, null)]
    [InlineData("generic-sx1262", RadioKind.Sx1262, 18, 20, 16)]
    [InlineData("rfm95-bonnet", RadioKind.Sx1276, 25, null, 22)]
    public void Board_profiles_fill_radio_type_and_pins(string board, RadioKind type, int reset, int? busy, int? irq)
    {
        var options = HotspotConfigLoader.Load(Write($$$"""{"OraclePublicKey":"{{{OracleAddress}}}","Radio":{"Board":"{{{board}}}"}}"""), NoEnvironment);
        Assert.Equal(type, options.Radio.Type);
        Assert.Equal(reset, options.Radio.ResetPin);
        Assert.Equal(busy, options.Radio.BusyPin);
        Assert.Equal(irq, options.Radio.IrqPin);
    }

    [Fact]
    public void Explicit_wiring_wins_over_the_board_and_unknown_boards_are_listed()
    {
        var options = HotspotConfigLoader.Load(Write($$$"""{"OraclePublicKey":"{{{OracleAddress}}}","Radio":{"Board":"generic-sx1262","ResetPin":5}}"""), NoEnvironment);
        Assert.Equal(5, options.Radio.ResetPin);
        Assert.Equal(20, options.Radio.BusyPin);
        var e = Assert.Throws<HotspotConfigException>(() => HotspotConfigLoader.Load(Write($$$"""{"OraclePublicKey":"{{{OracleAddress}}}","Radio":{"Board":"pi-zero-magic"}}"""), NoEnvironment));
        Assert.Contains("Radio.Board: unknown board 'pi-zero-magic'", e.Message);
        Assert.Contains("rak2287", e.Message);
    }

    [Fact]
    public void Beaconing_off_needs_no_oracle_key()
    {
        var options = HotspotConfigLoader.Load(Write("""{"Beaconing":{"Enabled":false}}"""), NoEnvironment);
        Assert.False(options.Beaconing.Enabled);
        Assert.True(PublicKey.TryParseAddress(OracleAddress, out _, out _));
    }
}
