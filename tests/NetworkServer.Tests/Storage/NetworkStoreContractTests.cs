using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.NetworkServer.Storage;
using DePin.Wireless.TestSupport;

namespace DePin.Wireless.NetworkServer.Tests.Storage;

/// <summary>One contract, run against every <see cref="INetworkStore"/> implementation.</summary>
public abstract class NetworkStoreContractTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly AppId App = AppId.Parse("app-1");
    private static readonly Eui64 DevEui = Eui64.Parse("0102030405060708");
    private static readonly AesKey Key = AesKey.Parse("2b7e151628aed2a6abf7158809cf4f3c");

    protected abstract Task<INetworkStore> CreateStoreAsync();

    private async Task<INetworkStore> WithDeviceAsync()
    {
        var store = await CreateStoreAsync();
        await store.AddApplicationAsync(new Application(App, "first app"), Ct);
        await store.AddDeviceAsync(new Device(DevEui, App, Eui64.Parse("70b3d57ed0000000"), Key, "EU868") { Name = "dev" }, Ct);
        return store;
    }

    private static DeviceSession Session(uint devAddr = 0x48000001) => new(DevEui, new DevAddr(devAddr), Key, AesKey.Parse("000102030405060708090a0b0c0d0e0f"));

    [Fact]
    public async Task Applications_and_devices_round_trip_and_duplicates_are_refused_naming_the_field()
    {
        var store = await WithDeviceAsync();
        Assert.Equal("first app", (await store.GetApplicationAsync(App, Ct))!.Name);
        var device = await store.GetDeviceAsync(DevEui, Ct);
        Assert.Equal((DevEui, App, Key, "EU868", "dev", false), (device!.DevEui, device.ApplicationId, device.AppKey, device.Region, device.Name, device.IsAbp));
        Assert.Equal("id", (await Assert.ThrowsAsync<NetworkStoreException>(() => store.AddApplicationAsync(new Application(App, "x"), Ct))).Field);
        Assert.Equal("dev-eui", (await Assert.ThrowsAsync<NetworkStoreException>(() => store.AddDeviceAsync(device, Ct))).Field);
        Assert.Equal("app", (await Assert.ThrowsAsync<NetworkStoreException>(() => store.AddDeviceAsync(device with { DevEui = new Eui64(9), ApplicationId = AppId.Parse("nope") }, Ct))).Field);
        Assert.Single(await store.ListDevicesAsync(App, Ct));
        Assert.Empty(await store.ListDevicesAsync(AppId.Parse("other"), Ct));
    }

    [Fact]
    public async Task Removing_a_device_removes_its_session_and_queue()
    {
        var store = await WithDeviceAsync();
        await store.SaveSessionAsync(Session(), Ct);
        await store.EnqueueDownlinkAsync(new QueuedDownlink(Guid.NewGuid(), DevEui, 1, [1], false), Ct);
        Assert.True(await store.RemoveDeviceAsync(DevEui, Ct));
        Assert.False(await store.RemoveDeviceAsync(DevEui, Ct));
        Assert.Null(await store.GetSessionAsync(DevEui, Ct));
        Assert.Empty(await store.GetSessionsByDevAddrAsync(new DevAddr(0x48000001), Ct));
    }

    [Fact]
    public async Task Sessions_are_found_by_devaddr_and_replaced_on_rejoin()
    {
        var store = await WithDeviceAsync();
        await store.SaveSessionAsync(Session(0x48000001) with { RxDelaySeconds = 2, Rx2DataRate = 3 }, Ct);
        await store.SaveSessionAsync(Session(0x48000002) with { RxDelaySeconds = 1 }, Ct);
        Assert.Empty(await store.GetSessionsByDevAddrAsync(new DevAddr(0x48000001), Ct));
        var found = Assert.Single(await store.GetSessionsByDevAddrAsync(new DevAddr(0x48000002), Ct));
        Assert.Equal((DevEui, (uint?)null, 0u, 1), (found.DevEui, found.FCntUp, found.NextFCntDown, found.RxDelaySeconds));
    }

    [Fact]
    public async Task FCnt_up_only_advances_and_counters_down_and_join_nonces_increase()
    {
        var store = await WithDeviceAsync();
        await store.SaveSessionAsync(Session(), Ct);
        Assert.True(await store.TryAdvanceFCntUpAsync(DevEui, 0, Ct));
        Assert.False(await store.TryAdvanceFCntUpAsync(DevEui, 0, Ct));
        Assert.True(await store.TryAdvanceFCntUpAsync(DevEui, 70000, Ct));
        Assert.False(await store.TryAdvanceFCntUpAsync(DevEui, 69999, Ct));
        Assert.Equal(70000u, (await store.GetSessionAsync(DevEui, Ct))!.FCntUp);
        var down = new List<uint> { await store.AllocateFCntDownAsync(DevEui, Ct), await store.AllocateFCntDownAsync(DevEui, Ct), await store.AllocateFCntDownAsync(DevEui, Ct) };
        Assert.Equal([0u, 1u, 2u], down);
        var joinNonces = new List<uint> { await store.AllocateJoinNonceAsync(DevEui, Ct), await store.AllocateJoinNonceAsync(DevEui, Ct) };
        Assert.Equal([0u, 1u], joinNonces);
    }

    [Fact]
    public async Task Parallel_duplicates_of_one_frame_counter_cannot_both_pass()
    {
        var store = await WithDeviceAsync();
        await store.SaveSessionAsync(Session(), Ct);
        for (uint fCnt = 1; fCnt <= 5; fCnt++)
        {
            var attempts = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.TryAdvanceFCntUpAsync(DevEui, fCnt, Ct))));
            Assert.Equal(1, attempts.Count(passed => passed));
        }

        var nonces = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.TryRecordDevNonceAsync(DevEui, 42, Ct))));
        Assert.Equal(1, nonces.Count(passed => passed));
        var downCounters = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.AllocateFCntDownAsync(DevEui, Ct))));
        Assert.Equal(16, downCounters.Distinct().Count());
    }

    [Fact]
    public async Task DevNonces_are_remembered_per_device()
    {
        var store = await WithDeviceAsync();
        await store.AddDeviceAsync(new Device(new Eui64(0xAA), App, new Eui64(1), Key, "EU868"), Ct);
        Assert.True(await store.TryRecordDevNonceAsync(DevEui, 7, Ct));
        Assert.False(await store.TryRecordDevNonceAsync(DevEui, 7, Ct));
        Assert.True(await store.TryRecordDevNonceAsync(new Eui64(0xAA), 7, Ct));
    }

    [Fact]
    public async Task Downlink_queue_is_first_in_first_out()
    {
        var store = await WithDeviceAsync();
        var first = new QueuedDownlink(Guid.NewGuid(), DevEui, 10, [1, 2], true);
        var second = new QueuedDownlink(Guid.NewGuid(), DevEui, 11, [3], false);
        await store.EnqueueDownlinkAsync(first, Ct);
        await store.EnqueueDownlinkAsync(second, Ct);
        var a = await store.DequeueDownlinkAsync(DevEui, Ct);
        var b = await store.DequeueDownlinkAsync(DevEui, Ct);
        Assert.Equal((first.Id, (byte)10, true), (a!.Id, a.FPort, a.Confirmed));
        Assert.Equal([1, 2], a.Data);
        Assert.Equal(second.Id, b!.Id);
        Assert.Null(await store.DequeueDownlinkAsync(DevEui, Ct));
        Assert.Equal("devEui", (await Assert.ThrowsAsync<NetworkStoreException>(() => store.EnqueueDownlinkAsync(first with { DevEui = new Eui64(5) }, Ct))).Field);
    }

    [Fact]
    public async Task Organisations_allocate_devaddrs_inside_their_range_and_overlaps_are_refused()
    {
        var store = await CreateStoreAsync();
        var org = new Organization(7, "payer", new InclusiveRange(0x48000000, 0x48000002), new InclusiveRange(0x70b3d57ed0000000, 0x70b3d57ed00fffff), 3);
        await store.AddOrganizationAsync(org, Ct);
        Assert.Equal(org, Assert.Single(await store.ListOrganizationsAsync(Ct)));
        var addresses = new List<uint>();
        for (var i = 0; i < 4; i++)
        {
            addresses.Add((await store.AllocateDevAddrAsync(7, Ct)).Value);
        }

        Assert.Equal([0x48000000u, 0x48000001u, 0x48000002u, 0x48000000u], addresses);
        Assert.Equal("devaddr-range", (await Assert.ThrowsAsync<NetworkStoreException>(() => store.AddOrganizationAsync(org with { Oui = 8, DevAddrRange = new InclusiveRange(0x48000002, 0x48000010) }, Ct))).Field);
        Assert.Equal("oui", (await Assert.ThrowsAsync<NetworkStoreException>(() => store.AddOrganizationAsync(org with { DevAddrRange = new InclusiveRange(1, 2) }, Ct))).Field);
        Assert.Equal("oui", (await Assert.ThrowsAsync<NetworkStoreException>(() => store.AllocateDevAddrAsync(99, Ct))).Field);
    }

    [Fact]
    public async Task Concurrent_fcnt_advances_of_many_devices_accept_each_counter_value_at_most_once()
    {
        var store = await WithDeviceAsync();
        var devices = Enumerable.Range(0, 40).Select(i => new Eui64(0x5000 + (ulong)i)).ToArray();
        foreach (var devEui in devices)
        {
            await store.AddDeviceAsync(new Device(devEui, App, Eui64.Parse("70b3d57ed0000000"), Key, "EU868"), Ct);
            await store.SaveSessionAsync(Session() with { DevEui = devEui }, Ct);
        }

        // Every counter 1..5 of every device submitted twice at once (parallel copies, replays and reordering).
        var attempts = devices.SelectMany(d => Enumerable.Range(1, 5).SelectMany(f => new[] { (d, (uint)f), (d, (uint)f) })).ToArray();
        var results = await Task.WhenAll(attempts.Select(a => Task.Run(async () => (a.d, a.Item2, Ok: await store.TryAdvanceFCntUpAsync(a.d, a.Item2, 2, Ct)))));

        foreach (var devEui in devices)
        {
            var accepted = results.Where(r => r.d == devEui && r.Ok).Select(r => r.Item2).ToArray();
            Assert.Equal(accepted.Length, accepted.Distinct().Count());
            Assert.Contains(5u, accepted);
            var session = (await store.GetSessionAsync(devEui, Ct))!;
            Assert.Equal((5u, 2), (session.FCntUp, session.LastUplinkDataRate));
        }
    }

    [Fact]
    public async Task Adr_state_survives_reopening_a_session_read_and_the_fcnt_advance_records_the_data_rate()
    {
        var store = await WithDeviceAsync();
        await store.SaveSessionAsync(Session(), Ct);
        var history = new[] { new AdrUplink(1, -7.25, 0), new AdrUplink(2, 3.5, 1), new AdrUplink(uint.MaxValue, -20, 5) };
        await store.SaveAdrStateAsync(DevEui, new AdrSessionState(2, 3, history, new AdrDecision(5, 2, 1)), Ct);
        Assert.True(await store.TryAdvanceFCntUpAsync(DevEui, 4, 3, Ct));
        Assert.True(await store.TryAdvanceFCntUpAsync(DevEui, 5, Ct));

        var read = (await store.GetSessionsByDevAddrAsync(new DevAddr(0x48000001), Ct)).Single();
        Assert.Equal(history, read.AdrHistory);
        Assert.Equal((2, 3, new AdrDecision(5, 2, 1), 3, 5u), (read.TxPowerIndex, read.NbTrans, read.PendingAdr, read.LastUplinkDataRate, read.FCntUp));

        await store.SaveAdrStateAsync(DevEui, new AdrSessionState(0, 1, [], null), Ct);
        var cleared = (await store.GetSessionAsync(DevEui, Ct))!;
        Assert.Equal((0, 1, 0, (AdrDecision?)null), (cleared.TxPowerIndex, cleared.NbTrans, cleared.AdrHistory.Count, cleared.PendingAdr));
    }

    [Fact]
    public async Task Pending_ack_is_taken_once_even_by_parallel_takers_and_expired_ones_are_swept()
    {
        var store = await WithDeviceAsync();
        await store.SaveSessionAsync(Session(), Ct);
        var sentAt = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        var pending = new PendingAck(Guid.NewGuid(), 17, sentAt);
        await store.SetPendingAckAsync(DevEui, pending, Ct);
        Assert.Equal(pending, (await store.GetSessionAsync(DevEui, Ct))!.PendingAck);

        var taken = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.TakePendingAckAsync(DevEui, Ct))));
        Assert.Equal(pending, Assert.Single(taken, t => t is not null));
        Assert.Null((await store.GetSessionAsync(DevEui, Ct))!.PendingAck);

        await store.SetPendingAckAsync(DevEui, pending, Ct);
        Assert.Empty(await store.TakeExpiredPendingAcksAsync(sentAt, Ct));
        Assert.Equal(new ExpiredAck(DevEui, pending), Assert.Single(await store.TakeExpiredPendingAcksAsync(sentAt.AddSeconds(1), Ct)));
        Assert.Empty(await store.TakeExpiredPendingAcksAsync(sentAt.AddSeconds(1), Ct));
        Assert.Equal("devEui", (await Assert.ThrowsAsync<NetworkStoreException>(() => store.SetPendingAckAsync(new Eui64(99), pending, Ct))).Field);
    }
}

public sealed class InMemoryNetworkStoreTests : NetworkStoreContractTests
{
    protected override Task<INetworkStore> CreateStoreAsync() => Task.FromResult<INetworkStore>(new InMemoryNetworkStore());
}

public sealed class PostgresNetworkStoreTests(PostgresFixture postgres) : NetworkStoreContractTests, IClassFixture<PostgresFixture>
{
    protected override async Task<INetworkStore> CreateStoreAsync() =>
        await PostgresNetworkStore.OpenAsync(await postgres.Server.CreateDatabaseAsync("ns"), CancellationToken.None);

    [Fact]
    public async Task Migrations_are_applied_once_and_reopening_keeps_the_data()
    {
        var connection = await postgres.Server.CreateDatabaseAsync("ns");
        await using (var first = await PostgresNetworkStore.OpenAsync(connection, CancellationToken.None))
        {
            await first.AddApplicationAsync(new Application(AppId.Parse("kept"), "kept"), CancellationToken.None);
        }

        await using var second = await PostgresNetworkStore.OpenAsync(connection, CancellationToken.None);
        Assert.NotNull(await second.GetApplicationAsync(AppId.Parse("kept"), CancellationToken.None));
    }
}
