using DePin.Wireless.CoverageOracle.Tests.Registry;
using DePin.Wireless.CoverageOracle.Tests.Verification;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.CoverageOracle.VerifyRunner;
using DePin.Wireless.TestSupport;
using Npgsql;

namespace DePin.Wireless.CoverageOracle.Tests.VerifyRunner;

/// <summary>What every verified store must do; run against each implementation.</summary>
public abstract class VerifiedStoreContract
{
    protected abstract Task<IVerifiedStore> CreateAsync();

    /// <summary>One valid PoC (witness "w" valid and selected, "near" below min distance) and one denied beacon.</summary>
    private static IReadOnlyList<PocResult> Results()
    {
        var s = new PocScenario();
        s.AddHotspot("w", PocScenario.At(90, 2000));
        s.AddHotspot("near", PocScenario.At(0, 30));
        s.MakeReciprocal("beaconer", "w", "near");
        var beacon = s.Beacon(TimeSpan.FromSeconds(10));
        var good = s.Verifier().Verify(beacon, [PocScenario.Witness(beacon, "w", TimeSpan.FromMilliseconds(300)), PocScenario.Witness(beacon, "near", TimeSpan.FromMilliseconds(200))]);
        s.AddHotspot("b2", PocScenario.At(180, 5000));
        s.Denied.Add("b2");
        var denied = s.Verifier().Verify(s.Beacon(TimeSpan.FromSeconds(20), "b2"), []);
        return [good, denied];
    }

    private static readonly DateTimeOffset From = PocScenario.EntropyTime;
    private static readonly DateTimeOffset To = PocScenario.EntropyTime + TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Saves_beacons_and_witnesses_with_reasons()
    {
        var store = await CreateAsync();
        await store.SaveAsync(Results());
        var beacons = await store.BeaconsAsync(From, To);
        Assert.Equal([("beaconer", (string?)null, 1), ("b2", InvalidReason.Denied, 0)], beacons.Select(b => (b.Beaconer, b.InvalidReason, b.SelectedWitnesses)));
        var witnesses = await store.WitnessesAsync(From, To);
        Assert.Equal([("near", InvalidReason.BelowMinDistance, false), ("w", (string?)null, true)], witnesses.Select(w => (w.Witness, w.InvalidReason, w.Selected)));
        Assert.Equal(-1000, witnesses[1].SignalDeciDbm);
    }

    [Fact]
    public async Task Saving_a_window_again_replaces_it()
    {
        var store = await CreateAsync();
        await store.SaveAsync(Results());
        await store.SaveAsync(Results());
        Assert.Equal(2, (await store.BeaconsAsync(From, To)).Count);
        Assert.Equal(2, (await store.WitnessesAsync(From, To)).Count);
    }

    [Fact]
    public async Task Queries_are_bounded_by_the_beacon_receive_time()
    {
        var store = await CreateAsync();
        await store.SaveAsync(Results());
        var firstBeacon = From + TimeSpan.FromSeconds(10);
        Assert.Single(await store.BeaconsAsync(From, firstBeacon + TimeSpan.FromMilliseconds(1)));
        Assert.Empty(await store.BeaconsAsync(From, firstBeacon));
        Assert.Empty(await store.WitnessesAsync(firstBeacon + TimeSpan.FromMilliseconds(1), To));
    }
}

public sealed class InMemoryVerifiedStoreTests : VerifiedStoreContract
{
    protected override Task<IVerifiedStore> CreateAsync() => Task.FromResult<IVerifiedStore>(new InMemoryVerifiedStore());
}

[Collection("postgres")]
public sealed class PostgresVerifiedStoreTests(PostgresFixture pg) : VerifiedStoreContract
{
    protected override async Task<IVerifiedStore> CreateAsync()
    {
        var store = new PostgresVerifiedStore(NpgsqlDataSource.Create(await pg.Server.CreateDatabaseAsync("verified")));
        await store.MigrateAsync();
        await store.MigrateAsync(); // idempotent
        return store;
    }
}
