using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.CoverageOracle.Tests.Verification;

/// <summary>
/// PocVerifier.VerifyInOrder runs the history-free checks of many beacons in parallel and the rest in order; it must
/// give exactly what Verify gives one beacon after another, history included.
/// </summary>
public sealed class VerifyInOrderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Batch_verification_equals_one_beacon_after_another(int seed)
    {
        var (sequentialWorld, pocs) = World(seed);
        var (batchWorld, samePocs) = World(seed);

        var sequential = sequentialWorld.Verifier();
        var expected = pocs.Select(p => sequential.Verify(p.Beacon, p.Witnesses)).ToList();
        var actual = batchWorld.Verifier().VerifyInOrder(samePocs, parallelism: 4);

        Assert.Equal(expected.Select(Describe), actual.Select(Describe));
        foreach (var id in sequentialWorld.Hotspots.Keys)
        {
            Assert.Equal(sequentialWorld.History.LastValidWitness(id), batchWorld.History.LastValidWitness(id));
            Assert.Equal(sequentialWorld.History.LastValidBeaconWithWitness(id), batchWorld.History.LastValidBeaconWithWitness(id));
            Assert.Equal(sequentialWorld.History.LastBeaconBucket(id), batchWorld.History.LastBeaconBucket(id));
        }

        // The scenario exercises the order-dependent checks, or the comparison proves little.
        var reasons = expected.Select(r => r.BeaconInvalidReason).Concat(expected.SelectMany(r => r.Witnesses.Select(w => w.InvalidReason))).ToHashSet();
        Assert.Contains(InvalidReason.IrregularInterval, reasons);
        Assert.Contains(InvalidReason.Duplicate, reasons);
        Assert.Contains(InvalidReason.GatewayNoValidBeacons, reasons);
        Assert.Contains(null, reasons);
        Assert.Contains(expected, r => r.Witnesses.Count(w => w.IsValid) > r.Witnesses.Count(w => w.Selected));
    }

    [Fact]
    public void Parallelism_must_be_positive()
    {
        var world = new PocScenario();
        Assert.Throws<ArgumentOutOfRangeException>(() => world.Verifier().VerifyInOrder([], parallelism: 0));
    }

    private static string Describe(PocResult result) =>
        $"{result.Beacon.HotspotId}@{result.Beacon.Received:O}:{result.BeaconInvalidReason ?? "valid"}[" +
        string.Join(",", result.Witnesses.Select(w => $"{w.Report.HotspotId}:{w.InvalidReason ?? "ok"}:{(w.Selected ? "s" : "-")}")) + "]";

    /// <summary>
    /// Hotspots around the origin at random distances (some too close, some without reciprocity history, one denied),
    /// beacons from several of them within the entropy's lifespan (some twice in one 6 h interval), each heard by random hotspots, some twice.
    /// </summary>
    private static (PocScenario World, List<(BeaconIngest Beacon, IReadOnlyList<WitnessIngest> Witnesses)> Pocs) World(int seed)
    {
        var random = new Random(seed);
        var world = new PocScenario();
        var ids = new List<string> { "beaconer" };
        for (var i = 0; i < 40; i++)
        {
            var id = $"h{i:00}";
            world.AddHotspot(id, PocScenario.At(random.NextDouble() * 360, 100 + (random.NextDouble() * 40_000)));
            ids.Add(id);
        }

        world.MakeReciprocal([.. ids.Where((_, i) => i % 7 != 3)]);
        world.Denied.Add("h05");
        var pocs = new List<(BeaconIngest, IReadOnlyList<WitnessIngest>)>();
        for (var n = 0; n < 60; n++)
        {
            var beaconer = ids[random.Next(ids.Count)];
            var beacon = world.Beacon(TimeSpan.FromSeconds(random.Next(5, 170)), beaconer);
            var witnesses = new List<WitnessIngest>();
            foreach (var witness in ids.OrderBy(_ => random.Next()).Take(random.Next(0, 30)))
            {
                witnesses.Add(PocScenario.Witness(beacon, witness, TimeSpan.FromMilliseconds(random.Next(50, 4_000)), signalDeciDbm: -1300 + random.Next(0, 700)));
                if (random.Next(8) == 0)
                {
                    witnesses.Add(PocScenario.Witness(beacon, witness, TimeSpan.FromMilliseconds(random.Next(50, 4_000))));
                }
            }

            pocs.Add((beacon, witnesses));
        }

        return (world, pocs);
    }
}
