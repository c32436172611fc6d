using Dapper;
using Npgsql;

namespace DePin.Wireless.DataCredits.Ledger;

/// <summary>Versioned schema scripts applied in order at start, each once, under an advisory lock.</summary>
public static class PostgresMigrations
{
    /// <summary>Arbitrary constant naming this service's advisory lock, so two starting instances migrate one at a time.</summary>
    private const long AdvisoryLockKey = 0x44435f4c45444752; // "DC_LEDGR"

    private static readonly IReadOnlyList<(int Version, string Sql)> Scripts =
    [
        (1, """
            CREATE TABLE payers (
                payer bytea PRIMARY KEY CHECK (length(payer) = 32),
                created_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE balances (
                payer bytea PRIMARY KEY REFERENCES payers(payer),
                dc bigint NOT NULL CHECK (dc >= 0));
            CREATE TABLE organisations (
                oui bigint PRIMARY KEY,
                payer bytea NOT NULL REFERENCES payers(payer),
                max_copies integer NOT NULL CHECK (max_copies >= 1),
                locked boolean NOT NULL DEFAULT false);
            CREATE TABLE burns_credited (
                tx_hash bytea NOT NULL,
                log_index bigint NOT NULL,
                block_number bigint NOT NULL,
                block_hash bytea NOT NULL,
                payer bytea NOT NULL REFERENCES payers(payer),
                token_amount numeric(78, 0) NOT NULL,
                dc bigint NOT NULL,
                credited_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (tx_hash, log_index));
            CREATE TABLE packet_buys (
                packet_hash bytea NOT NULL,
                oui bigint NOT NULL,
                copies integer NOT NULL,
                PRIMARY KEY (packet_hash, oui));
            CREATE TABLE packet_charges (
                packet_hash bytea NOT NULL,
                oui bigint NOT NULL,
                hotspot text NOT NULL,
                dc bigint NOT NULL,
                epoch bigint NOT NULL,
                charged_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (packet_hash, oui, hotspot));
            CREATE INDEX packet_charges_by_epoch ON packet_charges (epoch, hotspot);
            CREATE TABLE sync_checkpoints (
                source text PRIMARY KEY,
                block_number bigint NOT NULL,
                block_hash bytea NOT NULL);
            CREATE TABLE sync_blocks (
                source text NOT NULL,
                block_number bigint NOT NULL,
                block_hash bytea NOT NULL,
                PRIMARY KEY (source, block_number));
            """),
        (2, """
            -- Batched charging at tens of thousands of copies per second: the copies bought of a packet are counted
            -- from packet_charges' primary key (packet_hash, oui, hotspot) instead of a second per-packet table, and
            -- data-transfer shares are kept aggregated per (epoch, hotspot), upserted once per batch, instead of
            -- an index on every copy.
            CREATE TABLE hotspot_shares (
                epoch bigint NOT NULL,
                hotspot text NOT NULL,
                dc bigint NOT NULL,
                packets bigint NOT NULL,
                PRIMARY KEY (epoch, hotspot));
            INSERT INTO hotspot_shares (epoch, hotspot, dc, packets)
                SELECT epoch, hotspot, sum(dc), count(*) FROM packet_charges GROUP BY epoch, hotspot;
            DROP INDEX packet_charges_by_epoch;
            DROP TABLE packet_buys;
            """),
    ];

    public static async Task ApplyAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = AdvisoryLockKey }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", transaction: transaction, cancellationToken: ct));
        var applied = (await connection.QueryAsync<int>(new CommandDefinition("SELECT version FROM schema_migrations", transaction: transaction, cancellationToken: ct))).ToHashSet();
        foreach (var (version, sql) in Scripts.Where(s => !applied.Contains(s.Version)))
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("INSERT INTO schema_migrations (version) VALUES (@version)", new { version }, transaction, cancellationToken: ct));
        }

        await transaction.CommitAsync(ct);
    }
}
