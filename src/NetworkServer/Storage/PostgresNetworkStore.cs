using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.LoRaWan;
using Npgsql;

namespace DePin.Wireless.NetworkServer.Storage;

/// <summary>
/// PostgreSQL store. EUIs are kept as bigint (the 64 bits reinterpreted), DevAddrs as bigint. Counters are changed
/// by single conditional UPDATE statements, so PostgreSQL's row locking makes them atomic without explicit locks.
/// </summary>
public sealed class PostgresNetworkStore : INetworkStore, IAsyncDisposable
{
    private const string SessionColumns = "dev_eui, dev_addr, nwk_s_key, app_s_key, fcnt_up, next_fcnt_down, rx1_dr_offset, rx2_dr, rx_delay, tx_power_index, nb_trans, "
        + "adr_history, adr_pending, pending_ack_id, pending_ack_fcnt, pending_ack_at, last_uplink_dr";
    private const string DeviceColumns = "dev_eui, application_id, join_eui, app_key, region, name, is_abp";
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresBatcher<DevAddr, DevAddr, IReadOnlyList<DeviceSession>> _sessionReads;
    private readonly PostgresBatcher<Eui64, FCntAdvance, bool> _fCntAdvances;
    private readonly PostgresBatcher<Eui64, (Eui64 DevEui, AdrSessionState State), bool> _adrWrites;
    private readonly DeviceCache _devices;

    private PostgresNetworkStore(NpgsqlDataSource dataSource, PostgresStoreOptions options)
    {
        _dataSource = dataSource;
        _devices = new DeviceCache(options.DeviceCacheTtl, options.Time);
        _sessionReads = new PostgresBatcher<DevAddr, DevAddr, IReadOnlyList<DeviceSession>>(a => a, ReadSessionsBatchAsync, options.MaxBatch);
        _fCntAdvances = new PostgresBatcher<Eui64, FCntAdvance, bool>(a => a.DevEui, AdvanceBatchAsync, options.MaxBatch);
        _adrWrites = new PostgresBatcher<Eui64, (Eui64 DevEui, AdrSessionState State), bool>(a => a.DevEui, SaveAdrBatchAsync, options.MaxBatch);
    }

    /// <summary>Connects and applies pending migrations.</summary>
    public static async Task<PostgresNetworkStore> OpenAsync(string connectionString, CancellationToken cancellationToken) =>
        await OpenAsync(connectionString, new PostgresStoreOptions(), cancellationToken);

    /// <summary>
    /// Connects and applies pending migrations. Unless the connection string says otherwise, statements are
    /// prepared automatically after two uses and connections are not reset when returned to the pool (the hot
    /// path repeats a handful of statements; parsing and planning them each time cost more than running them).
    /// </summary>
    public static async Task<PostgresNetworkStore> OpenAsync(string connectionString, PostgresStoreOptions options, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 32;
            builder.AutoPrepareMinUsages = 2;
        }

        if (!connectionString.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            await PostgresMigrations.ApplyAsync(dataSource, cancellationToken);
            return new PostgresNetworkStore(dataSource, options);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sessionReads.DisposeAsync();
        await _fCntAdvances.DisposeAsync();
        await _adrWrites.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    public async Task AddApplicationAsync(Application application, CancellationToken cancellationToken)
    {
        var inserted = await ExecuteAsync("INSERT INTO ns_applications(id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING", cancellationToken, application.Id.Value, application.Name);
        if (inserted == 0)
        {
            throw new NetworkStoreException("id", $"application {application.Id} already exists");
        }
    }

    public async Task<Application?> GetApplicationAsync(AppId id, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("SELECT id, name FROM ns_applications WHERE id = $1", r => new Application(AppId.Parse(r.GetString(0)), r.GetString(1)), cancellationToken, id.Value);
        return rows.FirstOrNull();
    }

    public async Task AddOrganizationAsync(Organization organization, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE ns_organizations IN EXCLUSIVE MODE", connection, transaction))
        {
            await lockTable.ExecuteNonQueryAsync(cancellationToken);
        }

        StoreRules.CheckNewOrganization(organization, await ReadOrganizationsAsync(connection, cancellationToken));
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO ns_organizations(oui, payer, devaddr_start, devaddr_end, join_eui_start, join_eui_end, max_copies, disabled) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)", connection, transaction))
        {
            AddParameters(insert, (long)organization.Oui, organization.Payer, (long)organization.DevAddrRange.Start, (long)organization.DevAddrRange.End,
                unchecked((long)organization.JoinEuiRange.Start), unchecked((long)organization.JoinEuiRange.End), organization.MaxCopies, organization.Disabled);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Organization>> ListOrganizationsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadOrganizationsAsync(connection, cancellationToken);
    }

    public async Task AddDeviceAsync(Device device, CancellationToken cancellationToken)
    {
        if (await GetApplicationAsync(device.ApplicationId, cancellationToken) is null)
        {
            throw new NetworkStoreException("app", $"application {device.ApplicationId} does not exist");
        }

        var inserted = await ExecuteAsync($"INSERT INTO ns_devices({DeviceColumns}) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING", cancellationToken,
            Eui(device.DevEui), device.ApplicationId.Value, Eui(device.JoinEui), device.AppKey.ToArray(), device.Region, device.Name, device.IsAbp);
        if (inserted == 0)
        {
            throw new NetworkStoreException("dev-eui", $"device {device.DevEui} already exists");
        }
    }

    public async Task<Device?> GetDeviceAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        if (_devices.TryGet(devEui, out var cached))
        {
            return cached;
        }

        var device = (await QueryAsync($"SELECT {DeviceColumns} FROM ns_devices WHERE dev_eui = $1", ReadDevice, cancellationToken, Eui(devEui))).FirstOrNull();
        if (device is not null)
        {
            _devices.Put(device);
        }

        return device;
    }

    public async Task<IReadOnlyList<Device>> ListDevicesAsync(AppId? application, CancellationToken cancellationToken)
    {
        var devices = application is { } app
            ? await QueryAsync($"SELECT {DeviceColumns} FROM ns_devices WHERE application_id = $1", ReadDevice, cancellationToken, app.Value)
            : await QueryAsync($"SELECT {DeviceColumns} FROM ns_devices", ReadDevice, cancellationToken);
        return devices.OrderBy(d => d.DevEui.Value).ToArray();
    }

    public async Task<bool> RemoveDeviceAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        _devices.Forget(devEui);
        return await ExecuteAsync("DELETE FROM ns_devices WHERE dev_eui = $1", cancellationToken, Eui(devEui)) == 1;
    }

    public async Task SaveSessionAsync(DeviceSession s, CancellationToken cancellationToken)
    {
        if (await GetDeviceAsync(s.DevEui, cancellationToken) is null)
        {
            throw new NetworkStoreException("devEui", $"device {s.DevEui} does not exist");
        }

        await ExecuteAsync($"""
            INSERT INTO ns_sessions({SessionColumns}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)
            ON CONFLICT (dev_eui) DO UPDATE SET dev_addr = EXCLUDED.dev_addr, nwk_s_key = EXCLUDED.nwk_s_key, app_s_key = EXCLUDED.app_s_key,
              fcnt_up = EXCLUDED.fcnt_up, next_fcnt_down = EXCLUDED.next_fcnt_down, rx1_dr_offset = EXCLUDED.rx1_dr_offset, rx2_dr = EXCLUDED.rx2_dr,
              rx_delay = EXCLUDED.rx_delay, tx_power_index = EXCLUDED.tx_power_index, nb_trans = EXCLUDED.nb_trans,
              adr_history = EXCLUDED.adr_history, adr_pending = EXCLUDED.adr_pending, pending_ack_id = EXCLUDED.pending_ack_id,
              pending_ack_fcnt = EXCLUDED.pending_ack_fcnt, pending_ack_at = EXCLUDED.pending_ack_at, last_uplink_dr = EXCLUDED.last_uplink_dr
            """, cancellationToken,
            Eui(s.DevEui), (long)s.DevAddr.Value, s.NwkSKey.ToArray(), s.AppSKey.ToArray(), s.FCntUp is { } up ? (long)up : DBNull.Value,
            (long)s.NextFCntDown, s.Rx1DrOffset, s.Rx2DataRate, s.RxDelaySeconds, s.TxPowerIndex, s.NbTrans,
            AdrSessionState.EncodeHistory(s.AdrHistory), (object?)AdrSessionState.EncodePending(s.PendingAdr) ?? DBNull.Value,
            s.PendingAck is { } ack ? ack.QueueItemId : DBNull.Value, s.PendingAck is { } ackFCnt ? (long)ackFCnt.FCntDown : DBNull.Value,
            s.PendingAck is { } ackAt ? ackAt.SentAt : DBNull.Value, s.LastUplinkDataRate is { } dr ? dr : DBNull.Value);
    }

    public async Task<DeviceSession?> GetSessionAsync(Eui64 devEui, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {SessionColumns} FROM ns_sessions WHERE dev_eui = $1", ReadSession, cancellationToken, Eui(devEui))).FirstOrNull();

    /// <summary>Batched with concurrent lookups into one <c>dev_addr = ANY(...)</c> query.</summary>
    public Task<IReadOnlyList<DeviceSession>> GetSessionsByDevAddrAsync(DevAddr devAddr, CancellationToken cancellationToken) =>
        _sessionReads.SubmitAsync(devAddr, cancellationToken);

    private async Task<IReadOnlyList<DeviceSession>[]> ReadSessionsBatchAsync(IReadOnlyList<DevAddr> batch, CancellationToken cancellationToken)
    {
        var addresses = new long[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            addresses[i] = batch[i].Value;
        }

        var rows = await QueryAsync(
            $"SELECT {SessionColumns}, EXISTS (SELECT 1 FROM ns_downlink_queue q WHERE q.dev_eui = s.dev_eui) FROM ns_sessions s WHERE dev_addr = ANY($1)",
            r => ReadSession(r) with { MayHaveQueuedDownlinks = r.GetBoolean(17) }, cancellationToken, addresses);
        var byAddress = rows.ToLookup(s => s.DevAddr);
        var results = new IReadOnlyList<DeviceSession>[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            results[i] = byAddress[batch[i]].ToArray();
        }

        return results;
    }

    /// <summary>Batched with concurrent advances of other devices into one conditional UPDATE; still atomic per row.</summary>
    public Task<bool> TryAdvanceFCntUpAsync(Eui64 devEui, uint fCntUp, int? uplinkDataRate, CancellationToken cancellationToken) =>
        _fCntAdvances.SubmitAsync(new FCntAdvance(devEui, fCntUp, uplinkDataRate), cancellationToken);

    public Task SaveAdrStateAsync(Eui64 devEui, AdrSessionState state, CancellationToken cancellationToken) =>
        _adrWrites.SubmitAsync((devEui, state), cancellationToken);

    /// <summary>
    /// One statement for many devices: each row is updated only if its stored counter is below the new one, and the
    /// rows that changed come back. The batcher never puts one device twice in a batch.
    /// </summary>
    private async Task<bool[]> AdvanceBatchAsync(IReadOnlyList<FCntAdvance> batch, CancellationToken cancellationToken)
    {
        var devEuis = new long[batch.Count];
        var fCnts = new long[batch.Count];
        var dataRates = new int?[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            (devEuis[i], fCnts[i], dataRates[i]) = (Eui(batch[i].DevEui), batch[i].FCntUp, batch[i].UplinkDataRate);
        }

        var advanced = await QueryAsync("""
            UPDATE ns_sessions s SET fcnt_up = v.f, last_uplink_dr = coalesce(v.dr, s.last_uplink_dr)
            FROM unnest($1::bigint[], $2::bigint[], $3::int[]) AS v(d, f, dr)
            WHERE s.dev_eui = v.d AND (s.fcnt_up IS NULL OR s.fcnt_up < v.f)
            RETURNING s.dev_eui
            """, r => r.GetInt64(0), cancellationToken, devEuis, fCnts, dataRates);
        var set = advanced.ToHashSet();
        var results = new bool[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            results[i] = set.Contains(devEuis[i]);
        }

        return results;
    }

    private async Task<bool[]> SaveAdrBatchAsync(IReadOnlyList<(Eui64 DevEui, AdrSessionState State)> batch, CancellationToken cancellationToken)
    {
        var devEuis = new long[batch.Count];
        var powers = new int[batch.Count];
        var nbTrans = new int[batch.Count];
        var histories = new byte[batch.Count][];
        var pendings = new byte[]?[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var (devEui, state) = batch[i];
            (devEuis[i], powers[i], nbTrans[i]) = (Eui(devEui), state.TxPowerIndex, state.NbTrans);
            histories[i] = AdrSessionState.EncodeHistory(state.History);
            pendings[i] = AdrSessionState.EncodePending(state.Pending);
        }

        await ExecuteAsync("""
            UPDATE ns_sessions s SET tx_power_index = v.p, nb_trans = v.n, adr_history = v.h, adr_pending = v.pe
            FROM unnest($1::bigint[], $2::int[], $3::int[], $4::bytea[], $5::bytea[]) AS v(d, p, n, h, pe)
            WHERE s.dev_eui = v.d
            """, cancellationToken, devEuis, powers, nbTrans, histories, pendings);
        return new bool[batch.Count];
    }

    public async Task SetPendingAckAsync(Eui64 devEui, PendingAck pending, CancellationToken cancellationToken)
    {
        var updated = await ExecuteAsync("UPDATE ns_sessions SET pending_ack_id = $2, pending_ack_fcnt = $3, pending_ack_at = $4 WHERE dev_eui = $1", cancellationToken,
            Eui(devEui), pending.QueueItemId, (long)pending.FCntDown, pending.SentAt);
        if (updated == 0)
        {
            throw new NetworkStoreException("devEui", $"device {devEui} has no session");
        }
    }

    public async Task<PendingAck?> TakePendingAckAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        // The sub-select locks the row, so two concurrent takers cannot both see the old values.
        var rows = await QueryAsync("""
            UPDATE ns_sessions s SET pending_ack_id = NULL, pending_ack_fcnt = NULL, pending_ack_at = NULL
            FROM (SELECT dev_eui, pending_ack_id, pending_ack_fcnt, pending_ack_at FROM ns_sessions WHERE dev_eui = $1 AND pending_ack_id IS NOT NULL FOR UPDATE) old
            WHERE s.dev_eui = old.dev_eui
            RETURNING old.pending_ack_id, old.pending_ack_fcnt, old.pending_ack_at
            """, r => new PendingAck(r.GetGuid(0), (uint)r.GetInt64(1), r.GetFieldValue<DateTimeOffset>(2)), cancellationToken, Eui(devEui));
        return rows.FirstOrNull();
    }

    public async Task<IReadOnlyList<ExpiredAck>> TakeExpiredPendingAcksAsync(DateTimeOffset sentBefore, CancellationToken cancellationToken) =>
        await QueryAsync("""
            UPDATE ns_sessions s SET pending_ack_id = NULL, pending_ack_fcnt = NULL, pending_ack_at = NULL
            FROM (SELECT dev_eui, pending_ack_id, pending_ack_fcnt, pending_ack_at FROM ns_sessions WHERE pending_ack_at < $1 FOR UPDATE SKIP LOCKED) old
            WHERE s.dev_eui = old.dev_eui
            RETURNING old.dev_eui, old.pending_ack_id, old.pending_ack_fcnt, old.pending_ack_at
            """, r => new ExpiredAck(FromEui(r.GetInt64(0)), new PendingAck(r.GetGuid(1), (uint)r.GetInt64(2), r.GetFieldValue<DateTimeOffset>(3))), cancellationToken, sentBefore);

    public async Task<uint> AllocateFCntDownAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("UPDATE ns_sessions SET next_fcnt_down = next_fcnt_down + 1 WHERE dev_eui = $1 RETURNING next_fcnt_down - 1",
            r => (uint)r.GetInt64(0), cancellationToken, Eui(devEui));
        return rows.Count == 1 ? rows[0] : throw new NetworkStoreException("devEui", $"device {devEui} has no session");
    }

    public async Task<bool> TryRecordDevNonceAsync(Eui64 devEui, ushort devNonce, CancellationToken cancellationToken) =>
        await ExecuteAsync("INSERT INTO ns_dev_nonces(dev_eui, dev_nonce) VALUES ($1, $2) ON CONFLICT DO NOTHING", cancellationToken, Eui(devEui), (int)devNonce) == 1;

    public async Task<uint> AllocateJoinNonceAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("UPDATE ns_devices SET next_join_nonce = next_join_nonce + 1 WHERE dev_eui = $1 RETURNING next_join_nonce - 1",
            r => r.GetInt64(0), cancellationToken, Eui(devEui));
        if (rows.Count != 1)
        {
            throw new NetworkStoreException("devEui", $"device {devEui} does not exist");
        }

        StoreRules.CheckJoinNonce((uint)Math.Min(rows[0], uint.MaxValue));
        return (uint)rows[0];
    }

    public async Task<DevAddr> AllocateDevAddrAsync(uint oui, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            "UPDATE ns_organizations SET next_devaddr_offset = next_devaddr_offset + 1 WHERE oui = $1 RETURNING devaddr_start, devaddr_end, next_devaddr_offset - 1",
            r => (new InclusiveRange((ulong)r.GetInt64(0), (ulong)r.GetInt64(1)), (ulong)r.GetInt64(2)), cancellationToken, (long)oui);
        return rows.Count == 1 ? StoreRules.DevAddrAt(rows[0].Item1, rows[0].Item2) : throw new NetworkStoreException("oui", $"organisation {oui} does not exist");
    }

    public async Task EnqueueDownlinkAsync(QueuedDownlink downlink, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync("INSERT INTO ns_downlink_queue(id, dev_eui, f_port, data, confirmed) VALUES ($1,$2,$3,$4,$5)", cancellationToken,
                downlink.Id, Eui(downlink.DevEui), (int)downlink.FPort, downlink.Data, downlink.Confirmed);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new NetworkStoreException("devEui", $"device {downlink.DevEui} does not exist");
        }
    }

    public async Task<QueuedDownlink?> DequeueDownlinkAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        // SKIP LOCKED: two concurrent dequeuers take different items instead of blocking or taking the same one.
        var rows = await QueryAsync("""
            DELETE FROM ns_downlink_queue WHERE id = (
              SELECT id FROM ns_downlink_queue WHERE dev_eui = $1 ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING id, dev_eui, f_port, data, confirmed
            """, r => new QueuedDownlink(r.GetGuid(0), FromEui(r.GetInt64(1)), (byte)r.GetInt32(2), (byte[])r[3], r.GetBoolean(4)), cancellationToken, Eui(devEui));
        return rows.FirstOrNull();
    }

    private static long Eui(Eui64 eui) => unchecked((long)eui.Value);

    private static Eui64 FromEui(long value) => new(unchecked((ulong)value));

    private static Device ReadDevice(NpgsqlDataReader r) =>
        new(FromEui(r.GetInt64(0)), AppId.Parse(r.GetString(1)), FromEui(r.GetInt64(2)), AesKey.FromBytes((byte[])r[3]), r.GetString(4))
        {
            Name = r.GetString(5),
            IsAbp = r.GetBoolean(6),
        };

    private static DeviceSession ReadSession(NpgsqlDataReader r) =>
        new(FromEui(r.GetInt64(0)), new DevAddr((uint)r.GetInt64(1)), AesKey.FromBytes((byte[])r[2]), AesKey.FromBytes((byte[])r[3]))
        {
            FCntUp = r.IsDBNull(4) ? null : (uint)r.GetInt64(4),
            NextFCntDown = (uint)r.GetInt64(5),
            Rx1DrOffset = r.GetInt32(6),
            Rx2DataRate = r.GetInt32(7),
            RxDelaySeconds = r.GetInt32(8),
            TxPowerIndex = r.GetInt32(9),
            NbTrans = r.GetInt32(10),
            AdrHistory = AdrSessionState.DecodeHistory((byte[])r[11]),
            PendingAdr = AdrSessionState.DecodePending(r.IsDBNull(12) ? null : (byte[])r[12]),
            PendingAck = r.IsDBNull(13) ? null : new PendingAck(r.GetGuid(13), (uint)r.GetInt64(14), r.GetFieldValue<DateTimeOffset>(15)),
            LastUplinkDataRate = r.IsDBNull(16) ? null : r.GetInt32(16),
        };

    private static async Task<IReadOnlyList<Organization>> ReadOrganizationsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT oui, payer, devaddr_start, devaddr_end, join_eui_start, join_eui_end, max_copies, disabled FROM ns_organizations ORDER BY oui", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<Organization>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new Organization((uint)reader.GetInt64(0), reader.GetString(1), new InclusiveRange((ulong)reader.GetInt64(2), (ulong)reader.GetInt64(3)),
                new InclusiveRange(unchecked((ulong)reader.GetInt64(4)), unchecked((ulong)reader.GetInt64(5))), reader.GetInt32(6)) { Disabled = reader.GetBoolean(7) });
        }

        return list;
    }

    private static void AddParameters(NpgsqlCommand command, params object[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = _dataSource.CreateCommand(sql);
        AddParameters(command, values);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = _dataSource.CreateCommand(sql);
        AddParameters(command, values);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(read(reader));
        }

        return list;
    }
}

/// <summary>Tuning of <see cref="PostgresNetworkStore"/>.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>
    /// How long a device record (application, region, name) is served from memory. Changes made through this
    /// store take effect at once; changes by another server instance within this time.
    /// </summary>
    public TimeSpan DeviceCacheTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Most rows one batched FCnt or ADR statement carries.</summary>
    public int MaxBatch { get; init; } = 1000;

    public TimeProvider Time { get; init; } = TimeProvider.System;
}

internal readonly record struct FCntAdvance(Eui64 DevEui, uint FCntUp, int? UplinkDataRate);

/// <summary>Device records by DevEUI for a limited time (they change only through the admin commands).</summary>
internal sealed class DeviceCache(TimeSpan ttl, TimeProvider time)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Eui64, (Device Device, long ExpiresAt)> _entries = new();

    public bool TryGet(Eui64 devEui, out Device? device)
    {
        device = null;
        if (!_entries.TryGetValue(devEui, out var entry) || time.GetTimestamp() >= entry.ExpiresAt)
        {
            return false;
        }

        device = entry.Device;
        return true;
    }

    public void Put(Device device)
    {
        if (ttl > TimeSpan.Zero)
        {
            _entries[device.DevEui] = (device, time.GetTimestamp() + (long)(ttl.TotalSeconds * time.TimestampFrequency));
        }
    }

    public void Forget(Eui64 devEui) => _entries.TryRemove(devEui, out _);
}

internal static class ListExtensions
{
    public static T? FirstOrNull<T>(this IReadOnlyList<T> list)
        where T : class => list.Count > 0 ? list[0] : null;
}
