using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Devnet.Medium;
using DePin.Wireless.Devnet.World;

namespace DePin.Wireless.Devnet.Tests.Medium;

public sealed class RadioMediumExhaustiveTests
{
    [Fact]
    public void Isolated_packets_reach_exactly_the_hotspots_an_exhaustive_link_budget_says()
    {
        // Every pair is evaluated with the public per-link formula, no neighbour search and no pruning bounds.
        var world = WorldGenerator.Generate(new WorldOptions { Centre = new GeoPoint(45.76, 4.84), RadiusMeters = 15_000, CoreScaleMeters = 3_000, HotspotCount = 400, DeviceCount = 100 }, 21);
        var medium = new RadioMedium(new RadioMediumOptions { Seed = 4 });
        var ids = world.RegisterWith(medium);
        var random = new Random(8);
        var checkedLinks = 0;
        var totalHeard = 0;
        for (var i = 0; i < 40; i++)
        {
            var sender = medium[ids[world.Devices[random.Next(world.Devices.Count)].Name]];
            var dataRate = new DataRate(random.Next(7, 13), 125);
            var result = medium.Submit(new TransmitRequest
            {
                Sender = sender.Id,
                Start = SimTime.FromSeconds(10 * i),
                Frequency = Hz.FromMegahertz(868.1),
                DataRate = dataRate,
                TxPower = new Dbm(14),
                Payload = new byte[12],
            });
            var tx = result.Transmission!;
            var heard = medium.ResolveUntil(tx.End + TimeSpan.FromSeconds(1)).ToDictionary(r => r.Receiver, r => r.Rssi.Value);

            var expected = new Dictionary<RadioId, double>();
            foreach (var receiver in medium.Radios.Where(r => r.Kind == RadioKind.Hotspot))
            {
                var distance = GreatCircle.DistanceMeters(sender.Position, receiver.Position);
                var rssi = medium.Propagation.ReceivedPower(tx.TxPower, sender, receiver, distance, tx.Frequency, tx.Id);
                if (LinkBudget.CanDemodulate(rssi, LinkBudget.SnrDb(rssi, dataRate.BandwidthHz), dataRate))
                {
                    expected[receiver.Id] = rssi.Value;
                }

                checkedLinks++;
            }

            Assert.Equal(expected.Keys.Select(k => k.Value).Order(), heard.Keys.Select(k => k.Value).Order());
            Assert.All(expected, e => Assert.Equal(e.Value, heard[e.Key], 9));
            totalHeard += heard.Count;
        }

        Assert.Equal(40 * 400, checkedLinks);
        Assert.True(totalHeard > 400, $"only {totalHeard} receptions: the comparison would be vacuous");
    }

    [Fact]
    public void Repeated_packets_of_a_device_use_its_cached_links_and_still_reach_exactly_the_exhaustive_receivers()
    {
        // A device's links are cached per (channel, data rate, power); every packet draws its own fading. Each device
        // here sends several packets per setting, so most searches are answered from the cache.
        var world = WorldGenerator.Generate(new WorldOptions { Centre = new GeoPoint(45.76, 4.84), RadiusMeters = 15_000, CoreScaleMeters = 3_000, HotspotCount = 300, DeviceCount = 10 }, 22);
        var medium = new RadioMedium(new RadioMediumOptions { Seed = 5 });
        var ids = world.RegisterWith(medium);
        var settings = new[] { (Hz.FromMegahertz(868.1), new DataRate(7, 125)), (Hz.FromMegahertz(868.3), new DataRate(10, 125)), (Hz.FromMegahertz(868.1), new DataRate(12, 125)) };
        var start = SimTime.Zero;
        var packets = 0;
        var differentAcrossPackets = 0;
        foreach (var device in world.Devices)
        {
            var sender = medium[ids[device.Name]];
            foreach (var (frequency, dataRate) in settings)
            {
                HashSet<int>? previous = null;
                for (var n = 0; n < 4; n++)
                {
                    start += TimeSpan.FromSeconds(10);
                    var tx = medium.Submit(new TransmitRequest { Sender = sender.Id, Start = start, Frequency = frequency, DataRate = dataRate, TxPower = new Dbm(14), Payload = new byte[12] }).Transmission!;
                    var heard = medium.ResolveUntil(tx.End + TimeSpan.FromSeconds(1)).ToDictionary(r => r.Receiver, r => r.Rssi.Value);
                    var expected = new Dictionary<RadioId, double>();
                    foreach (var receiver in medium.Radios.Where(r => r.Kind == RadioKind.Hotspot))
                    {
                        var rssi = medium.Propagation.ReceivedPower(tx.TxPower, sender, receiver, GreatCircle.DistanceMeters(sender.Position, receiver.Position), tx.Frequency, tx.Id);
                        if (LinkBudget.CanDemodulate(rssi, LinkBudget.SnrDb(rssi, dataRate.BandwidthHz), dataRate))
                        {
                            expected[receiver.Id] = rssi.Value;
                        }
                    }

                    Assert.Equal(expected.Keys.Select(k => k.Value).Order(), heard.Keys.Select(k => k.Value).Order());
                    Assert.All(expected, e => Assert.Equal(e.Value, heard[e.Key], 9));
                    var receivers = heard.Keys.Select(k => k.Value).ToHashSet();
                    differentAcrossPackets += previous is not null && !previous.SetEquals(receivers) ? 1 : 0;
                    previous = receivers;
                    packets++;
                }
            }
        }

        Assert.Equal(10 * 3 * 4, packets);
        Assert.True(differentAcrossPackets > 0, "fading never changed a receiver set: the test cannot tell per-packet draws from cached ones");
    }
}
