using System.Numerics;
using DePin.Wireless.DataCredits.Evm;
using DePin.Wireless.DataCredits.Ledger;
using DePin.Wireless.DataCredits.Sync;
using DePin.Wireless.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePin.Wireless.DataCredits.Tests.Sync;

/// <summary>Burn sync against a real ganache node; re-orgs are made with evm_snapshot / evm_revert.</summary>
public sealed class BurnSyncerGanacheTests : IClassFixture<GanacheFixture>, IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private readonly GanacheServer _ganache;
    private JsonRpcEvmClient _client = null!;
    private TransactionSender _owner = null!;
    private DataCreditsTokenContract _token = null!;

    public BurnSyncerGanacheTests(GanacheFixture ganache)
    {
        _ganache = ganache.Server;
    }

    public async Task InitializeAsync()
    {
        _client = new JsonRpcEvmClient(_http, _ganache.Endpoint);
        _owner = new TransactionSender(_client, EthKey.Parse(GanacheServer.DeterministicPrivateKeys[0]), new TransactionSenderOptions(), TimeProvider.System);
        _token = await DataCreditsTokenContract.DeployAsync(_client, _owner, BigInteger.Pow(10, 16), Ct);
    }

    public Task DisposeAsync()
    {
        _http.Dispose();
        return Task.CompletedTask;
    }

    private static PayerKey Payer(string name) => new(new Hash32(Keccak.Hash256(name)));

    private BurnSyncer Syncer(IDcLedger ledger, int confirmations) =>
        new(_client, _token.Address, ledger, new DcConversion(1m), new BurnSyncOptions { Confirmations = confirmations, MaxBlocksPerStep = 3, LogPageSize = 2 }, NullLogger.Instance);

    private async Task MineAsync(int blocks)
    {
        for (var i = 0; i < blocks; i++)
        {
            await _client.RequestAsync("evm_mine", [], Ct);
        }
    }

    [Fact]
    public async Task Credits_after_confirmations_exactly_once_across_restarts()
    {
        var ledger = new InProcessDcLedger(new LedgerOptions());
        var payer = Payer("alice");
        await _token.BurnAsync(_owner, payer.Value, 2_00000000, Ct); // 2 tokens at $1 = 200,000 DC
        await _token.BurnAsync(_owner, payer.Value, 1000, Ct); // 1 DC

        Assert.Empty(await Syncer(ledger, confirmations: 4).CatchUpAsync(Ct));
        Assert.Equal(0, await ledger.GetBalanceAsync(payer, Ct));

        await MineAsync(2);
        var credited = await Syncer(ledger, confirmations: 4).CatchUpAsync(Ct);
        Assert.Single(credited);
        Assert.Equal(200_000, await ledger.GetBalanceAsync(payer, Ct));

        await MineAsync(1);
        Assert.Single(await Syncer(ledger, confirmations: 4).CatchUpAsync(Ct));
        Assert.Equal(200_001, await ledger.GetBalanceAsync(payer, Ct));

        // A restarted syncer with a lost checkpoint rescans everything and credits nothing twice.
        await ledger.ClearCheckpointAsync(_token.Address.ToString().ToLowerInvariant(), Ct);
        Assert.Empty(await Syncer(ledger, confirmations: 4).CatchUpAsync(Ct));
        Assert.Equal(200_001, await ledger.GetBalanceAsync(payer, Ct));
    }

    [Fact]
    public async Task A_burn_removed_by_a_reorg_before_confirmation_is_never_credited()
    {
        var ledger = new InProcessDcLedger(new LedgerOptions());
        var payer = Payer("bob");
        var snapshot = (await _client.RequestAsync("evm_snapshot", [], Ct)).GetString();
        await _token.BurnAsync(_owner, payer.Value, 5_00000000, Ct);
        await MineAsync(1);
        var syncer = Syncer(ledger, confirmations: 3);
        Assert.Empty(await syncer.CatchUpAsync(Ct));

        Assert.True((await _client.RequestAsync("evm_revert", [snapshot], Ct)).GetBoolean());
        await _owner.ResetNonceAsync(Ct);
        await _token.TransferAsync(_owner, EthKey.Parse(GanacheServer.DeterministicPrivateKeys[1]).Address, 1, Ct);
        await MineAsync(5);
        Assert.Empty(await syncer.CatchUpAsync(Ct));
        Assert.Equal(0, await ledger.GetBalanceAsync(payer, Ct));
    }

    [Fact]
    public async Task Checkpoint_on_an_orphaned_block_rewinds_to_the_fork_point_and_follows_the_new_chain()
    {
        var ledger = new InProcessDcLedger(new LedgerOptions());
        var payer = Payer("carol");
        await MineAsync(2);
        var forkPoint = await _client.GetBlockNumberAsync(Ct);
        var syncer = Syncer(ledger, confirmations: 1);
        await syncer.CatchUpAsync(Ct);
        var snapshot = (await _client.RequestAsync("evm_snapshot", [], Ct)).GetString();

        await _token.TransferAsync(_owner, EthKey.Parse(GanacheServer.DeterministicPrivateKeys[2]).Address, 5, Ct);
        await MineAsync(2);
        await syncer.CatchUpAsync(Ct);
        var orphan = await ledger.GetCheckpointAsync(syncer.Source, Ct);
        Assert.True(orphan!.BlockNumber > forkPoint);

        Assert.True((await _client.RequestAsync("evm_revert", [snapshot], Ct)).GetBoolean());
        await _owner.ResetNonceAsync(Ct);
        await _token.BurnAsync(_owner, payer.Value, 3_00000000, Ct);
        await MineAsync(3);

        var first = await syncer.StepAsync(Ct);
        Assert.Equal(SyncStepKind.Rewound, first.Kind);
        Assert.Equal(forkPoint, first.CheckpointBlock);
        await syncer.CatchUpAsync(Ct);

        Assert.Equal(300_000, await ledger.GetBalanceAsync(payer, Ct));
        var checkpoint = await ledger.GetCheckpointAsync(syncer.Source, Ct);
        Assert.Equal((await _client.GetBlockAsync(checkpoint!.BlockNumber, Ct))!.Hash, checkpoint.BlockHash);
    }
}
