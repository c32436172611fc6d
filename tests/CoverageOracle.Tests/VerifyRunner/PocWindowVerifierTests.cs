using DePin.Wireless.Core.Physics;
using DePin.Wireless.CoverageOracle.Storage;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.CoverageOracle.VerifyRunner;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.Tests.VerifyRunner;

public class PocWindowVerifierTests
{
    private static readonly DateTimeOffset From = StoredWorld.T0;
    private static readonly DateTimeOffset To = StoredWorld.T0 + TimeSpan.FromMinutes(30);

    private static async Task<(StoredWorld World, RegistryView View)> WorldWithOnePocAsync()
    {
        var world = new StoredWorld();
        var beaconer = world.Add("beaconer", StoredWorld.Origin);
        var near = world.Add("w-2km", GreatCircle.Destination(StoredWorld.Origin, 90, 2000));
        var tooClose = world.Add("w-50m", GreatCircle.Destination(StoredWorld.Origin, 0, 50));
        await world.WriteEntropyAsync();
        var data = await world.WriteBeaconAsync(beaconer, TimeSpan.FromSeconds(20));
        await world.WriteWitnessAsync(near, data, TimeSpan.FromSeconds(20.3));
        await world.WriteWitnessAsync(tooClose, data, TimeSpan.FromSeconds(20.2));
        await world.WriteWitnessAsync(beaconer, data, TimeSpan.FromSeconds(20.1)); // self-witness: dropped
        var file = await world.WriteRegistryAsync();
        await world.FlushAsync();
        var snapshot = await DePin.Wireless.CoverageOracle.Registry.RegistryFile.LoadAsync(file, default);
        return (world, new RegistryView(await snapshot.Registry.ListAsync(), snapshot.Denylist, snapshot.DeniedEdges));
    }

    private static WindowVerification Run(StoredWorld world, RegistryView view)
    {
        var history = new PocHistory();
        HistorySeeding.BootstrapReciprocity(history, view.Hotspots, From - TimeSpan.FromHours(1));
        return new PocWindowVerifier(new VerifierOptions(), TimeSpan.FromMinutes(5)).Verify(world.Reports, From, To, view, history);
    }

    [Fact]
    public async Task Stored_beacon_joins_its_witnesses_and_verifies()
    {
        var (world, view) = await WorldWithOnePocAsync();
        await using var _ = world;
        var result = Run(world, view);
        var poc = Assert.Single(result.Pocs);
        var witness = Assert.Single(poc.Witnesses);
        Assert.True(witness.Selected);
        var invalid = Assert.Single(result.InvalidWitnesses);
        Assert.Equal(InvalidReason.BelowMinDistance, invalid.Reason);
        Assert.Empty(result.InvalidBeacons);
    }

    [Fact]
    public async Task Without_history_reciprocity_fails_the_beacon_and_its_witnesses()
    {
        var (world, view) = await WorldWithOnePocAsync();
        await using var _ = world;
        var result = new PocWindowVerifier(new VerifierOptions(), TimeSpan.FromMinutes(5)).Verify(world.Reports, From, To, view, new PocHistory());
        Assert.Equal(InvalidReason.GatewayNoValidWitnesses, Assert.Single(result.InvalidBeacons).Reason);
        Assert.All(result.InvalidWitnesses, w => Assert.Equal(InvalidReason.GatewayNoValidWitnesses, w.Reason));
        Assert.Equal(2, result.InvalidWitnesses.Count);
    }

    [Fact]
    public async Task Same_files_give_byte_identical_outputs()
    {
        var (world, view) = await WorldWithOnePocAsync();
        await using var _ = world;
        var a = VerifiedOutputFiles.Write(Path.Combine(world.Directory, "a"), From, Run(world, view));
        var b = VerifiedOutputFiles.Write(Path.Combine(world.Directory, "b"), From, Run(world, view));
        Assert.Equal(a.Select(Path.GetFileName), b.Select(Path.GetFileName));
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(await File.ReadAllBytesAsync(a[i]), await File.ReadAllBytesAsync(b[i]));
        }

        var pocs = ReportFileStore.ReadFile(a[0], VerifiedPoc.Parser, out var torn);
        Assert.False(torn);
        Assert.Single(pocs);
    }

    [Fact]
    public async Task Prior_outputs_seed_the_schedule_so_a_second_beacon_in_the_bucket_is_irregular()
    {
        var (world, view) = await WorldWithOnePocAsync();
        await using var _ = world;
        var outDir = Path.Combine(world.Directory, "out");
        VerifiedOutputFiles.Write(outDir, From, Run(world, view));
        var history = HistorySeeding.FromPriorOutputs(outDir, To, new VerifierOptions(), TimeSpan.FromMinutes(5));
        Assert.Equal(BeaconChecks.Bucket(From, TimeSpan.FromHours(6)), history.LastBeaconBucket(view.Hotspots.Single(h => h.Id == Assert.Single(Run(world, view).Pocs).Beaconer).Id));
    }

    [Fact]
    public void Window_end_must_follow_its_start() =>
        Assert.Throws<ArgumentException>(() => new PocWindowVerifier(new VerifierOptions(), TimeSpan.FromMinutes(5))
            .Verify("/nonexistent", To, From, new RegistryView([], new HashSet<string>(), new HashSet<(string, string)>()), new PocHistory()));
}
