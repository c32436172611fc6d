using DePin.Wireless.DataCredits.Evm;
using DePin.Wireless.DataCredits.Ledger;
using DePin.Wireless.TestSupport;
using Npgsql;

namespace DePin.Wireless.DataCredits.Tests.Ledger;

/// <summary>The behaviour every IDcLedger must have; run against the in-process and the PostgreSQL ledger.</summary>
public abstract class DcLedgerContractTests
{
    protected static readonly CancellationToken Ct = CancellationToken.None;

    protected abstract Task<IDcLedger> CreateAsync(LedgerOptions options);

    protected static PayerKey Payer(string name) => new(new Hash32(Keccak.Hash256("payer:" + name)));

    protected static Hash32 Packet(int i) => new(Keccak.Hash256("packet:" + i));

    private static BurnCredit Burn(string tx, ulong logIndex, PayerKey payer, long dc, ulong block = 10) =>
        new(new Hash32(Keccak.Hash256(tx)), logIndex, block, new Hash32(Keccak.Hash256("block" + block)), payer, dc * 1000, dc);

    private static SyncBatch Batch(IReadOnlyList<BurnCredit> credits, ulong block) =>
        new("0xtoken", credits, new SyncCheckpoint(block, new Hash32(Keccak.Hash256("block" + block))), [new SyncCheckpoint(block, new Hash32(Keccak.Hash256("block" + block)))]);

    [Fact]
    public async Task Burn_is_credited_once_per_tx_hash_and_log_index()
    {
        var ledger = await CreateAsync(new LedgerOptions());
        var payer = Payer("a");
        var first = await ledger.ApplySyncBatchAsync(Batch([Burn("tx1", 0, payer, 100), Burn("tx1", 1, payer, 50)], 10), Ct);
        Assert.Equal(2, first.Count);
        var again = await ledger.ApplySyncBatchAsync(Batch([Burn("tx1", 0, payer, 100), Burn("tx2", 0, payer, 7)], 11), Ct);
        Assert.Equal(7, Assert.Single(again).Dc);
        Assert.Equal(157, await ledger.GetBalanceAsync(payer, Ct));
        Assert.Equal(new SyncCheckpoint(11, new Hash32(Keccak.Hash256("block11"))), await ledger.GetCheckpointAsync("0xtoken", Ct));
    }

    [Fact]
    public async Task Recent_blocks_are_kept_newest_first_and_rewind_forgets_the_ones_above()
    {
        var ledger = await CreateAsync(new LedgerOptions { RecentBlocksKept = 3 });
        for (ulong b = 1; b <= 5; b++)
        {
            await ledger.ApplySyncBatchAsync(Batch([], b), Ct);
        }

        Assert.Equal([5UL, 4UL, 3UL], (await ledger.GetRecentBlocksAsync("0xtoken", Ct)).Select(b => b.BlockNumber));
        var fork = new SyncCheckpoint(3, new Hash32(Keccak.Hash256("block3")));
        await ledger.RewindAsync("0xtoken", fork, Ct);
        Assert.Equal(fork, await ledger.GetCheckpointAsync("0xtoken", Ct));
        Assert.Equal([3UL], (await ledger.GetRecentBlocksAsync("0xtoken", Ct)).Select(b => b.BlockNumber));
        await ledger.ClearCheckpointAsync("0xtoken", Ct);
        Assert.Null(await ledger.GetCheckpointAsync("0xtoken", Ct));
    }

    [Fact]
    public async Task Organisation_is_disabled_below_the_minimum_and_re_enabled_when_topped_up()
    {
        var ledger = await CreateAsync(new LedgerOptions());
        var payer = Payer("org");
        await ledger.UpsertOrganisationAsync(new Organisation(7, payer, 1, false), Ct);
        Assert.False((await ledger.GetOrganisationAsync(7, Ct))!.Enabled);
        Assert.Equal(ChargeOutcome.OrganisationDisabled, (await ledger.ChargeAsync(new PacketCharge(Packet(0), 7, "h1", 1, 0), Ct)).Outcome);

        await ledger.AddCreditAsync(payer, 3_500_001, Ct);
        Assert.True((await ledger.GetOrganisationAsync(7, Ct))!.Enabled);
        var charged = await ledger.ChargeAsync(new PacketCharge(Packet(1), 7, "h1", 1, 0), Ct);
        Assert.Equal(ChargeOutcome.Charged, charged.Outcome);
        Assert.Equal(3_500_000, charged.BalanceDc);
        Assert.True(charged.OrganisationEnabled);

        var lastValid = await ledger.ChargeAsync(new PacketCharge(Packet(2), 7, "h1", 2, 0), Ct);
        Assert.Equal(ChargeOutcome.Charged, lastValid.Outcome);
        Assert.False(lastValid.OrganisationEnabled);
        Assert.Equal(ChargeOutcome.OrganisationDisabled, (await ledger.ChargeAsync(new PacketCharge(Packet(3), 7, "h1", 1, 0), Ct)).Outcome);

        await ledger.AddCreditAsync(payer, 10, Ct);
        Assert.True((await ledger.GetOrganisationAsync(7, Ct))!.Enabled);
        Assert.Equal(ChargeOutcome.Charged, (await ledger.ChargeAsync(new PacketCharge(Packet(3), 7, "h1", 1, 0), Ct)).Outcome);
    }

    [Fact]
    public async Task Locked_and_unknown_organisations_are_not_charged()
    {
        var ledger = await CreateAsync(new LedgerOptions { MinimumBalanceDc = 0 });
        var payer = Payer("locked");
        await ledger.AddCreditAsync(payer, 100, Ct);
        await ledger.UpsertOrganisationAsync(new Organisation(8, payer, 1, Locked: true), Ct);
        Assert.Equal(ChargeOutcome.OrganisationDisabled, (await ledger.ChargeAsync(new PacketCharge(Packet(0), 8, "h", 1, 0), Ct)).Outcome);
        Assert.Equal(ChargeOutcome.UnknownOrganisation, (await ledger.ChargeAsync(new PacketCharge(Packet(0), 999, "h", 1, 0), Ct)).Outcome);
        Assert.Equal(100, await ledger.GetBalanceAsync(payer, Ct));
    }

    [Fact]
    public async Task Only_max_copies_of_a_packet_are_bought_and_retries_are_not_charged_twice()
    {
        var ledger = await CreateAsync(new LedgerOptions { MinimumBalanceDc = 0 });
        var payer = Payer("copies");
        await ledger.AddCreditAsync(payer, 100, Ct);
        await ledger.UpsertOrganisationAsync(new Organisation(9, payer, MaxCopies: 2, false), Ct);
        Assert.Equal(ChargeOutcome.Charged, (await ledger.ChargeAsync(new PacketCharge(Packet(0), 9, "h1", 3, 5), Ct)).Outcome);
        Assert.Equal(ChargeOutcome.DuplicateCopy, (await ledger.ChargeAsync(new PacketCharge(Packet(0), 9, "h1", 3, 5), Ct)).Outcome);
        Assert.Equal(ChargeOutcome.Charged, (await ledger.ChargeAsync(new PacketCharge(Packet(0), 9, "h2", 3, 5), Ct)).Outcome);
        Assert.Equal(ChargeOutcome.CopyLimitReached, (await ledger.ChargeAsync(new PacketCharge(Packet(0), 9, "h3", 3, 5), Ct)).Outcome);
        Assert.Equal(ChargeOutcome.Charged, (await ledger.ChargeAsync(new PacketCharge(Packet(1), 9, "h3", 3, 5), Ct)).Outcome);
        Assert.Equal(91, await ledger.GetBalanceAsync(payer, Ct));

        var shares = await ledger.GetDataTransferSharesAsync(5, Ct);
        Assert.Equal([new HotspotDataTransferShare("h1", 5, 3, 1), new HotspotDataTransferShare("h2", 5, 3, 1), new HotspotDataTransferShare("h3", 5, 3, 1)], shares);
        Assert.Empty(await ledger.GetDataTransferSharesAsync(6, Ct));
    }

    [Fact]
    public async Task Insufficient_balance_is_refused_without_charging()
    {
        var ledger = await CreateAsync(new LedgerOptions { MinimumBalanceDc = 0 });
        var payer = Payer("poor");
        await ledger.AddCreditAsync(payer, 2, Ct);
        await ledger.UpsertOrganisationAsync(new Organisation(10, payer, 1, false), Ct);
        var result = await ledger.ChargeAsync(new PacketCharge(Packet(0), 10, "h", 3, 0), Ct);
        Assert.Equal(ChargeOutcome.InsufficientBalance, result.Outcome);
        Assert.Equal(2, await ledger.GetBalanceAsync(payer, Ct));
        Assert.Empty(await ledger.GetDataTransferSharesAsync(0, Ct));
    }

    private static async Task<IDcLedger> SeededAsync(Func<LedgerOptions, Task<IDcLedger>> create)
    {
        var ledger = await create(new LedgerOptions { MinimumBalanceDc = 5 });
        await ledger.AddCreditAsync(Payer("batch-a"), 40, Ct);
        await ledger.AddCreditAsync(Payer("batch-b"), 9, Ct);
        await ledger.UpsertOrganisationAsync(new Organisation(21, Payer("batch-a"), 2, false), Ct);
        await ledger.UpsertOrganisationAsync(new Organisation(22, Payer("batch-b"), 1, false), Ct);
        await ledger.UpsertOrganisationAsync(new Organisation(23, Payer("batch-a"), 1, Locked: true), Ct);
        return ledger;
    }

    [Fact]
    public async Task Batch_charging_gives_the_same_results_as_charging_one_by_one()
    {
        var charges = new List<PacketCharge>();
        for (var i = 0; i < 12; i++)
        {
            charges.Add(new PacketCharge(Packet(i % 4), 21, "h" + (i % 3), 2, 1)); // duplicates and copy limits
            charges.Add(new PacketCharge(Packet(i), 22, "h0", 1 + (i % 3), 1)); // runs org 22 below its minimum
            charges.Add(new PacketCharge(Packet(i), 23, "h0", 1, 1)); // locked
            charges.Add(new PacketCharge(Packet(i), 99, "h0", 1, 1)); // unknown
        }

        charges.Insert(20, new PacketCharge(Packet(0), 21, "h0", 2, 1)); // a retry inside the batch
        charges.Add(new PacketCharge(Packet(1), 21, "h1", 2, 1)); // a retry in a later batch

        var oneByOne = await SeededAsync(CreateAsync);
        var expected = new List<ChargeResult>();
        foreach (var charge in charges)
        {
            expected.Add(await oneByOne.ChargeAsync(charge, Ct));
        }

        var batched = await SeededAsync(CreateAsync);
        var actual = new List<ChargeResult>();
        actual.AddRange(await batched.ChargeBatchAsync(charges.Take(17).ToList(), Ct));
        actual.AddRange(await batched.ChargeBatchAsync(charges.Skip(17).ToList(), Ct));

        Assert.Equal(expected, actual);
        Assert.Contains(expected, r => r.Outcome == ChargeOutcome.CopyLimitReached);
        Assert.Contains(expected, r => r.Outcome == ChargeOutcome.DuplicateCopy);
        Assert.Equal(await oneByOne.GetBalanceAsync(Payer("batch-a"), Ct), await batched.GetBalanceAsync(Payer("batch-a"), Ct));
        Assert.Equal(await oneByOne.GetBalanceAsync(Payer("batch-b"), Ct), await batched.GetBalanceAsync(Payer("batch-b"), Ct));
        Assert.Equal(await oneByOne.GetDataTransferSharesAsync(1, Ct), await batched.GetDataTransferSharesAsync(1, Ct));
    }

    [Fact]
    public async Task Concurrent_batches_never_overdraw()
    {
        var ledger = await CreateAsync(new LedgerOptions { MinimumBalanceDc = 0 });
        var payer = Payer("batch-race");
        await ledger.AddCreditAsync(payer, 300, Ct);
        await ledger.UpsertOrganisationAsync(new Organisation(31, payer, 2, false), Ct);
        var batches = Enumerable.Range(0, 20).Select(b => Enumerable.Range(0, 50)
            .Select(i => new PacketCharge(Packet(((b * 50) + i) % 400), 31, "h" + (b % 3), 1, 0)).ToList()).ToList();

        var results = (await Task.WhenAll(batches.Select(batch => Task.Run(() => ledger.ChargeBatchAsync(batch, Ct))))).SelectMany(r => r).ToList();

        Assert.Equal(300, results.Count(r => r.Outcome == ChargeOutcome.Charged));
        Assert.Equal(0, await ledger.GetBalanceAsync(payer, Ct));
        Assert.Equal(300, (await ledger.GetDataTransferSharesAsync(0, Ct)).Sum(s => s.Dc));
    }

    [Fact]
    public async Task Concurrent_charges_never_overdraw()
    {
        var ledger = await CreateAsync(new LedgerOptions { MinimumBalanceDc = 0 });
        var payer = Payer("race");
        await ledger.AddCreditAsync(payer, 150, Ct);
        await ledger.UpsertOrganisationAsync(new Organisation(11, payer, 3, false), Ct);
        await ledger.UpsertOrganisationAsync(new Organisation(12, payer, 1, false), Ct);

        // 400 attempts: 100 packets × 3 hotspots for org 11 plus 100 packets for org 12, all racing.
        var attempts = Enumerable.Range(0, 100).SelectMany(p => new[]
        {
            new PacketCharge(Packet(p), 11, "h1", 1, 0), new PacketCharge(Packet(p), 11, "h2", 1, 0),
            new PacketCharge(Packet(p), 11, "h3", 1, 0), new PacketCharge(Packet(p), 12, "h1", 1, 0),
        }).ToList();
        var results = await Task.WhenAll(attempts.Select(a => Task.Run(() => ledger.ChargeAsync(a, Ct))));

        Assert.Equal(150, results.Count(r => r.Outcome == ChargeOutcome.Charged));
        Assert.Equal(0, await ledger.GetBalanceAsync(payer, Ct));
        var shares = await ledger.GetDataTransferSharesAsync(0, Ct);
        Assert.Equal(150, shares.Sum(s => s.Dc));
    }
}

public sealed class InProcessDcLedgerTests : DcLedgerContractTests
{
    protected override Task<IDcLedger> CreateAsync(LedgerOptions options) => Task.FromResult<IDcLedger>(new InProcessDcLedger(options));
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "DataCredits PostgreSQL";
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresDcLedgerTests : DcLedgerContractTests, IAsyncLifetime
{
    private readonly PostgresFixture _postgres;
    private readonly List<NpgsqlDataSource> _sources = [];

    public PostgresDcLedgerTests(PostgresFixture postgres)
    {
        _postgres = postgres;
    }

    protected override async Task<IDcLedger> CreateAsync(LedgerOptions options)
    {
        var source = NpgsqlDataSource.Create(await _postgres.Server.CreateDatabaseAsync("dc"));
        _sources.Add(source);
        var ledger = new PostgresDcLedger(source, options);
        await ledger.InitializeAsync(Ct);
        await ledger.InitializeAsync(Ct); // migrations are idempotent
        return ledger;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var source in _sources)
        {
            await source.DisposeAsync();
        }
    }
}
