using DePin.Wireless.CoverageOracle.Map;

namespace DePin.Wireless.CoverageOracle.Tests.Map;

/// <summary>Closed epochs' map snapshots on disk: exact round trip, replacement, and damaged files reported without losing the others.</summary>
public sealed class EpochSnapshotFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("map-epochs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Snapshots_round_trip_exactly_in_epoch_order()
    {
        EpochSnapshotFiles.Write(_directory, MapTestData.Epoch2(withPentagon: true));
        EpochSnapshotFiles.Write(_directory, MapTestData.Epoch1());

        var loaded = EpochSnapshotFiles.LoadAll(_directory);

        Assert.Empty(loaded.Problems);
        Assert.Equal([1L, 2L], loaded.Snapshots.Select(s => s.Info.Epoch));
        AssertSame(MapTestData.Epoch1(), loaded.Snapshots[0]);
        AssertSame(MapTestData.Epoch2(withPentagon: true), loaded.Snapshots[1]);
        Assert.Equal(MapTestData.BigReward + 1, loaded.Snapshots[0].Hotspots[0].Reward); // beyond what a JSON double holds exactly
    }

    [Fact]
    public void Writing_an_epoch_again_replaces_it_and_leaves_no_temporary_file()
    {
        EpochSnapshotFiles.Write(_directory, MapTestData.Epoch1());
        var changed = MapTestData.Epoch1() with { Links = [] };
        EpochSnapshotFiles.Write(_directory, changed);

        var loaded = Assert.Single(EpochSnapshotFiles.LoadAll(_directory).Snapshots);
        Assert.Empty(loaded.Links);
        Assert.Equal([Path.GetFileName(EpochSnapshotFiles.PathOf(_directory, 1))], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void A_damaged_file_is_reported_by_name_and_the_other_epochs_still_load()
    {
        EpochSnapshotFiles.Write(_directory, MapTestData.Epoch1());
        EpochSnapshotFiles.Write(_directory, MapTestData.Epoch2());
        var damaged = EpochSnapshotFiles.PathOf(_directory, 2);
        File.WriteAllText(damaged, File.ReadAllText(damaged).Replace("\"h3\":\"8", "\"h3\":\"z", StringComparison.Ordinal));
        File.WriteAllText(EpochSnapshotFiles.PathOf(_directory, 3), "{\"epoch\":3,");

        var loaded = EpochSnapshotFiles.LoadAll(_directory);

        Assert.Equal([1L], loaded.Snapshots.Select(s => s.Info.Epoch));
        Assert.Equal(2, loaded.Problems.Count);
        Assert.Contains(loaded.Problems, p => p.StartsWith(damaged, StringComparison.Ordinal) && p.Contains("not a valid H3 cell", StringComparison.Ordinal));
        Assert.Contains(loaded.Problems, p => p.StartsWith(EpochSnapshotFiles.PathOf(_directory, 3), StringComparison.Ordinal));
        Assert.True(File.Exists(damaged)); // left for the operator, not deleted
    }

    [Fact]
    public void A_file_whose_content_is_another_epoch_is_refused()
    {
        EpochSnapshotFiles.Write(_directory, MapTestData.Epoch1());
        File.Move(EpochSnapshotFiles.PathOf(_directory, 1), EpochSnapshotFiles.PathOf(_directory, 7));

        var loaded = EpochSnapshotFiles.LoadAll(_directory);

        Assert.Empty(loaded.Snapshots);
        Assert.Contains("holds epoch 1, not 7", Assert.Single(loaded.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_directory_has_no_snapshots()
    {
        var loaded = EpochSnapshotFiles.LoadAll(Path.Combine(_directory, "absent"));
        Assert.Empty(loaded.Snapshots);
        Assert.Empty(loaded.Problems);
    }

    private static void AssertSame(EpochSnapshot expected, EpochSnapshot actual)
    {
        Assert.Equal(expected.Info, actual.Info);
        Assert.Equal(expected.Cells, actual.Cells);
        Assert.Equal(expected.Links, actual.Links);
        Assert.Equal(expected.Hotspots.Count, actual.Hotspots.Count);
        foreach (var (e, a) in expected.Hotspots.Zip(actual.Hotspots))
        {
            Assert.Equal((e.Address, e.Cell, e.Reward, e.Penalised), (a.Address, a.Cell, a.Reward, a.Penalised));
            Assert.Equal(e.Reasons, a.Reasons);
        }
    }
}
