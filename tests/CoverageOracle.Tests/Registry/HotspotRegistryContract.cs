using DePin.Wireless.CoverageOracle.Registry;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.TestSupport;
using Npgsql;

namespace DePin.Wireless.CoverageOracle.Tests.Registry;

/// <summary>What every registry must do; run against each implementation.</summary>
public abstract class HotspotRegistryContract
{
    // A resolution-12 H3 cell (San Francisco) and a resolution-9 one.
    private const ulong Res12Cell = 0x8c283082a3233ffUL;
    private const ulong Res9Cell = 0x89283082a33ffffUL;

    protected abstract Task<IHotspotRegistry> CreateAsync();

    private static HotspotOnboarding Onboarding(string id) => new(id, [1, 2, 3], "owner-1", "US915", HotspotCapability.Full);

    [Fact]
    public async Task Onboard_then_assert_then_read()
    {
        var r = await CreateAsync();
        Assert.True(await r.OnboardAsync(Onboarding("h1")));
        var before = await r.GetAsync("h1");
        Assert.NotNull(before);
        Assert.Null(before.Location);
        await r.AssertLocationAsync(new LocationAssertion("h1", Res12Cell, 45, 12));
        var after = await r.GetAsync("h1");
        Assert.Equal(new HotspotInfo("h1", Res12Cell, 45, 12, "US915", HotspotCapability.Full), after);
        Assert.Equal(new byte[] { 1, 2, 3 }, await r.GetPublicKeyAsync("h1"));
    }

    [Fact]
    public async Task Onboarding_twice_changes_nothing()
    {
        var r = await CreateAsync();
        Assert.True(await r.OnboardAsync(Onboarding("h1")));
        Assert.False(await r.OnboardAsync(Onboarding("h1") with { Owner = "thief", PublicKey = [9] }));
        Assert.Equal(new byte[] { 1, 2, 3 }, await r.GetPublicKeyAsync("h1"));
    }

    [Fact]
    public async Task Unknown_hotspots_are_reported_clearly()
    {
        var r = await CreateAsync();
        Assert.Null(await r.GetAsync("nope"));
        Assert.Null(await r.GetPublicKeyAsync("nope"));
        var ex = await Assert.ThrowsAsync<KeyNotFoundException>(() => r.AssertLocationAsync(new LocationAssertion("nope", Res12Cell, 0, 0)));
        Assert.Contains("nope", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_assertions_are_rejected_and_nothing_changes()
    {
        var r = await CreateAsync();
        await r.OnboardAsync(Onboarding("h1"));
        await Assert.ThrowsAsync<ArgumentException>(() => r.AssertLocationAsync(new LocationAssertion("h1", Res9Cell, 0, 0)));
        await Assert.ThrowsAsync<ArgumentException>(() => r.AssertLocationAsync(new LocationAssertion("h1", Res12Cell, 500, 0)));
        await Assert.ThrowsAsync<ArgumentException>(() => r.OnboardAsync(Onboarding("h2") with { PublicKey = [] }));
        Assert.Null((await r.GetAsync("h1"))!.Location);
        Assert.Null(await r.GetAsync("h2"));
    }

    [Fact]
    public async Task List_is_ordered_by_id()
    {
        var r = await CreateAsync();
        foreach (var id in new[] { "c", "a", "b" })
        {
            await r.OnboardAsync(Onboarding(id) with { Capability = id == "b" ? HotspotCapability.DataOnly : HotspotCapability.Full });
        }

        var all = await r.ListAsync();
        Assert.Equal(["a", "b", "c"], all.Select(h => h.Id));
        Assert.Equal(HotspotCapability.DataOnly, all[1].Capability);
    }
}

public sealed class InMemoryHotspotRegistryTests : HotspotRegistryContract
{
    protected override Task<IHotspotRegistry> CreateAsync() => Task.FromResult<IHotspotRegistry>(new InMemoryHotspotRegistry());
}

[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;

[Collection("postgres")]
public sealed class PostgresHotspotRegistryTests(PostgresFixture pg) : HotspotRegistryContract
{
    protected override async Task<IHotspotRegistry> CreateAsync()
    {
        var cs = await pg.Server.CreateDatabaseAsync("registry");
        var registry = new PostgresHotspotRegistry(NpgsqlDataSource.Create(cs));
        await registry.MigrateAsync();
        await registry.MigrateAsync(); // idempotent
        return registry;
    }
}
