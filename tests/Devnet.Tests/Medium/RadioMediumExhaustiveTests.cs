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
}
