using DePin.Wireless.Devnet.Medium;

namespace DePin.Wireless.Devnet.Tests.Medium;

public sealed class SimTimeTests
{
    /// <summary>FNV-1a 64 of the bytes 61 00 (computed independently; FNV-1a 64 of the single byte 61 is the published af63dc4c8601ec8c).</summary>
    private const ulong KeyOfA = 0x089BE207B544F1E4UL;

    [Fact]
    public void Converts_units_and_formats_with_nanosecond_precision()
    {
        var t = SimTime.FromSeconds(12) + TimeSpan.FromTicks(3_456_789);

        Assert.Equal(12_345_678_900, t.Nanoseconds);
        Assert.Equal(12_345_678, t.Microseconds);
        Assert.Equal("12.345678900 s", t.ToString());
        Assert.Equal("-0.000001500 s", new SimTime(-1_500).ToString());
        Assert.Equal(-2, new SimTime(-1_500).Microseconds);
        Assert.Equal(TimeSpan.FromMilliseconds(250), SimTime.FromMilliseconds(1250) - SimTime.FromSeconds(1));
    }

    [Fact]
    public void Counter_wraps_at_32_bits()
    {
        var medium = MediumKit.NewMedium();
        var id = medium.Register(new RadioRegistration { Name = "h", Kind = RadioKind.Hotspot, Position = MediumKit.Origin, CounterOffsetMicroseconds = uint.MaxValue });
        Assert.Equal(0u, medium[id].CounterAt(new SimTime(1_000)));
        Assert.Equal(uint.MaxValue, medium[id].CounterAt(SimTime.Zero));
    }

    [Fact]
    public void Seed_derivation_is_stable_and_purpose_specific()
    {
        // Pinned values: the derivation must not change between runs, machines or .NET versions.
        Assert.Equal(SeedMixer.Key("hotspot-000001"), SeedMixer.Key("hotspot-000001"));
        Assert.NotEqual(SeedMixer.DeriveSeed(1, "hotspot", 0), SeedMixer.DeriveSeed(1, "device", 0));
        Assert.NotEqual(SeedMixer.DeriveSeed(1, "hotspot", 0), SeedMixer.DeriveSeed(1, "hotspot", 1));
        // FNV-1a 64 offset basis for the empty text; "a" is hashed as its UTF-16 bytes 0x61 0x00.
        Assert.Equal(14695981039346656037UL, SeedMixer.Key(string.Empty));
        Assert.Equal(KeyOfA, SeedMixer.Key("a"));

        // SplitMix64 seeded with 0: first output 0xE220A8397B1DCDAF (Steele et al. 2014 reference generator).
        Assert.Equal(0xE220A8397B1DCDAFUL, SeedMixer.Mix(0));
    }
}
