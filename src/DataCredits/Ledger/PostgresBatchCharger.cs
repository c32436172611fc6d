using DePin.Wireless.DataCredits.Evm;
using Npgsql;
using NpgsqlTypes;

namespace DePin.Wireless.DataCredits.Ledger;

/// <summary>
/// Charges a batch of packet copies in one PostgreSQL transaction with a fixed number of round trips, whatever the
/// batch size: read the organisations, lock their payers' balance rows (in key order, so concurrent batches cannot
/// deadlock), read the copies already bought of the batch's packets, decide the whole batch in memory with
/// <see cref="BatchChargeDecider"/>, then write: the bought copies by binary COPY, one share upsert per
/// (epoch, hotspot) and one balance update per payer. The caller commits; results are returned only after that.
/// </summary>
internal static class PostgresBatchCharger
{
    public static async Task<IReadOnlyList<ChargeResult>> RunAsync(
        NpgsqlConnection c, NpgsqlTransaction t, IReadOnlyList<PacketCharge> charges, long minimumBalance, CancellationToken ct)
    {
        var snapshot = new BatchChargeSnapshot();
        await LoadOrganisationsAsync(c, t, charges, snapshot, ct);
        await LockBalancesAsync(c, t, snapshot, ct);
        await LoadBoughtCopiesAsync(c, t, charges, snapshot, ct);
        var decision = BatchChargeDecider.Decide(charges, snapshot, minimumBalance);
        await CopyBoughtCopiesAsync(c, decision.BoughtCopies, ct);
        await WriteSharesAndBalancesAsync(c, t, decision, ct);
        return decision.Results;
    }

    private static async Task LoadOrganisationsAsync(NpgsqlConnection c, NpgsqlTransaction t, IReadOnlyList<PacketCharge> charges, BatchChargeSnapshot snapshot, CancellationToken ct)
    {
        var ouis = charges.Select(x => (long)x.Oui).Distinct().ToArray();
        await using var cmd = new NpgsqlCommand("SELECT oui, payer, max_copies, locked FROM organisations WHERE oui = ANY($1)", c, t)
        {
            Parameters = { new() { Value = ouis, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint } },
        };
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var oui = (ulong)reader.GetInt64(0);
            snapshot.Organisations[oui] = new Organisation(oui, new PayerKey(new Hash32(reader.GetFieldValue<byte[]>(1))), reader.GetInt32(2), reader.GetBoolean(3));
        }
    }

    /// <summary>The payer row locks serialize every charge of a payer: nothing read after this can go stale before commit.</summary>
    private static async Task LockBalancesAsync(NpgsqlConnection c, NpgsqlTransaction t, BatchChargeSnapshot snapshot, CancellationToken ct)
    {
        if (snapshot.Organisations.Count == 0)
        {
            return;
        }

        var payers = snapshot.Organisations.Values.Select(o => o.Payer).Distinct().Select(p => p.Value.Bytes.ToArray()).ToArray();
        await using var cmd = new NpgsqlCommand("SELECT payer, dc FROM balances WHERE payer = ANY($1) ORDER BY payer FOR UPDATE", c, t)
        {
            Parameters = { new() { Value = payers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea } },
        };
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            snapshot.Balances[new PayerKey(new Hash32(reader.GetFieldValue<byte[]>(0)))] = reader.GetInt64(1);
        }
    }

    private static async Task LoadBoughtCopiesAsync(NpgsqlConnection c, NpgsqlTransaction t, IReadOnlyList<PacketCharge> charges, BatchChargeSnapshot snapshot, CancellationToken ct)
    {
        var keys = charges.Where(x => snapshot.Organisations.ContainsKey(x.Oui)).Select(x => (x.PacketHash, x.Oui)).Distinct().ToList();
        if (keys.Count == 0)
        {
            return;
        }

        // Read after the balance locks: in READ COMMITTED this statement sees every batch of these payers committed before.
        // The LATERAL subquery with OFFSET 0 is not flattened, so each key is one primary-key index probe: a plain join
        // is planned as a hash join over a sequential scan of all of packet_charges once the batch is large, which
        // grows with the table. JIT is off for this transaction: compiling costs more than these probes.
        await using var lookup = new NpgsqlBatch(c, t)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SET LOCAL jit = off"),
                new NpgsqlBatchCommand(
                    """
                    SELECT k.packet_hash, k.oui, bought.hotspot
                    FROM unnest($1::bytea[], $2::bigint[]) AS k(packet_hash, oui)
                    CROSS JOIN LATERAL (
                        SELECT pc.hotspot FROM packet_charges pc WHERE pc.packet_hash = k.packet_hash AND pc.oui = k.oui OFFSET 0) AS bought
                    """)
                {
                    Parameters =
                    {
                        new() { Value = keys.Select(k => k.PacketHash.Bytes.ToArray()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea },
                        new() { Value = keys.Select(k => (long)k.Oui).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
                    },
                },
            },
        };
        await using var reader = await lookup.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            snapshot.AddBoughtCopy(new Hash32(reader.GetFieldValue<byte[]>(0)), (ulong)reader.GetInt64(1), reader.GetString(2));
        }
    }

    private static async Task CopyBoughtCopiesAsync(NpgsqlConnection c, IReadOnlyList<PacketCharge> copies, CancellationToken ct)
    {
        if (copies.Count == 0)
        {
            return;
        }

        await using var importer = await c.BeginBinaryImportAsync("COPY packet_charges (packet_hash, oui, hotspot, dc, epoch) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var copy in copies)
        {
            await importer.StartRowAsync(ct);
            await importer.WriteAsync(copy.PacketHash.Bytes.ToArray(), NpgsqlDbType.Bytea, ct);
            await importer.WriteAsync((long)copy.Oui, NpgsqlDbType.Bigint, ct);
            await importer.WriteAsync(copy.Hotspot, NpgsqlDbType.Text, ct);
            await importer.WriteAsync(copy.Dc, NpgsqlDbType.Bigint, ct);
            await importer.WriteAsync(copy.Epoch, NpgsqlDbType.Bigint, ct);
        }

        await importer.CompleteAsync(ct);
    }

    private static async Task WriteSharesAndBalancesAsync(NpgsqlConnection c, NpgsqlTransaction t, BatchChargeDecision decision, CancellationToken ct)
    {
        if (decision.BoughtCopies.Count == 0)
        {
            return;
        }

        var payers = decision.NewBalances.Keys.OrderBy(p => p.ToString(), StringComparer.Ordinal).ToList();
        await using var batch = new NpgsqlBatch(c, t)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    """
                    INSERT INTO hotspot_shares (epoch, hotspot, dc, packets) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[])
                    ON CONFLICT (epoch, hotspot) DO UPDATE SET dc = hotspot_shares.dc + excluded.dc, packets = hotspot_shares.packets + excluded.packets
                    """)
                {
                    Parameters =
                    {
                        new() { Value = decision.Shares.Select(s => s.Epoch).ToArray() },
                        new() { Value = decision.Shares.Select(s => s.Hotspot).ToArray() },
                        new() { Value = decision.Shares.Select(s => s.Dc).ToArray() },
                        new() { Value = decision.Shares.Select(s => s.Packets).ToArray() },
                    },
                },
                new NpgsqlBatchCommand("UPDATE balances b SET dc = u.dc FROM unnest($1::bytea[], $2::bigint[]) AS u(payer, dc) WHERE b.payer = u.payer")
                {
                    Parameters =
                    {
                        new() { Value = payers.Select(p => p.Value.Bytes.ToArray()).ToArray() },
                        new() { Value = payers.Select(p => decision.NewBalances[p]).ToArray() },
                    },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
    }
}
