using DePin.Wireless.Core.Physics;
using DePin.Wireless.CoverageOracle.Adapters;
using DePin.Wireless.CoverageOracle.Coverage;
using DePin.Wireless.CoverageOracle.Density;
using DePin.Wireless.CoverageOracle.Map;
using DePin.Wireless.CoverageOracle.Registry;
using DePin.Wireless.CoverageOracle.Rewards;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.CoverageOracle.VerifyRunner;
using DePin.Wireless.TestSupport;

namespace DePin.Wireless.CoverageOracle.Tests.VerifyRunner;

/// <summary>serve's verify → epoch close → map steps on a manual clock, including restart and a failed close.</summary>
public class ContinuousVerifierTests
{
    private static readonly RewardEpoch Epoch = new((long)(StoredWorld.T0 - DateTimeOffset.UnixEpoch).TotalDays);

    [Fact]
    public async Task Settled_windows_are_verified_once_and_a_failed_close_is_retried_after_a_restart()
    {
        await using var world = new StoredWorld();
        var beaconer = world.Add("beaconer", StoredWorld.Origin);
        var witness = world.Add("witness", GreatCircle.Destination(StoredWorld.Origin, 90, 2000));
        await world.WriteEntropyAsync();
        var data = await world.WriteBeaconAsync(beaconer, TimeSpan.FromSeconds(20));
        await world.WriteWitnessAsync(witness, data, TimeSpan.FromSeconds(20.5));
        var snapshot = await RegistryFile.LoadAsync(await world.WriteRegistryAsync(), default);
        await world.FlushAsync();
        var view = new RegistryView(await snapshot.Registry.ListAsync(), snapshot.Denylist, snapshot.DeniedEdges);

        var time = new ManualTimeProvider(StoredWorld.T0 + TimeSpan.FromMinutes(1));
        var map = new InMemoryCoverageSource();
        var dataCreditsUp = false;
        ContinuousVerifier Create() => new(
            new ContinuousVerifierOptions { BootstrapReciprocity = true, EpochEmission = 1000 },
            new VerifierOptions(),
            world.Reports,
            _ => Task.FromResult(view),
            (_, _) => dataCreditsUp ? Task.FromResult<IReadOnlyDictionary<string, ulong>>(new Dictionary<string, ulong>()) : throw new HttpRequestException("DataCredits down"),
            new EpochCloser(new HexDensityCalculator(new H3HexHierarchy(), new HexDensityOptions()), new CoverageScorer(new CoverageScoreOptions()), new RewardPoolOptions()),
            map,
            time);

        var verifier = Create();
        Assert.Equal(StoredWorld.T0, verifier.NextWindow);
        Assert.Empty(await verifier.StepAsync(default)); // the first window has not settled yet

        time.SetUtcNow(StoredWorld.T0 + TimeSpan.FromMinutes(5) + new ContinuousVerifierOptions().Settle);
        var first = Assert.Single(await verifier.StepAsync(default));
        Assert.Single(first.Result.Pocs);
        Assert.Null(first.ClosedEpoch);

        // The epoch's last window is verified, but its close fails: nothing published, the close stays pending.
        time.SetUtcNow(Epoch.End + TimeSpan.FromMinutes(10));
        await Assert.ThrowsAsync<HttpRequestException>(() => verifier.StepAsync(default));
        Assert.Empty(map.Epochs());

        // A restart resumes after the last verified window (the windows are not verified twice) and retries the close.
        dataCreditsUp = true;
        var restarted = Create();
        Assert.Equal(Epoch.End, restarted.NextWindow);
        var steps = await restarted.StepAsync(default);
        Assert.Single(steps); // [end, end + 5 min) only
        Assert.Equal(Epoch.Number, steps[0].ClosedEpoch!.Epoch.Number);
        var published = map.Get(Epoch.Number)!;
        Assert.Equal(1000, published.Hotspots.Sum(h => (long)h.Reward));
        Assert.Single(published.Links);

        // Another restart, with an empty map as a new process has: the closed epoch is served again from disk.
        map = new InMemoryCoverageSource();
        var again = Create();
        Assert.Empty(again.RestorePublishedEpochs());
        var restored = map.Get(Epoch.Number)!;
        Assert.Equal(published.Hotspots.Select(h => (h.Address, h.Reward)), restored.Hotspots.Select(h => (h.Address, h.Reward)));
        Assert.Equal(published.Links, restored.Links);
        Assert.Equal(published.Cells, restored.Cells);
    }
}
