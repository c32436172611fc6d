using Dapper;
using DePin.Wireless.DataCredits.Evm;
using Npgsql;

namespace DePin.Wireless.DataCredits.Ledger;

/// <summary>
/// Charges a batch of packet copies in one PostgreSQL transaction with a fixed number of round trips:
/// read organisations, lock the payers' balance rows (in key order, so concurrent batches cannot deadlock),
/// read existing copies, decide each charge in order with <see cref="ChargingRules"/>, then write everything
/// back with array (unnest) statements.
/// </summary>
internal sealed class PostgresBatchCharger
{
    private readonly long _minimumBalance;
    private readonly Dictionary<ulong, Organisation> _organisations = [];
    private readonly Dictionary<PayerKey, long> _balances = [];
    private readonly HashSet<(Hash32, ulong, string)> _charged = [];
    private readonly Dictionary<(Hash32, ulong), int> _bought = [];
    private readonly List<PacketCharge> _newCharges = [];

    public PostgresBatchCharger(long minimumBalance)
    {
        _minimumBalance = minimumBalance;
    }

    public async Task<IReadOnlyList<ChargeResult>> RunAsync(NpgsqlConnection c, NpgsqlTransaction t, IReadOnlyList<PacketCharge> charges, CancellationToken ct)
    {
        await LoadAsync(c, t, charges, ct);
        var results = charges.Select(Decide).ToList();
        await WriteAsync(c, t, ct);
        return results;
    }

    private async Task LoadAsync(NpgsqlConnection c, NpgsqlTransaction t, IReadOnlyList<PacketCharge> charges, CancellationToken ct)
    {
        var ouis = charges.Select(x => (long)x.Oui).Distinct().ToArray();
        foreach (var (oui, payer, maxCopies, locked) in await c.QueryAsync<(long, byte[], int, bool)>(new CommandDefinition(
            "SELECT oui, payer, max_copies, locked FROM organisations WHERE oui = ANY(@ouis)", new { ouis }, t, cancellationToken: ct)))
        {
            _organisations[(ulong)oui] = new Organisation((ulong)oui, new PayerKey(new Hash32(payer)), maxCopies, locked);
        }

        var payers = _organisations.Values.Select(o => o.Payer.Value.Bytes.ToArray()).ToArray();
        foreach (var (payer, dc) in await c.QueryAsync<(byte[], long)>(new CommandDefinition(
            "SELECT payer, dc FROM balances WHERE payer = ANY(@payers) ORDER BY payer FOR UPDATE", new { payers }, t, cancellationToken: ct)))
        {
            _balances[new PayerKey(new Hash32(payer))] = dc;
        }

        var hashes = charges.Select(x => x.PacketHash.Bytes.ToArray()).ToArray();
        var chargeOuis = charges.Select(x => (long)x.Oui).ToArray();
        var hotspots = charges.Select(x => x.Hotspot).ToArray();
        foreach (var (hash, oui, hotspot) in await c.QueryAsync<(byte[], long, string)>(new CommandDefinition(
            """
            SELECT DISTINCT pc.packet_hash, pc.oui, pc.hotspot
            FROM unnest(@hashes, @chargeOuis, @hotspots) AS k(h, o, s)
            JOIN packet_charges pc ON pc.packet_hash = k.h AND pc.oui = k.o AND pc.hotspot = k.s
            """,
            new { hashes, chargeOuis, hotspots },
            t,
            cancellationToken: ct)))
        {
            _charged.Add((new Hash32(hash), (ulong)oui, hotspot));
        }

        foreach (var (hash, oui, copies) in await c.QueryAsync<(byte[], long, int)>(new CommandDefinition(
            """
            SELECT DISTINCT pb.packet_hash, pb.oui, pb.copies
            FROM unnest(@hashes, @chargeOuis) AS k(h, o)
            JOIN packet_buys pb ON pb.packet_hash = k.h AND pb.oui = k.o
            """,
            new { hashes, chargeOuis },
            t,
            cancellationToken: ct)))
        {
            _bought[(new Hash32(hash), (ulong)oui)] = copies;
        }
    }

    private ChargeResult Decide(PacketCharge charge)
    {
        if (!_organisations.TryGetValue(charge.Oui, out var org))
        {
            return new ChargeResult(ChargeOutcome.UnknownOrganisation, 0, false);
        }

        var balance = _balances.GetValueOrDefault(org.Payer);
        if (_charged.Contains((charge.PacketHash, charge.Oui, charge.Hotspot)))
        {
            return new ChargeResult(ChargeOutcome.DuplicateCopy, balance, IsEnabled(org, balance));
        }

        var bought = _bought.GetValueOrDefault((charge.PacketHash, charge.Oui));
        var outcome = ChargingRules.Decide(org, balance, bought, charge.Dc, _minimumBalance);
        if (outcome != ChargeOutcome.Charged)
        {
            return new ChargeResult(outcome, balance, IsEnabled(org, balance));
        }

        _bought[(charge.PacketHash, charge.Oui)] = bought + 1;
        _charged.Add((charge.PacketHash, charge.Oui, charge.Hotspot));
        _balances[org.Payer] = balance -= charge.Dc;
        _newCharges.Add(charge);
        return new ChargeResult(ChargeOutcome.Charged, balance, IsEnabled(org, balance));
    }

    private async Task WriteAsync(NpgsqlConnection c, NpgsqlTransaction t, CancellationToken ct)
    {
        if (_newCharges.Count == 0)
        {
            return;
        }

        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO packet_charges (packet_hash, oui, hotspot, dc, epoch) SELECT * FROM unnest(@hashes, @ouis, @hotspots, @dcs, @epochs)",
            new
            {
                hashes = _newCharges.Select(x => x.PacketHash.Bytes.ToArray()).ToArray(),
                ouis = _newCharges.Select(x => (long)x.Oui).ToArray(),
                hotspots = _newCharges.Select(x => x.Hotspot).ToArray(),
                dcs = _newCharges.Select(x => x.Dc).ToArray(),
                epochs = _newCharges.Select(x => x.Epoch).ToArray(),
            },
            t,
            cancellationToken: ct));
        var touched = _newCharges.Select(x => (x.PacketHash, x.Oui)).Distinct().ToList();
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO packet_buys (packet_hash, oui, copies) SELECT * FROM unnest(@hashes, @ouis, @copies)
            ON CONFLICT (packet_hash, oui) DO UPDATE SET copies = excluded.copies
            """,
            new
            {
                hashes = touched.Select(k => k.PacketHash.Bytes.ToArray()).ToArray(),
                ouis = touched.Select(k => (long)k.Oui).ToArray(),
                copies = touched.Select(k => _bought[k]).ToArray(),
            },
            t,
            cancellationToken: ct));
        var payers = _balances.Keys.ToList();
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE balances b SET dc = u.dc FROM unnest(@payers, @dcs) AS u(payer, dc) WHERE b.payer = u.payer",
            new { payers = payers.Select(p => p.Value.Bytes.ToArray()).ToArray(), dcs = payers.Select(p => _balances[p]).ToArray() },
            t,
            cancellationToken: ct));
    }

    private bool IsEnabled(Organisation org, long balance) => !org.Locked && balance >= _minimumBalance;
}
