using System.Numerics;
using DePin.Wireless.CoverageOracle.Map;
using DePin.Wireless.Core.H3;
using Microsoft.AspNetCore.Http;

namespace DePin.Wireless.CoverageOracle.Tests.Map;

public sealed class CoverageMapModelTests
{
    [Theory]
    [InlineData(1.5, "epoch 1: Cells[0].Score 1.5 is not within 0..1")]
    [InlineData(-0.1, "epoch 1: Cells[0].Score -0.1 is not within 0..1")]
    [InlineData(double.NaN, "epoch 1: Cells[0].Score NaN is not within 0..1")]
    public void Publish_rejects_scores_outside_zero_to_one(double score, string message)
    {
        var snapshot = MapTestData.Epoch1();
        var bad = snapshot with { Cells = [snapshot.Cells[0] with { Score = score }, .. snapshot.Cells.Skip(1)] };
        var source = new InMemoryCoverageSource();
        var error = Assert.Throws<ArgumentException>(() => source.Publish(bad));
        Assert.Equal(message, error.Message);
        Assert.Empty(source.Epochs());
    }

    [Fact]
    public void Publish_rejects_invalid_cells_negative_rewards_and_empty_addresses()
    {
        var s = MapTestData.Epoch1();
        var source = new InMemoryCoverageSource();
        Assert.Contains("Cells[0].Cell 0 is not an H3 cell", Assert.Throws<ArgumentException>(() =>
            source.Publish(s with { Cells = [new CellCoverage(default, 0.5, 1)] })).Message);
        Assert.Contains("Hotspots[0].Reward -1 is negative", Assert.Throws<ArgumentException>(() =>
            source.Publish(s with { Hotspots = [s.Hotspots[0] with { Reward = BigInteger.MinusOne }] })).Message);
        Assert.Contains("Links[0].Witness is empty", Assert.Throws<ArgumentException>(() =>
            source.Publish(s with { Links = [s.Links[0] with { Witness = " " }] })).Message);
        Assert.Contains("End", Assert.Throws<ArgumentException>(() =>
            source.Publish(s with { Info = s.Info with { End = s.Info.Start.AddSeconds(-1) } })).Message);
        Assert.Empty(source.Epochs());
    }

    [Fact]
    public void Published_snapshot_is_a_copy_unaffected_by_later_changes_to_the_caller_list()
    {
        var s = MapTestData.Epoch1();
        var cells = s.Cells.ToList();
        var source = new InMemoryCoverageSource();
        source.Publish(s with { Cells = cells });
        cells.Clear();
        Assert.Equal(s.Cells.Count, source.Get(1)!.Cells.Count);
    }

    [Fact]
    public async Task Concurrent_publishes_and_reads_see_whole_epochs()
    {
        var source = new InMemoryCoverageSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var e = 0; e < 200; e++)
            {
                source.Publish(MapTestData.Epoch1() with { Info = new EpochInfo(e, MapTestData.Epoch1Start, MapTestData.Epoch1Start) });
            }
        }));
        var reader = Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                foreach (var info in source.Epochs())
                {
                    Assert.Equal(7, source.Get(info.Epoch)!.Cells.Count);
                }
            }
        });
        await Task.WhenAll([.. writers, reader]);
        Assert.Equal(Enumerable.Range(0, 200).Select(e => (long)e), source.Epochs().Select(e => e.Epoch));
    }

    [Theory]
    [InlineData("/../outside.txt")]
    [InlineData("/assets/../../outside.txt")]
    public async Task Static_page_never_serves_files_outside_its_root(string path)
    {
        var dir = Directory.CreateTempSubdirectory("map-root-");
        try
        {
            var root = Directory.CreateDirectory(Path.Combine(dir.FullName, "root")).FullName;
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "outside.txt"), "secret");
            var context = new DefaultHttpContext();
            context.Request.Path = path;
            context.Response.Body = new MemoryStream();
            await new StaticPage(root).ServeAsync(context);
            Assert.Equal(404, context.Response.StatusCode);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Pentagon_test_cell_really_is_a_pentagon()
    {
        Assert.True(MapTestData.Pentagon.IsPentagon);
        Assert.Equal(2, MapTestData.Pentagon.Resolution);
        Assert.Equal(5, H3Grid.CellToBoundary(H3Cell.Parse("8009fffffffffff", null)).Length);
    }
}
