using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Devnet.Medium;
using static DePin.Wireless.Devnet.Tests.Medium.MediumKit;

namespace DePin.Wireless.Devnet.Tests.Medium;

public sealed class RadioMediumLinkTests
{
    [Theory]
    [InlineData(500.0)]
    [InlineData(2_000.0)]
    [InlineData(4_500.0)]
    public void Received_power_and_snr_follow_the_link_budget_at_a_known_distance(double distance)
    {
        var medium = NewMedium();
        var device = medium.Device("d", Origin, gain: 2.0, height: 1.5);
        var hotspot = medium.Hotspot("h", At(90, distance), gain: 3.0, height: 10);
        var tx = medium.Send(device, SimTime.Zero, txPowerDbm: 14, dataRate: Sf12);

        var reception = Assert.Single(medium.ResolveUntil(tx.End));

        var trueDistance = GreatCircle.DistanceMeters(Origin, medium[hotspot].Position);
        var expected = ExpectedRssi(14, 2.0, 3.0, trueDistance, 1.5, 10, Ch1);
        var noise = -174 + (10 * Math.Log10(125_000)) + 6;
        Assert.Equal(hotspot, reception.Receiver);
        Assert.Equal(expected, reception.Rssi.Value, 6);
        Assert.Equal(expected - noise, reception.SnrDb, 6);
        Assert.Equal(trueDistance, reception.DistanceMeters, 3);
    }

    [Fact]
    public void Short_links_are_never_better_than_free_space()
    {
        var medium = NewMedium();
        var a = medium.Hotspot("a", Origin, height: 30);
        var b = medium.Hotspot("b", At(0, 50), height: 30);
        var tx = medium.Send(a, SimTime.Zero, txPowerDbm: 14);

        var reception = Assert.Single(medium.ResolveUntil(tx.End));

        Assert.Equal(b, reception.Receiver);
        Assert.Equal(14 - FreeSpacePathLoss.Db(GreatCircle.DistanceMeters(Origin, medium[b].Position), Ch1) - 1.0, reception.Rssi.Value, 6);
    }

    [Fact]
    public void Shadowing_and_fading_never_lift_a_link_above_free_space_with_its_gains()
    {
        // Full random terms (σ 6 dB shadowing, 1.5 dB fading): many short, high links where the median loss is close
        // to free space, so a good shadowing draw would exceed it without the line-of-sight clip.
        var medium = NewMedium(new PropagationOptions(), seed: 3);
        var sender = medium.Hotspot("tx", Origin, gain: 6, height: 40);
        var receivers = Enumerable.Range(0, 60).Select(i => medium.Hotspot($"rx{i}", At(i * 6.0, 300 + (i * 25)), gain: 8, height: 40)).ToList();
        var tx = medium.Send(sender, SimTime.Zero, txPowerDbm: 10, dataRate: Sf12);

        var receptions = medium.ResolveUntil(tx.End);

        Assert.Equal(receivers.Count, receptions.Count);
        Assert.All(receptions, r =>
        {
            var ceiling = 10 + 6 + 8 - FreeSpacePathLoss.Db(r.DistanceMeters, Ch1) - new PropagationOptions().LineOfSightExcessLossDb;
            Assert.True(r.Rssi.Value <= ceiling + 1e-9, $"{r.Rssi.Value:0.00} dBm exceeds the line-of-sight ceiling {ceiling:0.00} dBm at {r.DistanceMeters:0} m");
        });
        Assert.Contains(receptions, r => r.Rssi.Value > 10 + 6 + 8 - FreeSpacePathLoss.Db(r.DistanceMeters, Ch1) - 1.0 - 1e-6);
    }

    [Fact]
    public void Indoor_radios_pay_building_penetration_loss_per_indoor_end()
    {
        var medium = NewMedium();
        var device = medium.Register(new RadioRegistration { Name = "in", Kind = RadioKind.Device, Position = Origin, Indoor = true, HeightMeters = 1.5 });
        medium.Register(new RadioRegistration { Name = "out", Kind = RadioKind.Hotspot, Position = At(0, 1000), HeightMeters = 10 });
        medium.Register(new RadioRegistration { Name = "in2", Kind = RadioKind.Hotspot, Position = At(180, 1000), HeightMeters = 10, Indoor = true });
        var tx = medium.Send(device, SimTime.Zero, dataRate: Sf12);

        var receptions = medium.ResolveUntil(tx.End);

        var outdoor = receptions.Single(r => medium[r.Receiver].Name == "out").Rssi.Value;
        var indoor = receptions.Single(r => medium[r.Receiver].Name == "in2").Rssi.Value;
        Assert.Equal(ExpectedRssi(14, 0, 0, GreatCircle.DistanceMeters(Origin, At(0, 1000)), 1.5, 10, Ch1) - 10.5, outdoor, 4);
        Assert.Equal(outdoor - 10.5, indoor, 3);
    }

    [Fact]
    public void A_receiver_beyond_range_hears_nothing_and_one_just_below_sensitivity_is_too_weak()
    {
        var medium = NewMedium();
        var device = medium.Device("d", Origin);
        var sensitivity = LinkBudget.Sensitivity(Sf7).Value;

        // Mean RSSI at distance d for 14 dBm, 0 dBi, heights 1.5/10: solve the formula for RSSI = sensitivity − 3 dB.
        var weakDistance = 1000 * Math.Pow(10, (14 - (sensitivity - 3) - 122.74) / 38.35);
        var weak = medium.Hotspot("weak", At(45, weakDistance));
        var far = medium.Hotspot("far", At(45, 60_000));
        var near = medium.Hotspot("near", At(45, weakDistance / 2));
        var tx = medium.Send(device, SimTime.Zero);
        var losses = new List<LostReception>();

        var receptions = medium.ResolveUntil(tx.End, losses);

        Assert.Equal(near, Assert.Single(receptions).Receiver);
        var lost = Assert.Single(losses);
        Assert.Equal(weak, lost.Receiver);
        Assert.Equal(LossReason.TooWeak, lost.Reason);
        Assert.Equal(sensitivity - 3, lost.Rssi.Value, 3);
        Assert.DoesNotContain(losses, l => l.Receiver == far);
    }

    [Fact]
    public void Shadowing_is_reciprocal_per_link_and_bounded_by_the_clip()
    {
        var propagation = new PropagationOptions { FadingSigmaDb = 0 };
        var model = new PropagationModel(propagation, seed: 9);
        var draws = Enumerable.Range(0, 2_000).Select(i => model.ShadowingDb(SeedMixer.Key($"a{i}"), SeedMixer.Key($"b{i}"))).ToArray();

        Assert.All(Enumerable.Range(0, 200), i =>
            Assert.Equal(model.ShadowingDb(SeedMixer.Key($"a{i}"), SeedMixer.Key($"b{i}")), model.ShadowingDb(SeedMixer.Key($"b{i}"), SeedMixer.Key($"a{i}"))));
        Assert.All(draws, d => Assert.InRange(d, -18.0, 18.0));
        var mean = draws.Average();
        var sigma = Math.Sqrt(draws.Select(d => (d - mean) * (d - mean)).Average());
        Assert.InRange(mean, -0.5, 0.5);
        Assert.InRange(sigma, 5.4, 6.6);
    }

    [Fact]
    public void Max_range_bounds_every_received_power_above_the_floor()
    {
        var model = new PropagationModel(new PropagationOptions(), seed: 3);
        var eirp = new Dbm(16);
        var floor = new Dbm(-143);
        var range = model.MaxRangeMeters(eirp, 12, 8, 40, floor);
        var sender = NewRadio("s", 12, 0);
        var receiver = NewRadio("r", 40, 8);

        // Even with the best shadowing and fading draws, just beyond the range stays below the floor.
        var best = eirp.Value + 8 - model.MedianPathLossDb(range * 1.0001, Ch1, 12, 40) + 18 + 4.5;
        Assert.True(best < floor.Value, $"best case {best} dBm at {range} m is above the floor");
        for (var i = 0; i < 500; i++)
        {
            Assert.True(model.ReceivedPower(new Dbm(16), sender, receiver, range * 1.0001, Ch1, i) < floor);
        }
    }

    [Fact]
    public void Tuned_device_hears_only_its_channel_and_data_rate()
    {
        var medium = NewMedium();
        var hotspot = medium.Hotspot("h", Origin);
        var device = medium.Device("d", At(0, 800));
        var t1 = medium.Send(hotspot, SimTime.Zero, dataRate: Sf12, frequency: Hz.FromMegahertz(869.525), shape: Downlink);
        Assert.Empty(medium.ResolveUntil(t1.End));

        medium.Tune(device, Hz.FromMegahertz(869.525), Sf12);
        var t2 = medium.Send(hotspot, SimTime.FromSeconds(5), dataRate: Sf12, frequency: Hz.FromMegahertz(869.525), shape: Downlink);
        var t3 = medium.Send(hotspot, SimTime.FromSeconds(10), dataRate: Sf7, frequency: Hz.FromMegahertz(869.525), shape: Downlink);
        var receptions = medium.ResolveUntil(t3.End);

        Assert.Equal(t2.Id, Assert.Single(receptions).Transmission.Id);
        Assert.Equal(device, receptions[0].Receiver);
    }

    [Fact]
    public void Hotspot_listening_channels_filter_receptions()
    {
        var medium = NewMedium();
        var device = medium.Device("d", Origin, dutyCycle: false);
        var narrow = medium.Register(new RadioRegistration
        {
            Name = "narrow",
            Kind = RadioKind.Hotspot,
            Position = At(0, 500),
            HeightMeters = 10,
            HotspotChannels = [new ListenChannel(Ch2, 125)],
        });
        var tx = medium.Send(device, SimTime.Zero, frequency: Ch1);
        var losses = new List<LostReception>();

        Assert.Empty(medium.ResolveUntil(tx.End, losses));
        Assert.Equal(LossReason.NotListening, Assert.Single(losses).Reason);

        var tx2 = medium.Send(device, SimTime.FromSeconds(1), frequency: Ch2);
        Assert.Equal(narrow, Assert.Single(medium.ResolveUntil(tx2.End)).Receiver);
    }

    [Fact]
    public void Timestamps_carry_propagation_delay_and_each_radio_counter_offset()
    {
        var medium = NewMedium();
        var device = medium.Device("d", Origin);
        var gps = medium.Register(new RadioRegistration
        {
            Name = "gps",
            Kind = RadioKind.Hotspot,
            Position = At(0, 3000),
            HeightMeters = 10,
            HasGps = true,
            CounterOffsetMicroseconds = 4_294_000_000,
        });
        var plain = medium.Hotspot("plain", At(180, 1500));
        var start = SimTime.FromSeconds(2);
        var tx = medium.Send(device, start, dataRate: Sf12);

        var receptions = medium.ResolveUntil(tx.End + TimeSpan.FromSeconds(1));

        var atGps = receptions.Single(r => r.Receiver == gps);
        var distance = GreatCircle.DistanceMeters(Origin, medium[gps].Position);
        var delay = (long)Math.Round(distance / 299_792_458.0 * 1e9);
        Assert.Equal(start.Nanoseconds + delay, atGps.FineTimestampNanoseconds);
        Assert.InRange(delay, 10_000, 10_010);
        var endMicros = (tx.End.Nanoseconds + delay) / 1000;
        Assert.Equal(unchecked((uint)(endMicros + 4_294_000_000L)), atGps.CounterTimestampMicroseconds);

        var atPlain = receptions.Single(r => r.Receiver == plain);
        Assert.Null(atPlain.FineTimestampNanoseconds);
        Assert.Equal(medium[plain].CounterAt(atPlain.ArrivalEnd), atPlain.CounterTimestampMicroseconds);
        Assert.NotEqual(medium[plain].CounterOffsetMicroseconds, medium[gps].CounterOffsetMicroseconds);
    }

    [Fact]
    public void Bad_registrations_name_the_field()
    {
        var medium = NewMedium();
        medium.Hotspot("dup", Origin);
        var duplicate = Assert.Throws<ArgumentException>(() => medium.Hotspot("dup", Origin));
        Assert.Contains("dup", duplicate.Message, StringComparison.Ordinal);
        var height = Assert.Throws<ArgumentException>(() => medium.Register(new RadioRegistration { Name = "x", Kind = RadioKind.Device, Position = Origin, HeightMeters = -1 }));
        Assert.Contains("HeightMeters", height.Message, StringComparison.Ordinal);
        var gain = Assert.Throws<ArgumentException>(() => medium.Register(new RadioRegistration { Name = "y", Kind = RadioKind.Device, Position = Origin, AntennaGainDbi = double.NaN }));
        Assert.Contains("AntennaGainDbi", gain.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => medium[new RadioId(42)]);
    }

    private static RegisteredRadio NewRadio(string name, double height, double gain)
    {
        var medium = NewMedium();
        var id = medium.Hotspot(name, Origin, gain: gain, height: height);
        return medium[id];
    }
}
