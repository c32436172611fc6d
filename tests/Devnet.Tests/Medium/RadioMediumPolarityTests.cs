using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Devnet.Medium;
using static DePin.Wireless.Devnet.Tests.Medium.MediumKit;

namespace DePin.Wireless.Devnet.Tests.Medium;

/// <summary>I/Q polarity: hotspots demodulate normal-I/Q packets (uplinks, beacons), devices inverted ones (downlinks).</summary>
public sealed class RadioMediumPolarityTests
{
    [Fact]
    public void Device_tuned_to_the_channel_does_not_receive_another_devices_uplink()
    {
        var medium = NewMedium();
        var hotspot = medium.Hotspot("h", At(90, 1_000));
        var sender = medium.Device("sender", Origin);
        var listener = medium.Device("listener", At(0, 300));
        medium.Tune(listener, Ch1, Sf7);
        var losses = new List<LostReception>();

        var uplink = medium.Send(sender, SimTime.Zero, frequency: Ch1, dataRate: Sf7);
        var receptions = medium.ResolveUntil(uplink.End, losses);

        // The hotspot, further away, hears it; the tuned device 300 m away is not even a candidate.
        Assert.Equal(hotspot, Assert.Single(receptions).Receiver);
        Assert.DoesNotContain(losses, l => l.Receiver == listener);
    }

    [Fact]
    public void Hotspot_does_not_receive_a_downlink_but_the_tuned_device_does()
    {
        var medium = NewMedium();
        var transmitter = medium.Hotspot("transmitter", Origin);
        var neighbour = medium.Hotspot("neighbour", At(0, 200));
        var device = medium.Device("device", At(180, 800));
        medium.Tune(device, Ch1, Sf7);
        var losses = new List<LostReception>();

        var downlink = medium.Send(transmitter, SimTime.Zero, frequency: Ch1, dataRate: Sf7, shape: Downlink);
        var receptions = medium.ResolveUntil(downlink.End, losses);

        Assert.Equal(device, Assert.Single(receptions).Receiver);
        Assert.DoesNotContain(losses, l => l.Receiver == neighbour);
    }

    [Fact]
    public void A_beacon_from_a_hotspot_is_heard_by_hotspots_not_by_a_device_tuned_to_it()
    {
        var medium = NewMedium();
        var beaconer = medium.Hotspot("beaconer", Origin);
        var witness = medium.Hotspot("witness", At(0, 2_000));
        var device = medium.Device("device", At(180, 500));
        medium.Tune(device, Ch1, Sf12);

        var beacon = medium.Send(beaconer, SimTime.Zero, frequency: Ch1, dataRate: Sf12);

        Assert.Equal(witness, Assert.Single(medium.ResolveUntil(beacon.End)).Receiver);
    }

    [Fact]
    public void Downlink_still_collides_with_a_same_polarity_downlink_at_a_device()
    {
        var medium = NewMedium();
        var first = medium.Hotspot("first", At(0, 1_000));
        var second = medium.Hotspot("second", At(180, 1_000));
        var device = medium.Device("device", Origin);
        medium.Tune(device, Ch1, Sf7);
        var losses = new List<LostReception>();

        // Equal power at the device, same SF and channel: neither is captured.
        var a = medium.Send(first, SimTime.Zero, frequency: Ch1, dataRate: Sf7, shape: Downlink);
        var b = medium.Send(second, SimTime.FromMilliseconds(20), frequency: Ch1, dataRate: Sf7, shape: Downlink);
        Assert.Empty(medium.ResolveUntil(b.End, losses));

        var atDevice = losses.Where(l => l.Receiver == device).ToList();
        Assert.Equal([a.Id, b.Id], atDevice.Select(l => l.Transmission.Id).Order());
        Assert.All(atDevice, l => Assert.Equal(LossReason.Collision, l.Reason));
    }

    [Fact]
    public void An_uplink_does_not_interfere_with_a_downlink_at_the_device_nor_the_downlink_with_the_uplink_at_a_hotspot()
    {
        var medium = NewMedium();
        var gateway = medium.Hotspot("gateway", At(0, 1_000));
        var otherGateway = medium.Hotspot("other-gateway", At(90, 1_000));
        var device = medium.Device("device", Origin);
        var neighbourDevice = medium.Device("neighbour-device", At(270, 50));
        medium.Tune(device, Ch1, Sf7);

        // Same channel and SF, overlapping in time. Were polarity ignored, the neighbour's uplink (50 m away) would
        // swamp the downlink (1 km) at the device, and the gateway-to-gateway downlink (mast heights) the uplink at
        // the other gateway.
        var downlink = medium.Send(gateway, SimTime.Zero, frequency: Ch1, dataRate: Sf7, shape: Downlink);
        var uplink = medium.Send(neighbourDevice, SimTime.FromMilliseconds(10), frequency: Ch1, dataRate: Sf7);
        var receptions = medium.ResolveUntil(uplink.End);

        Assert.Contains(receptions, r => r.Transmission.Id == downlink.Id && r.Receiver == device);
        Assert.Contains(receptions, r => r.Transmission.Id == uplink.Id && r.Receiver == otherGateway);
        Assert.DoesNotContain(receptions, r => r.Transmission.Id == uplink.Id && r.Receiver == gateway); // half-duplex: it was transmitting
        Assert.DoesNotContain(receptions, r => r.Transmission.Id == downlink.Id && r.Receiver != device);
    }
}
