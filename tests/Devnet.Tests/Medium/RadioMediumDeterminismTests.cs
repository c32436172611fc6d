using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Devnet.Medium;
using DePin.Wireless.Devnet.World;

namespace DePin.Wireless.Devnet.Tests.Medium;

public sealed class RadioMediumDeterminismTests
{
    private static readonly Hz[] Channels = [new(868_100_000), new(868_300_000), new(868_500_000)];

    /// <summary>A small city, busy enough for collisions, resolved in steps; receptions projected to comparable tuples.</summary>
    private static List<string> Simulate(int worldSeed, int mediumSeed, double cellSize = 5_000, List<LostReception>? losses = null)
    {
        var world = WorldGenerator.Generate(new WorldOptions { Centre = new GeoPoint(48.85, 2.35), RadiusMeters = 8_000, CoreScaleMeters = 2_000, HotspotCount = 150, DeviceCount = 120 }, worldSeed);
        var medium = new RadioMedium(new RadioMediumOptions { Seed = mediumSeed, GridCellSizeMeters = cellSize });
        var ids = world.RegisterWith(medium);
        var traffic = new Random(99);
        var lines = new List<string>();
        var clock = SimTime.Zero;
        for (var step = 0; step < 20; step++)
        {
            // Starts sorted within the step: each radio's own time line only moves forward.
            var batch = Enumerable.Range(0, 12)
                .Select(_ => (Device: ids[world.Devices[traffic.Next(world.Devices.Count)].Name], Offset: traffic.Next(0, 400)))
                .OrderBy(p => p.Offset)
                .ToList();
            foreach (var (device, offset) in batch)
            {
                medium.Submit(new TransmitRequest
                {
                    Sender = device,
                    Start = clock + TimeSpan.FromMilliseconds(offset),
                    Frequency = Channels[traffic.Next(Channels.Length)],
                    DataRate = new DataRate(traffic.Next(7, 13), 125),
                    TxPower = new Dbm(14),
                    Payload = new byte[traffic.Next(5, 40)],
                });
            }

            clock += TimeSpan.FromMilliseconds(500);
            lines.AddRange(medium.ResolveUntil(clock, losses).Select(r =>
                FormattableString.Invariant($"{r.Transmission.Id} {medium[r.Receiver].Name} {r.Rssi.Value:R} {r.SnrDb:R} {r.CounterTimestampMicroseconds} {r.FineTimestampNanoseconds}")));
        }

        lines.AddRange(medium.ResolveUntil(clock + TimeSpan.FromSeconds(10)).Select(r =>
            FormattableString.Invariant($"{r.Transmission.Id} {medium[r.Receiver].Name} {r.Rssi.Value:R} {r.SnrDb:R} {r.CounterTimestampMicroseconds} {r.FineTimestampNanoseconds}")));
        return lines;
    }

    [Fact]
    public void Same_seed_gives_identical_receptions()
    {
        var losses = new List<LostReception>();
        var first = Simulate(5, 11, losses: losses);
        var second = Simulate(5, 11);

        Assert.True(first.Count > 100, $"only {first.Count} receptions");
        Assert.Contains(losses, l => l.Reason == LossReason.Collision);
        Assert.Contains(losses, l => l.Reason == LossReason.TooWeak);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Another_medium_seed_changes_the_draws()
    {
        Assert.NotEqual(Simulate(5, 11), Simulate(5, 12));
    }

    [Fact]
    public void The_grid_cell_size_does_not_change_the_outcome()
    {
        // The neighbour search must only prune radios that cannot be above the floor: any cell size, same result.
        Assert.Equal(Simulate(5, 11, cellSize: 5_000), Simulate(5, 11, cellSize: 700));
        Assert.Equal(Simulate(5, 11, cellSize: 5_000), Simulate(5, 11, cellSize: 20_000_000));
    }
}
