using System.Data;
using System.Globalization;
using Dapper;
using DePin.Wireless.DataCredits.Evm;
using Npgsql;

namespace DePin.Wireless.DataCredits.Ledger;

/// <summary>
/// The ledger in PostgreSQL. Charges of one payer serialize on its balances row (SELECT ... FOR UPDATE), so
/// concurrent charges can never overdraw; burns are unique by (tx_hash, log_index), so a burn is credited once.
/// </summary>
public sealed class PostgresDcLedger : IDcLedger
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly LedgerOptions _options;

    public PostgresDcLedger(NpgsqlDataSource dataSource, LedgerOptions options)
    {
        _dataSource = dataSource;
        _options = options;
    }

    public Task InitializeAsync(CancellationToken ct) => PostgresMigrations.ApplyAsync(_dataSource, ct);

    public async Task UpsertOrganisationAsync(Organisation organisation, CancellationToken ct)
    {
        organisation.Validate();
        await InTransactionAsync(async (c, t) =>
        {
            await EnsurePayerAsync(c, t, organisation.Payer, ct);
            await c.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO organisations (oui, payer, max_copies, locked) VALUES (@oui, @payer, @maxCopies, @locked)
                ON CONFLICT (oui) DO UPDATE SET payer = excluded.payer, max_copies = excluded.max_copies, locked = excluded.locked
                """,
                new { oui = (long)organisation.Oui, payer = Bytes(organisation.Payer), maxCopies = organisation.MaxCopies, locked = organisation.Locked },
                t,
                cancellationToken: ct));
            return 0;
        }, ct);
    }

    public async Task<OrganisationStatus?> GetOrganisationAsync(ulong oui, CancellationToken ct) =>
        (await QueryOrganisationsAsync("WHERE o.oui = @oui", new { oui = (long)oui }, ct)).SingleOrDefault();

    public Task<IReadOnlyList<OrganisationStatus>> ListOrganisationsAsync(CancellationToken ct) => QueryOrganisationsAsync(string.Empty, null, ct);

    public async Task<long> GetBalanceAsync(PayerKey payer, CancellationToken ct)
    {
        await using var c = await _dataSource.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT dc FROM balances WHERE payer = @payer", new { payer = Bytes(payer) }, cancellationToken: ct)) ?? 0;
    }

    public Task<long> AddCreditAsync(PayerKey payer, long dc, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dc);
        return InTransactionAsync(async (c, t) =>
        {
            await EnsurePayerAsync(c, t, payer, ct);
            return await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "UPDATE balances SET dc = dc + @dc WHERE payer = @payer RETURNING dc", new { payer = Bytes(payer), dc }, t, cancellationToken: ct));
        }, ct);
    }

    public async Task<SyncCheckpoint?> GetCheckpointAsync(string source, CancellationToken ct)
    {
        await using var c = await _dataSource.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<BlockRow>(new CommandDefinition(
            "SELECT block_number AS BlockNumber, block_hash AS BlockHash FROM sync_checkpoints WHERE source = @source", new { source }, cancellationToken: ct));
        return row?.ToCheckpoint();
    }

    public async Task<IReadOnlyList<SyncCheckpoint>> GetRecentBlocksAsync(string source, CancellationToken ct)
    {
        await using var c = await _dataSource.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<BlockRow>(new CommandDefinition(
            "SELECT block_number AS BlockNumber, block_hash AS BlockHash FROM sync_blocks WHERE source = @source ORDER BY block_number DESC", new { source }, cancellationToken: ct));
        return rows.Select(r => r.ToCheckpoint()).ToList();
    }

    public Task<IReadOnlyList<BurnCredit>> ApplySyncBatchAsync(SyncBatch batch, CancellationToken ct) =>
        InTransactionAsync<IReadOnlyList<BurnCredit>>(async (c, t) =>
        {
            var fresh = new List<BurnCredit>();
            foreach (var credit in batch.Credits)
            {
                await EnsurePayerAsync(c, t, credit.Payer, ct);
                var inserted = await c.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO burns_credited (tx_hash, log_index, block_number, block_hash, payer, token_amount, dc)
                    VALUES (@tx, @logIndex, @blockNumber, @blockHash, @payer, @amount::numeric, @dc)
                    ON CONFLICT (tx_hash, log_index) DO NOTHING
                    """,
                    new
                    {
                        tx = credit.TransactionHash.Bytes.ToArray(),
                        logIndex = (long)credit.LogIndex,
                        blockNumber = (long)credit.BlockNumber,
                        blockHash = credit.BlockHash.Bytes.ToArray(),
                        payer = Bytes(credit.Payer),
                        amount = credit.TokenAmount.ToString(CultureInfo.InvariantCulture),
                        dc = credit.Dc,
                    },
                    t,
                    cancellationToken: ct));
                if (inserted == 1)
                {
                    await c.ExecuteAsync(new CommandDefinition("UPDATE balances SET dc = dc + @dc WHERE payer = @payer", new { dc = credit.Dc, payer = Bytes(credit.Payer) }, t, cancellationToken: ct));
                    fresh.Add(credit);
                }
            }

            foreach (var block in batch.Blocks)
            {
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO sync_blocks (source, block_number, block_hash) VALUES (@source, @number, @hash) ON CONFLICT (source, block_number) DO UPDATE SET block_hash = excluded.block_hash",
                    new { source = batch.Source, number = (long)block.BlockNumber, hash = block.BlockHash.Bytes.ToArray() },
                    t,
                    cancellationToken: ct));
            }

            await c.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM sync_blocks WHERE source = @source AND block_number NOT IN
                    (SELECT block_number FROM sync_blocks WHERE source = @source ORDER BY block_number DESC LIMIT @keep)
                """,
                new { source = batch.Source, keep = _options.RecentBlocksKept },
                t,
                cancellationToken: ct));
            await SetCheckpointAsync(c, t, batch.Source, batch.Checkpoint, ct);
            return fresh;
        }, ct);

    public Task RewindAsync(string source, SyncCheckpoint to, CancellationToken ct) =>
        InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(new CommandDefinition(
                "DELETE FROM sync_blocks WHERE source = @source AND block_number > @number", new { source, number = (long)to.BlockNumber }, t, cancellationToken: ct));
            await SetCheckpointAsync(c, t, source, to, ct);
            return 0;
        }, ct);

    public Task ClearCheckpointAsync(string source, CancellationToken ct) =>
        InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM sync_blocks WHERE source = @source", new { source }, t, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM sync_checkpoints WHERE source = @source", new { source }, t, cancellationToken: ct));
            return 0;
        }, ct);

    /// <summary>A batch of one: the same statements and locks as <see cref="ChargeBatchAsync"/>, one transaction per copy.</summary>
    public async Task<ChargeResult> ChargeAsync(PacketCharge charge, CancellationToken ct) => (await ChargeBatchAsync([charge], ct))[0];

    public Task<IReadOnlyList<ChargeResult>> ChargeBatchAsync(IReadOnlyList<PacketCharge> charges, CancellationToken ct) =>
        charges.Count == 0
            ? Task.FromResult<IReadOnlyList<ChargeResult>>([])
            : InTransactionAsync((c, t) => PostgresBatchCharger.RunAsync(c, t, charges, _options.MinimumBalanceDc, ct), ct);

    public async Task<IReadOnlyList<HotspotDataTransferShare>> GetDataTransferSharesAsync(long epoch, CancellationToken ct)
    {
        await using var c = await _dataSource.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string Hotspot, long Dc, long Packets)>(new CommandDefinition(
            "SELECT hotspot, dc, packets FROM hotspot_shares WHERE epoch = @epoch ORDER BY hotspot COLLATE \"C\"",
            new { epoch },
            cancellationToken: ct));
        return rows.Select(r => new HotspotDataTransferShare(r.Hotspot, epoch, r.Dc, r.Packets)).ToList();
    }

    private async Task<IReadOnlyList<OrganisationStatus>> QueryOrganisationsAsync(string where, object? parameters, CancellationToken ct)
    {
        await using var c = await _dataSource.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<OrganisationRow>(new CommandDefinition(
            $"SELECT o.oui AS Oui, o.payer AS Payer, o.max_copies AS MaxCopies, o.locked AS Locked, b.dc AS Dc FROM organisations o JOIN balances b ON b.payer = o.payer {where} ORDER BY o.oui",
            parameters,
            cancellationToken: ct));
        return rows.Select(r =>
        {
            var org = r.ToOrganisation();
            return new OrganisationStatus(org, r.Dc, IsEnabled(org, r.Dc));
        }).ToList();
    }

    private bool IsEnabled(Organisation org, long balance) => !org.Locked && balance >= _options.MinimumBalanceDc;

    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(ct);
        return result;
    }

    private static Task EnsurePayerAsync(NpgsqlConnection c, NpgsqlTransaction t, PayerKey payer, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO payers (payer) VALUES (@payer) ON CONFLICT DO NOTHING;
            INSERT INTO balances (payer, dc) VALUES (@payer, 0) ON CONFLICT DO NOTHING;
            """,
            new { payer = Bytes(payer) },
            t,
            cancellationToken: ct));

    private static Task SetCheckpointAsync(NpgsqlConnection c, NpgsqlTransaction t, string source, SyncCheckpoint checkpoint, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sync_checkpoints (source, block_number, block_hash) VALUES (@source, @number, @hash)
            ON CONFLICT (source) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash
            """,
            new { source, number = (long)checkpoint.BlockNumber, hash = checkpoint.BlockHash.Bytes.ToArray() },
            t,
            cancellationToken: ct));

    private static byte[] Bytes(PayerKey payer) => payer.Value.Bytes.ToArray();

    private sealed record BlockRow(long BlockNumber, byte[] BlockHash)
    {
        public SyncCheckpoint ToCheckpoint() => new((ulong)BlockNumber, new Hash32(BlockHash));
    }

    private sealed record OrganisationRow(long Oui, byte[] Payer, int MaxCopies, bool Locked, long Dc)
    {
        public Organisation ToOrganisation() => new((ulong)Oui, new PayerKey(new Hash32(Payer)), MaxCopies, Locked);
    }
}
