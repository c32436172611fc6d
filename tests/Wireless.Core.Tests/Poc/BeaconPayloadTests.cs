using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Poc;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Tests.Poc;

public class BeaconPayloadTests
{
    private static readonly byte[] Remote = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] Local = Convert.FromHexString("deadbeef");

    // EU868's eight default uplink channels (867.1–868.5 MHz) in plan order.
    private static readonly BeaconRadioParameters Eu868 = new(
        [Hz.FromMegahertz(868.1), Hz.FromMegahertz(868.3), Hz.FromMegahertz(868.5), Hz.FromMegahertz(867.1),
         Hz.FromMegahertz(867.3), Hz.FromMegahertz(867.5), Hz.FromMegahertz(867.7), Hz.FromMegahertz(867.9)],
        MaxPayloadSize: 51);

    [Fact]
    public void Derivation_matches_the_documented_formula()
    {
        // Computed independently (Python hashlib) from the derivation in the class summary and the README.
        var beacon = BeaconPayload.Generate(Remote, 1_700_000_000, Local, Eu868);
        Assert.Equal(5, beacon.ChannelIndex);
        Assert.Equal(Hz.FromMegahertz(867.5), beacon.Frequency);
        Assert.Equal(
            "fd5b4032145bed5d93332ae4ce30155464196919179ddc9f37e8c5f0055905a3b111a9b2ab96235fddefd3b5fac065f599b962",
            Convert.ToHexStringLower(beacon.Data));

        var small = BeaconPayload.Generate(Remote, 1_700_000_000, Local, new BeaconRadioParameters(Eu868.Channels.Take(3).ToArray(), 20));
        Assert.Equal(1, small.ChannelIndex);
        Assert.Equal("fd5b4032145bed5d93332ae4ce30155464196919", Convert.ToHexStringLower(small.Data));
    }

    [Fact]
    public void Same_inputs_give_the_same_beacon()
    {
        var a = BeaconPayload.Generate(Remote, 42, Local, Eu868);
        var b = BeaconPayload.Generate((byte[])Remote.Clone(), 42, (byte[])Local.Clone(), Eu868 with { Channels = Eu868.Channels.ToArray() });
        Assert.Equal(a.Data, b.Data);
        Assert.Equal(a.ChannelIndex, b.ChannelIndex);
        Assert.True(a.Matches(b.Data, b.Frequency));
    }

    [Fact]
    public void Any_entropy_change_gives_a_different_payload()
    {
        var baseline = BeaconPayload.Generate(Remote, 42, Local, Eu868);

        var remote = (byte[])Remote.Clone();
        remote[31] ^= 1;
        Assert.NotEqual(baseline.Data, BeaconPayload.Generate(remote, 42, Local, Eu868).Data);

        var local = (byte[])Local.Clone();
        local[0] ^= 1;
        Assert.NotEqual(baseline.Data, BeaconPayload.Generate(Remote, 42, local, Eu868).Data);

        Assert.NotEqual(baseline.Data, BeaconPayload.Generate(Remote, 43, Local, Eu868).Data);
        Assert.False(baseline.Matches(BeaconPayload.Generate(Remote, 43, Local, Eu868).Data, baseline.Frequency));
    }

    [Theory]
    [InlineData(16, 16)]
    [InlineData(50, 50)]
    [InlineData(51, 51)]
    [InlineData(222, 51)]
    public void Payload_size_is_the_smaller_of_51_and_the_region_maximum(int max, int expected)
    {
        var beacon = BeaconPayload.Generate(Remote, 1, Local, Eu868 with { MaxPayloadSize = max });
        Assert.Equal(expected, beacon.Data.Length);
    }

    [Fact]
    public void Channels_are_all_used_and_roughly_evenly()
    {
        var random = new SeededRandomSource([3]);
        var counts = new int[Eu868.Channels.Count];
        for (var i = 0; i < 8000; i++)
        {
            var beacon = BeaconPayload.Generate(Remote, 7, BeaconPayload.NewLocalEntropy(random), Eu868);
            Assert.InRange(beacon.ChannelIndex, 0, Eu868.Channels.Count - 1);
            Assert.Equal(Eu868.Channels[beacon.ChannelIndex], beacon.Frequency);
            counts[beacon.ChannelIndex]++;
        }

        // Expected 1000 each; ±150 is about 5 standard deviations.
        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
    }

    [Fact]
    public void Single_channel_plans_always_pick_it()
    {
        var beacon = BeaconPayload.Generate(Remote, 1, Local, new BeaconRadioParameters([Hz.FromMegahertz(923.2)], 51));
        Assert.Equal(0, beacon.ChannelIndex);
        Assert.Equal(Hz.FromMegahertz(923.2), beacon.Frequency);
    }

    [Fact]
    public void Bad_inputs_are_refused_naming_the_field()
    {
        Assert.Contains("remoteEntropy: must be 32 bytes (Entropy.data), got 31",
            Assert.Throws<ArgumentException>(() => BeaconPayload.Generate(Remote.AsSpan(1), 1, Local, Eu868)).Message, StringComparison.Ordinal);
        Assert.Contains("localEntropy: must be 4 bytes, got 5",
            Assert.Throws<ArgumentException>(() => BeaconPayload.Generate(Remote, 1, new byte[5], Eu868)).Message, StringComparison.Ordinal);
        Assert.Contains("radio.Channels: the region plan has no channels",
            Assert.Throws<ArgumentException>(() => BeaconPayload.Generate(Remote, 1, Local, Eu868 with { Channels = [] })).Message, StringComparison.Ordinal);
        Assert.Contains("radio.Channels[1]: frequency must be positive",
            Assert.Throws<ArgumentException>(() => BeaconPayload.Generate(Remote, 1, Local, Eu868 with { Channels = [Hz.FromMegahertz(868.1), new Hz(0)] })).Message, StringComparison.Ordinal);
        Assert.Contains("radio.MaxPayloadSize: 11 bytes is below the 16-byte minimum",
            Assert.Throws<ArgumentException>(() => BeaconPayload.Generate(Remote, 1, Local, Eu868 with { MaxPayloadSize = 11 })).Message, StringComparison.Ordinal);
    }
}
