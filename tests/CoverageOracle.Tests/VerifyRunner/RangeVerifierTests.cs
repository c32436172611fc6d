using DePin.Wireless.Core.Physics;
using DePin.Wireless.CoverageOracle.Registry;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.CoverageOracle.VerifyRunner;

namespace DePin.Wireless.CoverageOracle.Tests.VerifyRunner;

/// <summary>Verifying a range in chunks gives the same verdicts as one window, with outputs per chunk.</summary>
public class RangeVerifierTests
{
    private static readonly DateTimeOffset From = StoredWorld.T0;
    private static readonly DateTimeOffset To = StoredWorld.T0 + TimeSpan.FromMinutes(30);

    [Fact]
    public async Task Chunks_give_the_verdicts_of_a_single_window()
    {
        await using var world = new StoredWorld();
        var a = world.Add("a", StoredWorld.Origin);
        var b = world.Add("b", GreatCircle.Destination(StoredWorld.Origin, 90, 2000));
        var c = world.Add("c", GreatCircle.Destination(StoredWorld.Origin, 0, 50));
        await world.WriteEntropyAsync();
        // Beacons in different 2-minute chunks (within the entropy's 180 s); the first is heard after its chunk ends.
        // StoredWorld gives both beacons the same payload, so each joins the other's witnesses too (self, late, valid).
        var dataA = await world.WriteBeaconAsync(a, TimeSpan.FromSeconds(119));
        await world.WriteWitnessAsync(b, dataA, TimeSpan.FromSeconds(121));
        await world.WriteWitnessAsync(c, dataA, TimeSpan.FromSeconds(121.5));
        var dataB = await world.WriteBeaconAsync(b, TimeSpan.FromSeconds(170));
        await world.WriteWitnessAsync(a, dataB, TimeSpan.FromSeconds(171));
        var snapshot = await RegistryFile.LoadAsync(await world.WriteRegistryAsync(), default);
        await world.FlushAsync();
        var view = new RegistryView(await snapshot.Registry.ListAsync(), snapshot.Denylist, snapshot.DeniedEdges);

        async Task<RangeSummary> RunAsync(string output, TimeSpan chunk)
        {
            var history = new PocHistory();
            HistorySeeding.BootstrapReciprocity(history, view.Hotspots, From - TimeSpan.FromHours(1));
            return await new RangeVerifier(new VerifierOptions(), TimeSpan.FromMinutes(5), chunk)
                .VerifyAsync(world.Reports, Path.Combine(world.Directory, output), From, To, view, history, null, default);
        }

        var whole = await RunAsync("whole", TimeSpan.FromMinutes(60));
        var chunked = await RunAsync("chunked", TimeSpan.FromMinutes(2));

        Assert.Equal(3, whole.Files.Count);
        Assert.Equal(45, chunked.Files.Count); // fifteen chunks of three output files
        Assert.Equal(2, whole.Beacons);
        Assert.Equal(2, whole.ValidPocs);
        Assert.Contains(InvalidReason.BelowMinDistance, whole.InvalidWitnesses.Keys);
        Assert.Equal((whole.Beacons, whole.ValidPocs, whole.Witnesses, whole.SelectedWitnesses), (chunked.Beacons, chunked.ValidPocs, chunked.Witnesses, chunked.SelectedWitnesses));
        Assert.Equal(whole.InvalidWitnesses, chunked.InvalidWitnesses);
        Assert.Equal(whole.InvalidBeacons, chunked.InvalidBeacons);
    }

    [Fact]
    public async Task Empty_or_reversed_ranges_and_bad_chunks_are_refused()
    {
        var view = new RegistryView([], new HashSet<string>(), new HashSet<(string, string)>());
        await Assert.ThrowsAsync<ArgumentException>(() => new RangeVerifier(new VerifierOptions(), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(60)).VerifyAsync("/nonexistent", "/tmp", To, From, view, new PocHistory(), null, default));
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => new RangeVerifier(new VerifierOptions(), TimeSpan.FromMinutes(5), TimeSpan.Zero).VerifyAsync("/nonexistent", "/tmp", From, To, view, new PocHistory(), null, default));
        Assert.Contains("--chunk-minutes", ex.Message, StringComparison.Ordinal);
    }
}
