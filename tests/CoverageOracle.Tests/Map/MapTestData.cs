using System.Numerics;
using DePin.Wireless.CoverageOracle.Map;
using DePin.Wireless.Core.H3;

namespace DePin.Wireless.CoverageOracle.Tests.Map;

/// <summary>Two epochs of real H3 cells: epoch 1 around San Francisco, epoch 2 around Lisbon (optionally plus a pentagon).</summary>
internal static class MapTestData
{
    public const int Resolution = 8;
    public static readonly DateTimeOffset Epoch1Start = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Resolution-0 pentagon on base cell 4 (H3 v4: base cells 4, 14, 24, ... are pentagons); its centre child at res 2 is a pentagon too.</summary>
    public static readonly H3Cell Pentagon = H3Grid.CellToChildren(H3Cell.Parse("8009fffffffffff", null), 2)[0];

    public static readonly BigInteger BigReward = BigInteger.Parse("123456789012345678901234", System.Globalization.CultureInfo.InvariantCulture);

    public static EpochSnapshot Epoch1() => Build(1, 37.7749, -122.4194, "sf");

    public static EpochSnapshot Epoch2(bool withPentagon = false)
    {
        var snapshot = Build(2, 38.7223, -9.1393, "lx");
        return withPentagon
            ? snapshot with { Cells = [.. snapshot.Cells, new CellCoverage(Pentagon, 0.1, 0)] }
            : snapshot;
    }

    public static InMemoryCoverageSource Source(bool withPentagon = false)
    {
        var source = new InMemoryCoverageSource();
        source.Publish(Epoch1());
        source.Publish(Epoch2(withPentagon));
        return source;
    }

    /// <summary>
    /// A disk of 7 cells; hotspots in the centre cell and the first ring cell (the rest have none),
    /// one penalised with reasons, and a witness link between them.
    /// </summary>
    private static EpochSnapshot Build(long epoch, double lat, double lng, string tag)
    {
        var centre = H3Grid.LatLngToCell(lat, lng, Resolution);
        var disk = H3Grid.GridDisk(centre, 1);
        var neighbour = disk.First(c => c != centre);
        var cells = disk.Select((cell, i) => new CellCoverage(
            cell,
            Score: cell == centre ? 1.0 : cell == neighbour ? 0.5 : 0.125 * (i % 4),
            Hotspots: cell == centre || cell == neighbour ? 1 : 0)).ToArray();
        var hotspots = new[]
        {
            new HotspotSummary($"{tag}-hotspot-alpha", centre, BigReward + epoch, false, []),
            new HotspotSummary($"{tag}-hotspot-beta", neighbour, BigInteger.Zero, true, ["witness too close", "rssi above free-space limit"]),
        };
        var links = new[] { new WitnessLink(hotspots[0].Address, centre, hotspots[1].Address, neighbour, -97.5, 6.25) };
        var start = Epoch1Start.AddDays(epoch - 1);
        return new EpochSnapshot(new EpochInfo(epoch, start, start.AddDays(1)), cells, hotspots, links);
    }
}
