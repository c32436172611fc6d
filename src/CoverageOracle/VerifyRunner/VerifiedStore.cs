using System.Collections.Concurrent;
using Dapper;
using DePin.Wireless.CoverageOracle.Verification;
using Npgsql;

namespace DePin.Wireless.CoverageOracle.VerifyRunner;

/// <summary>One verified beacon: null reason when valid.</summary>
public sealed record VerifiedBeaconRow(string Beaconer, long ReceivedMs, long FrequencyHz, string? InvalidReason, int SelectedWitnesses);

/// <summary>One verified witness of a beacon: null reason when valid.</summary>
public sealed record VerifiedWitnessRow(string Beaconer, long BeaconReceivedMs, string Witness, long ReceivedMs, int SignalDeciDbm, int SnrCentiDb, long FrequencyHz, string? InvalidReason, bool Selected);

/// <summary>
/// Verification outputs in a queryable store (tables poc_beacons / poc_witnesses). Saving a window's results is
/// idempotent: re-verifying a window replaces the rows of its beacons.
/// </summary>
public interface IVerifiedStore
{
    Task SaveAsync(IReadOnlyList<PocResult> results, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<VerifiedBeaconRow>> BeaconsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Witnesses of the beacons received in [from, to).</summary>
    Task<IReadOnlyList<VerifiedWitnessRow>> WitnessesAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}

public static class VerifiedRows
{
    public static VerifiedBeaconRow Beacon(PocResult r) =>
        new(r.Beacon.HotspotId, r.Beacon.Received.ToUnixTimeMilliseconds(), r.Beacon.FrequencyHz, r.BeaconInvalidReason, r.Witnesses.Count(w => w.Selected));

    public static IEnumerable<VerifiedWitnessRow> Witnesses(PocResult r) => r.Witnesses.Select(w => new VerifiedWitnessRow(
        r.Beacon.HotspotId, r.Beacon.Received.ToUnixTimeMilliseconds(), w.Report.HotspotId, w.Report.Received.ToUnixTimeMilliseconds(),
        w.Report.SignalDeciDbm, w.Report.SnrCentiDb, w.Report.FrequencyHz, w.InvalidReason, w.Selected));
}

/// <summary>The store in process (devnet, tests).</summary>
public sealed class InMemoryVerifiedStore : IVerifiedStore
{
    private readonly ConcurrentDictionary<(string, long), (VerifiedBeaconRow Beacon, VerifiedWitnessRow[] Witnesses)> _rows = new();

    public Task SaveAsync(IReadOnlyList<PocResult> results, CancellationToken cancellationToken = default)
    {
        foreach (var r in results)
        {
            var beacon = VerifiedRows.Beacon(r);
            _rows[(beacon.Beaconer, beacon.ReceivedMs)] = (beacon, VerifiedRows.Witnesses(r).ToArray());
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<VerifiedBeaconRow>> BeaconsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<VerifiedBeaconRow>>(In(from, to).Select(x => x.Beacon).ToList());

    public Task<IReadOnlyList<VerifiedWitnessRow>> WitnessesAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<VerifiedWitnessRow>>(In(from, to).SelectMany(x => x.Witnesses.OrderBy(w => w.ReceivedMs).ThenBy(w => w.Witness, StringComparer.Ordinal)).ToList());

    private IEnumerable<(VerifiedBeaconRow Beacon, VerifiedWitnessRow[] Witnesses)> In(DateTimeOffset from, DateTimeOffset to) => _rows.Values
        .Where(x => x.Beacon.ReceivedMs >= from.ToUnixTimeMilliseconds() && x.Beacon.ReceivedMs < to.ToUnixTimeMilliseconds())
        .OrderBy(x => x.Beacon.ReceivedMs).ThenBy(x => x.Beacon.Beaconer, StringComparer.Ordinal);
}

/// <summary>The store in PostgreSQL. <see cref="MigrateAsync"/> creates the tables; it is idempotent.</summary>
public sealed class PostgresVerifiedStore(NpgsqlDataSource dataSource) : IVerifiedStore
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await conn.ExecuteAsync(new CommandDefinition(
            """
            CREATE TABLE IF NOT EXISTS poc_beacons (
                beaconer            text NOT NULL,
                received_ms         bigint NOT NULL,
                frequency_hz        bigint NOT NULL,
                invalid_reason      text NULL,
                selected_witnesses  integer NOT NULL,
                PRIMARY KEY (beaconer, received_ms)
            );
            CREATE TABLE IF NOT EXISTS poc_witnesses (
                beaconer            text NOT NULL,
                beacon_received_ms  bigint NOT NULL,
                witness             text NOT NULL,
                received_ms         bigint NOT NULL,
                signal_deci_dbm     integer NOT NULL,
                snr_centi_db        integer NOT NULL,
                frequency_hz        bigint NOT NULL,
                invalid_reason      text NULL,
                selected            boolean NOT NULL,
                FOREIGN KEY (beaconer, beacon_received_ms) REFERENCES poc_beacons (beaconer, received_ms) ON DELETE CASCADE
            );
            CREATE INDEX IF NOT EXISTS poc_witnesses_beacon ON poc_witnesses (beaconer, beacon_received_ms);
            CREATE INDEX IF NOT EXISTS poc_beacons_received ON poc_beacons (received_ms);
            """,
            cancellationToken: cancellationToken));
    }

    public async Task SaveAsync(IReadOnlyList<PocResult> results, CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        foreach (var r in results)
        {
            var beacon = VerifiedRows.Beacon(r);
            await conn.ExecuteAsync(new CommandDefinition("DELETE FROM poc_beacons WHERE beaconer = @Beaconer AND received_ms = @ReceivedMs", beacon, tx, cancellationToken: cancellationToken));
            await conn.ExecuteAsync(new CommandDefinition(
                "INSERT INTO poc_beacons (beaconer, received_ms, frequency_hz, invalid_reason, selected_witnesses) VALUES (@Beaconer, @ReceivedMs, @FrequencyHz, @InvalidReason, @SelectedWitnesses)",
                beacon, tx, cancellationToken: cancellationToken));
            await conn.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO poc_witnesses (beaconer, beacon_received_ms, witness, received_ms, signal_deci_dbm, snr_centi_db, frequency_hz, invalid_reason, selected)
                VALUES (@Beaconer, @BeaconReceivedMs, @Witness, @ReceivedMs, @SignalDeciDbm, @SnrCentiDb, @FrequencyHz, @InvalidReason, @Selected)
                """,
                VerifiedRows.Witnesses(r).ToList(), tx, cancellationToken: cancellationToken));
        }

        await tx.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<VerifiedBeaconRow>> BeaconsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await conn.QueryAsync<(string, long, long, string?, int)>(new CommandDefinition(
            "SELECT beaconer, received_ms, frequency_hz, invalid_reason, selected_witnesses FROM poc_beacons WHERE received_ms >= @From AND received_ms < @To ORDER BY received_ms, beaconer COLLATE \"C\"",
            new { From = from.ToUnixTimeMilliseconds(), To = to.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return rows.Select(r => new VerifiedBeaconRow(r.Item1, r.Item2, r.Item3, r.Item4, r.Item5)).ToList();
    }

    public async Task<IReadOnlyList<VerifiedWitnessRow>> WitnessesAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await conn.QueryAsync<(string, long, string, long, int, int, long, string?, bool)>(new CommandDefinition(
            """
            SELECT beaconer, beacon_received_ms, witness, received_ms, signal_deci_dbm, snr_centi_db, frequency_hz, invalid_reason, selected
            FROM poc_witnesses WHERE beacon_received_ms >= @From AND beacon_received_ms < @To
            ORDER BY beacon_received_ms, beaconer COLLATE "C", received_ms, witness COLLATE "C"
            """,
            new { From = from.ToUnixTimeMilliseconds(), To = to.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return rows.Select(r => new VerifiedWitnessRow(r.Item1, r.Item2, r.Item3, r.Item4, r.Item5, r.Item6, r.Item7, r.Item8, r.Item9)).ToList();
    }
}
