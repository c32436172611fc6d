using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Tests.Physics;

public class PathLossTests
{
    [Fact]
    public void Free_space_loss_at_known_values()
    {
        // 20·log10(4π·1000·868e6 / c) = 91.218 dB; the usual 20log(d_km) + 20log(f_MHz) + 32.45 gives 91.22.
        Assert.Equal(91.218, FreeSpacePathLoss.Db(1000, new Hz(868_000_000)), 3);
        Assert.Equal(91.676, FreeSpacePathLoss.Db(1000, new Hz(915_000_000)), 3);
        Assert.Equal(20 * Math.Log10(10), FreeSpacePathLoss.Db(10_000, new Hz(868_000_000)) - FreeSpacePathLoss.Db(1000, new Hz(868_000_000)), 9);
        Assert.Equal(1000, FreeSpacePathLoss.DistanceMeters(91.21817772541321, new Hz(868_000_000)), 6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(double.NaN)]
    public void Free_space_rejects_non_positive_distance(double d)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => FreeSpacePathLoss.Db(d, new Hz(868_000_000)));
        Assert.Contains("distance", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Log_distance_mean_follows_the_exponent()
    {
        var model = new LogDistancePathLoss(LogDistancePathLossOptions.BorLancaster868);
        Assert.Equal(127.41, model.MeanDb(40), 9);
        Assert.Equal(127.41 + 20.8, model.MeanDb(400), 9);
        Assert.Equal(400, model.DistanceForMeanLossMeters(148.21), 6);
    }

    [Fact]
    public void Log_distance_with_free_space_parameters_equals_friis()
    {
        var f = new Hz(868_000_000);
        var model = new LogDistancePathLoss(LogDistancePathLossOptions.FreeSpace(f));
        Assert.Equal(FreeSpacePathLoss.Db(2500, f), model.MeanDb(2500), 9);
        Assert.Equal(model.MeanDb(2500), model.SampleDb(2500, new Random(1)), 9);
    }

    [Fact]
    public void Shadowing_is_reproducible_from_the_seed_and_has_the_configured_spread()
    {
        var model = new LogDistancePathLoss(LogDistancePathLossOptions.BorLancaster868);
        var rngA = new Random(42);
        var rngB = new Random(42);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(model.SampleDb(1000, rngA), model.SampleDb(1000, rngB));
        }

        var rng = new Random(7);
        var samples = Enumerable.Range(0, 20_000).Select(_ => model.SampleDb(1000, rng) - model.MeanDb(1000)).ToArray();
        var mean = samples.Average();
        var sigma = Math.Sqrt(samples.Select(s => (s - mean) * (s - mean)).Average());
        Assert.InRange(mean, -0.1, 0.1);
        Assert.InRange(sigma, 3.47, 3.67);
    }

    [Fact]
    public void Log_distance_rejects_bad_input()
    {
        var model = new LogDistancePathLoss(LogDistancePathLossOptions.BorLancaster868);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.MeanDb(-1));
        Assert.Throws<ArgumentNullException>(() => model.SampleDb(10, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogDistancePathLoss(new LogDistancePathLossOptions { Exponent = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogDistancePathLoss(new LogDistancePathLossOptions { ShadowingSigmaDb = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogDistancePathLoss(new LogDistancePathLossOptions { ReferenceDistanceMeters = 0 }));
    }
}
