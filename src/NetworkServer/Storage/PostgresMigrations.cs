using Npgsql;

namespace DePin.Wireless.NetworkServer.Storage;

/// <summary>
/// Ordered schema migrations, applied at start inside one transaction under an advisory lock so that two starting
/// servers cannot apply them twice. Applied versions are recorded in ns_schema_migrations; never edit a released one.
/// </summary>
public static class PostgresMigrations
{
    private const long AdvisoryLockKey = 0x4E53_4D49_4752; // "NSMIGR"

    public static IReadOnlyList<string> Scripts { get; } =
    [
        """
        CREATE TABLE ns_applications (id text PRIMARY KEY, name text NOT NULL);
        CREATE TABLE ns_organizations (
            oui bigint PRIMARY KEY, payer text NOT NULL,
            devaddr_start bigint NOT NULL, devaddr_end bigint NOT NULL,
            join_eui_start bigint NOT NULL, join_eui_end bigint NOT NULL,
            max_copies int NOT NULL, disabled boolean NOT NULL DEFAULT false,
            next_devaddr_offset bigint NOT NULL DEFAULT 0);
        CREATE TABLE ns_devices (
            dev_eui bigint PRIMARY KEY, application_id text NOT NULL REFERENCES ns_applications(id),
            join_eui bigint NOT NULL, app_key bytea NOT NULL, region text NOT NULL, name text NOT NULL,
            is_abp boolean NOT NULL, next_join_nonce bigint NOT NULL DEFAULT 0);
        CREATE TABLE ns_sessions (
            dev_eui bigint PRIMARY KEY REFERENCES ns_devices(dev_eui) ON DELETE CASCADE,
            dev_addr bigint NOT NULL, nwk_s_key bytea NOT NULL, app_s_key bytea NOT NULL,
            fcnt_up bigint NULL, next_fcnt_down bigint NOT NULL, rx1_dr_offset int NOT NULL, rx2_dr int NOT NULL,
            rx_delay int NOT NULL, tx_power_index int NOT NULL, nb_trans int NOT NULL);
        CREATE INDEX ns_sessions_dev_addr ON ns_sessions(dev_addr);
        CREATE TABLE ns_dev_nonces (
            dev_eui bigint NOT NULL REFERENCES ns_devices(dev_eui) ON DELETE CASCADE,
            dev_nonce int NOT NULL, PRIMARY KEY (dev_eui, dev_nonce));
        CREATE TABLE ns_downlink_queue (
            id uuid PRIMARY KEY, seq bigserial NOT NULL,
            dev_eui bigint NOT NULL REFERENCES ns_devices(dev_eui) ON DELETE CASCADE,
            f_port int NOT NULL, data bytea NOT NULL, confirmed boolean NOT NULL);
        CREATE INDEX ns_downlink_queue_dev ON ns_downlink_queue(dev_eui, seq);
        """,
        """
        ALTER TABLE ns_sessions
            ADD COLUMN adr_history bytea NOT NULL DEFAULT ''::bytea,
            ADD COLUMN adr_pending bytea NULL,
            ADD COLUMN pending_ack_id uuid NULL,
            ADD COLUMN pending_ack_fcnt bigint NULL,
            ADD COLUMN pending_ack_at timestamptz NULL,
            ADD COLUMN last_uplink_dr int NULL;
        CREATE INDEX ns_sessions_pending_ack_at ON ns_sessions(pending_ack_at) WHERE pending_ack_at IS NOT NULL;
        """,
    ];

    public static async Task ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
        await Execute(connection, "CREATE TABLE IF NOT EXISTS ns_schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken);
        await using (var select = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM ns_schema_migrations", connection))
        {
            var applied = (int)(await select.ExecuteScalarAsync(cancellationToken))!;
            for (var version = applied + 1; version <= Scripts.Count; version++)
            {
                await Execute(connection, Scripts[version - 1], cancellationToken);
                await Execute(connection, $"INSERT INTO ns_schema_migrations(version) VALUES ({version})", cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
