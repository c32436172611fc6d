using DePin.Wireless.Core.Physics;
using DePin.Wireless.CoverageOracle.Spoofing;
using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.CoverageOracle.Tests.Spoofing;

/// <summary>
/// The settlement's parallel and array-based paths against plain serial references written the straightforward way
/// (one thread, LINQ, id strings): equal to the last bit, since the devnet's outputs must not change with the thread count.
/// The large epoch has more links than one parallel chunk holds (65 536), so the chunked code paths all run.
/// </summary>
public sealed class ParallelEquivalenceTests
{
    private static readonly Lazy<SyntheticEpoch> Large = new(() => new SyntheticEpoch(11, gridSize: 24, spacingMeters: 1200, beaconsPerHotspot: 5, relayStyle: RelayStyle.CopiedSignal, siteOffsetSigmaDb: 6));

    [Theory]
    [InlineData(16_384, 1)]
    [InlineData(65_537, 2)]
    [InlineData(200_000, 3)]
    [InlineData(300_001, 4)]
    public void Large_medians_and_mads_equal_those_of_a_full_sort(int count, int seed)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 4; trial++)
        {
            // Continuous, heavy-tailed, few distinct values (ties at the middle) and already sorted.
            var values = Enumerable.Range(0, count).Select(_ => trial switch
            {
                0 => random.NextDouble(),
                1 => Math.Tan((random.NextDouble() - 0.5) * 3.1),
                2 => random.Next(3),
                _ => random.NextDouble() * 10,
            }).ToArray();
            if (trial == 3)
            {
                Array.Sort(values);
            }

            var expected = SortedMedian(values);
            Assert.Equal(expected, RobustStatistics.Median(values));
            Assert.Equal(SortedMedian(values.Select(v => Math.Abs(v - expected)).ToArray()), RobustStatistics.Mad(values));
        }
    }

    [Fact]
    public void A_large_median_with_nan_orders_it_first_as_a_sort_does()
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 40_000).Select(i => i % 7 == 0 ? double.NaN : random.NextDouble()).ToArray();
        Assert.Equal(SortedMedian(values), RobustStatistics.Median(values));
    }

    [Theory]
    [InlineData(50, 1)]
    [InlineData(20_000, 2)]
    [InlineData(150_001, 3)]
    public void Huber_equals_the_serial_reference_bit_for_bit(int count, int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, count).Select(_ => Math.Log10(0.05 + (random.NextDouble() * 20))).ToArray();
        var y = x.Select(v => -130 - (35 * v) + (7 * Gaussian(random)) + (random.NextDouble() < 0.1 ? 30 : 0)).ToArray();
        var expected = ReferenceHuber(x, y, 1.345, 50);
        var actual = RobustStatistics.Huber(x, y, 1.345);
        Assert.NotNull(expected);
        Assert.Equal(expected.Value.Intercept, actual!.Value.Intercept);
        Assert.Equal(expected.Value.Slope, actual.Value.Slope);
    }

    [Fact]
    public void Theil_sen_with_interval_equals_the_two_separate_estimates()
    {
        var random = new Random(9);
        for (var trial = 0; trial < 50; trial++)
        {
            var n = 2 + random.Next(30);
            var x = Enumerable.Range(0, n).Select(_ => (double)random.Next(8)).ToArray();
            var y = x.Select(v => (2 * v) + random.NextDouble()).ToArray();
            var line = RobustStatistics.TheilSen(x, y);
            var interval = RobustStatistics.TheilSenSlopeInterval(x, y, 2.576);
            var both = RobustStatistics.TheilSenWithInterval(x, y, 2.576);
            Assert.Equal(line is null, both is null);
            if (both is { } b)
            {
                Assert.Equal(line!.Value, b.Line);
                Assert.Equal(interval!.Value, (b.Lower, b.Upper));
            }
        }
    }

    [Fact]
    public void Epoch_links_equal_a_serial_resolution_of_every_valid_witness()
    {
        var epoch = Large.Value;
        var built = EpochLinks.Build(epoch.Results, epoch.Registry);
        Assert.True(built.LinkCount > 65_536, $"only {built.LinkCount} links: the epoch must span several parallel chunks");

        var registry = epoch.Registry.ToDictionary(h => h.Id, StringComparer.Ordinal);
        var expected = epoch.Results
            .Where(p => p.BeaconValid && registry.ContainsKey(p.Beacon.HotspotId))
            .Select(p => (p, p.Witnesses.Where(w => w.IsValid && registry.ContainsKey(w.Report.HotspotId) && w.Report.HotspotId != p.Beacon.HotspotId).ToList()))
            .ToList();
        Assert.Equal(expected.Count, built.Beacons.Count);
        Assert.Equal(registry.Keys.Order(StringComparer.Ordinal), built.HotspotIds);
        for (var b = 0; b < expected.Count; b++)
        {
            var beacon = built.Beacons[b];
            Assert.Same(expected[b].p, beacon.Poc);
            Assert.Equal(expected[b].Item2.Select(w => w.Report), beacon.Links.Select(l => l.Report));
            Assert.Equal(beacon.Beaconer.Id, built.HotspotIds[beacon.BeaconerIndex]);
            foreach (var link in beacon.Links)
            {
                Assert.Equal(link.Witness.Id, built.HotspotIds[link.WitnessIndex]);
                Assert.Equal(GreatCircle.DistanceMeters(link.BeaconerPosition, link.WitnessPosition), link.AssertedDistanceMeters);
            }
        }
    }

    [Fact]
    public void Pooled_fit_equals_the_serial_censoring_rounds()
    {
        var epoch = Large.Value;
        var links = EpochLinks.Build(epoch.Results, epoch.Registry).AllLinks.ToList();
        var options = new PathLossConsistencyOptions();
        var analysis = new PathLossConsistency(options);

        var line = ReferenceHuber([.. links.Select(l => l.LogDistanceKm)], [.. links.Select(l => l.GainDb)], options.HuberK, 50);
        for (var round = 0; round < options.CensoringRounds && line is { } current; round++)
        {
            var kept = links.Where(l => analysis.PredictedMarginDb(l, current) >= options.CensoringMarginDb).ToList();
            if (kept.Count < options.MinPooledLinks)
            {
                break;
            }

            line = ReferenceHuber([.. kept.Select(l => l.LogDistanceKm)], [.. kept.Select(l => l.GainDb)], options.HuberK, 50) ?? current;
        }

        Assert.Equal(line, analysis.FitPooled(links));
    }

    [Fact]
    public void The_epoch_graph_equals_the_graph_of_its_id_pairs()
    {
        var epoch = EpochLinks.Build(Large.Value.Results, Large.Value.Registry);
        var fromIds = WitnessGraph.From(epoch.AllLinks.Select(l => (l.Beaconer.Id, l.Witness.Id)));
        var fromEpoch = WitnessGraph.From(epoch);
        Assert.Equal(fromIds.Nodes, fromEpoch.Nodes);
        foreach (var id in fromIds.Nodes)
        {
            Assert.Equal(fromIds.NeighboursOf(id), fromEpoch.NeighboursOf(id));
            Assert.Equal(fromIds.NeighbourhoodShape(id), fromEpoch.NeighbourhoodShape(id));
        }

        Assert.Equal(fromIds.Components(), fromEpoch.Components());
    }

    [Fact]
    public void Identical_signal_pairs_equal_a_serial_count_over_id_strings()
    {
        var epoch = EpochLinks.Build(Large.Value.Results, Large.Value.Registry);
        var pairs = WitnessGraphEvidence.IdenticalSignalPairs(epoch);
        Assert.Contains(pairs, p => p.A == "relay-listener" && p.B == "relay-partner");
        Assert.Equal(ReferenceIdenticalSignalPairs(epoch), pairs);
    }

    private static double SortedMedian(double[] values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>IRLS as a single serial loop: OLS start, weights min(1, k·s/|r|) with s = 1.4826·MAD from sorted copies.</summary>
    private static LineFit? ReferenceHuber(double[] x, double[] y, double k, int iterations)
    {
        var weights = Enumerable.Repeat(1.0, x.Length).ToArray();
        var fit = ReferenceWeightedLeastSquares(x, y, weights);
        if (fit is null)
        {
            return null;
        }

        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var residuals = x.Select((xi, i) => y[i] - fit.Value.Predict(xi)).ToArray();
            var centre = SortedMedian(residuals);
            var scale = Math.Max(RobustStatistics.MadToSigma * SortedMedian([.. residuals.Select(r => Math.Abs(r - centre))]), 1e-9);
            for (var i = 0; i < x.Length; i++)
            {
                var a = Math.Abs(residuals[i]);
                weights[i] = a <= k * scale ? 1.0 : k * scale / a;
            }

            var next = ReferenceWeightedLeastSquares(x, y, weights);
            if (next is null)
            {
                return fit;
            }

            var converged = Math.Abs(next.Value.Slope - fit.Value.Slope) < 1e-9 && Math.Abs(next.Value.Intercept - fit.Value.Intercept) < 1e-9;
            fit = next;
            if (converged)
            {
                break;
            }
        }

        return fit;
    }

    private static LineFit? ReferenceWeightedLeastSquares(double[] x, double[] y, double[] w)
    {
        double sw = 0, sx = 0, sy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sw += w[i];
            sx += w[i] * x[i];
            sy += w[i] * y[i];
        }

        var mx = sx / sw;
        var my = sy / sw;
        double sxx = 0, sxy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxx += w[i] * (x[i] - mx) * (x[i] - mx);
            sxy += w[i] * (x[i] - mx) * (y[i] - my);
        }

        return sw <= 0 || sxx < 1e-12 ? null : new LineFit(my - (sxy / sxx * mx), sxy / sxx);
    }

    private static List<(string A, string B, int Identical, int Shared)> ReferenceIdenticalSignalPairs(EpochLinks epoch)
    {
        var identical = new Dictionary<(string, string), int>();
        var beaconsOf = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        for (var b = 0; b < epoch.Beacons.Count; b++)
        {
            foreach (var link in epoch.Beacons[b].Links)
            {
                if (!beaconsOf.TryGetValue(link.Witness.Id, out var set))
                {
                    beaconsOf[link.Witness.Id] = set = [];
                }

                set.Add(b);
            }

            foreach (var group in epoch.Beacons[b].Links.GroupBy(l => (l.Report.SignalDeciDbm, l.Report.SnrCentiDb)))
            {
                var ids = group.Select(l => l.Witness.Id).Distinct().Order(StringComparer.Ordinal).ToList();
                for (var i = 0; i < ids.Count; i++)
                {
                    for (var j = i + 1; j < ids.Count; j++)
                    {
                        identical[(ids[i], ids[j])] = identical.GetValueOrDefault((ids[i], ids[j])) + 1;
                    }
                }
            }
        }

        return [.. identical
            .Select(kv => (kv.Key.Item1, kv.Key.Item2, kv.Value, beaconsOf[kv.Key.Item1].Count(beaconsOf[kv.Key.Item2].Contains)))
            .OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2, StringComparer.Ordinal)];
    }
}
