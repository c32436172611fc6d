using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Devnet.Medium;
using static DePin.Wireless.Devnet.Tests.Medium.MediumKit;

namespace DePin.Wireless.Devnet.Tests.Medium;

public sealed class RadioMediumCollisionTests
{
    /// <summary>Two devices equally far from one hotspot, so their RSSI difference is exactly their tx power difference.</summary>
    private static (RadioMedium Medium, RadioId A, RadioId B, RadioId Hotspot) TwoDevicesOneHotspot()
    {
        var medium = NewMedium();
        var hotspot = medium.Hotspot("h", Origin);
        var a = medium.Device("a", At(0, 500));
        var b = medium.Device("b", At(180, 500));
        return (medium, a, b, hotspot);
    }

    [Theory]
    [InlineData(14.0, 7.9)]
    [InlineData(14.0, 0.0)]
    public void Same_sf_stronger_by_at_least_6_db_is_captured_and_the_weaker_lost(double strong, double weak)
    {
        var (medium, a, b, hotspot) = TwoDevicesOneHotspot();
        var ta = medium.Send(a, SimTime.Zero, txPowerDbm: strong);
        var tb = medium.Send(b, SimTime.FromMilliseconds(10), txPowerDbm: weak);
        var losses = new List<LostReception>();

        var receptions = medium.ResolveUntil(tb.End, losses);

        var captured = Assert.Single(receptions);
        Assert.Equal(ta.Id, captured.Transmission.Id);
        Assert.Equal(hotspot, captured.Receiver);
        var lost = Assert.Single(losses, l => l.Receiver == hotspot);
        Assert.Equal(tb.Id, lost.Transmission.Id);
        Assert.Equal(LossReason.Collision, lost.Reason);
    }

    [Theory]
    [InlineData(14.0, 14.0)]
    [InlineData(14.0, 8.1)]
    public void Same_sf_within_6_db_loses_both(double first, double second)
    {
        var (medium, a, b, hotspot) = TwoDevicesOneHotspot();
        medium.Send(a, SimTime.Zero, txPowerDbm: first);
        var tb = medium.Send(b, SimTime.FromMilliseconds(30), txPowerDbm: second);
        var losses = new List<LostReception>();

        Assert.Empty(medium.ResolveUntil(tb.End, losses));
        var atHotspot = losses.Where(l => l.Receiver == hotspot).ToList();
        Assert.Equal(2, atHotspot.Count);
        Assert.All(atHotspot, l => Assert.Equal(LossReason.Collision, l.Reason));
    }

    [Fact]
    public void Capture_compares_against_the_sum_of_interferers()
    {
        var medium = NewMedium();
        medium.Hotspot("h", Origin);
        var strong = medium.Device("s", At(0, 1000));
        var i1 = medium.Device("i1", At(120, 1000));
        var i2 = medium.Device("i2", At(240, 1000));
        var wanted = medium.Send(strong, SimTime.Zero, txPowerDbm: 14);

        // Each interferer is 7 dB weaker (alone it would be captured), together 3.99 dB more: 7 − 3.01 < 6.
        medium.Send(i1, SimTime.FromMilliseconds(5), txPowerDbm: 7);
        var last = medium.Send(i2, SimTime.FromMilliseconds(6), txPowerDbm: 7);

        var receptions = medium.ResolveUntil(last.End);

        Assert.DoesNotContain(receptions, r => r.Transmission.Id == wanted.Id);
    }

    [Fact]
    public void Different_sf_at_equal_power_both_survive()
    {
        var (medium, a, b, _) = TwoDevicesOneHotspot();
        var t7 = medium.Send(a, SimTime.Zero, dataRate: Sf7);
        var t12 = medium.Send(b, SimTime.FromMilliseconds(5), dataRate: Sf12);

        var receptions = medium.ResolveUntil(t12.End);

        Assert.Equal([t7.Id, t12.Id], receptions.Select(r => r.Transmission.Id).Order().ToArray());
    }

    [Fact]
    public void Different_sf_follows_the_orthogonality_matrix()
    {
        // SF7 wanted vs SF8 interferer needs SIR ≥ −16 dB (Croce et al. Table I): 20 dB weaker loses, 10 dB weaker survives.
        var (medium, a, b, hotspot) = TwoDevicesOneHotspot();
        var victim = medium.Send(a, SimTime.Zero, txPowerDbm: -6, dataRate: Sf7);
        var interferer = medium.Send(b, SimTime.FromMilliseconds(1), txPowerDbm: 14, dataRate: Sf8);
        var losses = new List<LostReception>();

        var receptions = medium.ResolveUntil(interferer.End, losses);

        Assert.Equal(interferer.Id, Assert.Single(receptions).Transmission.Id);
        var lost = Assert.Single(losses, l => l.Receiver == hotspot);
        Assert.Equal(victim.Id, lost.Transmission.Id);
        Assert.Equal(LossReason.Collision, lost.Reason);

        var (medium2, a2, b2, _) = TwoDevicesOneHotspot();
        var victim2 = medium2.Send(a2, SimTime.Zero, txPowerDbm: 4, dataRate: Sf7);
        var interferer2 = medium2.Send(b2, SimTime.FromMilliseconds(1), txPowerDbm: 14, dataRate: Sf8);
        Assert.Equal([victim2.Id, interferer2.Id], medium2.ResolveUntil(interferer2.End).Select(r => r.Transmission.Id).Order().ToArray());
    }

    [Fact]
    public void Different_channels_do_not_collide()
    {
        var (medium, a, b, _) = TwoDevicesOneHotspot();
        medium.Send(a, SimTime.Zero, frequency: Ch1);
        var tb = medium.Send(b, SimTime.FromMilliseconds(3), frequency: Ch2);

        Assert.Equal(2, medium.ResolveUntil(tb.End).Count);
    }

    [Fact]
    public void Overlap_only_in_the_spare_preamble_symbols_is_harmless()
    {
        // The interferer ends 2 symbols into the victim's 8-symbol preamble; the receiver locks on the last 5.
        var (medium, a, b, _) = TwoDevicesOneHotspot();
        var interferer = medium.Send(a, SimTime.Zero, txPowerDbm: 14);
        var symbol = interferer.Airtime.SymbolTime;
        var victimStart = interferer.End - TimeSpan.FromTicks(symbol.Ticks * 2);
        var victim = medium.Send(b, victimStart, txPowerDbm: 14);

        var receptions = medium.ResolveUntil(victim.End);

        Assert.Contains(receptions, r => r.Transmission.Id == victim.Id);
        Assert.DoesNotContain(receptions, r => r.Transmission.Id == interferer.Id);
    }

    [Fact]
    public void A_transmitting_hotspot_cannot_receive()
    {
        var medium = NewMedium();
        var busy = medium.Hotspot("busy", Origin);
        var idle = medium.Hotspot("idle", At(90, 300));
        var device = medium.Device("d", At(0, 500));

        // The hotspot sends a downlink on another channel while the uplink is in the air.
        var downlink = medium.Send(busy, SimTime.Zero, frequency: Hz.FromMegahertz(869.525), dataRate: Sf12);
        var uplink = medium.Send(device, SimTime.FromMilliseconds(200));
        var losses = new List<LostReception>();

        var receptions = medium.ResolveUntil(downlink.End, losses);

        Assert.DoesNotContain(receptions, r => r.Transmission.Id == uplink.Id && r.Receiver == busy);
        Assert.Contains(receptions, r => r.Transmission.Id == uplink.Id && r.Receiver == idle);
        Assert.Contains(losses, l => l.Transmission.Id == uplink.Id && l.Receiver == busy && l.Reason == LossReason.ReceiverTransmitting);

        var later = medium.Send(device, downlink.End + TimeSpan.FromSeconds(1));
        Assert.Contains(medium.ResolveUntil(later.End), r => r.Receiver == busy);
    }

    [Fact]
    public void A_sender_cannot_start_while_still_on_the_air_and_time_cannot_go_back()
    {
        var medium = NewMedium();
        var device = medium.Device("d", Origin);
        var first = medium.Send(device, SimTime.FromSeconds(1));
        var overlapping = medium.Submit(new TransmitRequest
        {
            Sender = device,
            Start = first.Start + TimeSpan.FromMilliseconds(10),
            Frequency = Ch2,
            DataRate = Sf7,
            TxPower = new Dbm(14),
            Payload = new byte[10],
        });
        Assert.Equal(SubmitOutcome.SenderBusy, overlapping.Outcome);

        medium.ResolveUntil(SimTime.FromSeconds(5));
        var past = Assert.Throws<ArgumentOutOfRangeException>(() => medium.Send(device, SimTime.FromSeconds(4)));
        Assert.Contains("already resolved", past.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => medium.ResolveUntil(SimTime.FromSeconds(4)));
    }

    [Fact]
    public void Resolved_packets_are_released_once_nothing_can_overlap_them()
    {
        var medium = NewMedium();
        var device = medium.Device("d", Origin, dutyCycle: false);
        medium.Hotspot("h", At(0, 500));
        for (var i = 0; i < 50; i++)
        {
            medium.Send(device, SimTime.FromSeconds(i));
            medium.ResolveUntil(SimTime.FromSeconds(i + 0.5));
        }

        Assert.Equal(0, medium.RetainedTransmissions);
    }
}
