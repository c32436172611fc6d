using DePin.Wireless.DataCredits.Evm;

namespace DePin.Wireless.DataCredits.Ledger;

/// <summary>
/// What a batch needs to know before deciding, read once per batch (PostgreSQL: under the payers' row locks):
/// the organisations named by the batch, their payers' balances, and which hotspots' copies of the batch's
/// packets are already bought.
/// </summary>
public sealed class BatchChargeSnapshot
{
    public Dictionary<ulong, Organisation> Organisations { get; } = [];

    public Dictionary<PayerKey, long> Balances { get; } = [];

    /// <summary>For each (packet, organisation) already bought at least once: the hotspots whose copy was bought.</summary>
    public Dictionary<(Hash32 Packet, ulong Oui), List<string>> BoughtCopies { get; } = [];

    public void AddBoughtCopy(Hash32 packet, ulong oui, string hotspot)
    {
        if (!BoughtCopies.TryGetValue((packet, oui), out var hotspots))
        {
            BoughtCopies[(packet, oui)] = hotspots = [];
        }

        hotspots.Add(hotspot);
    }
}

/// <summary>DC and packet count to add to one hotspot's data-transfer share in one epoch.</summary>
public sealed record ShareIncrement(long Epoch, string Hotspot, long Dc, long Packets);

/// <summary>
/// Everything a batch changes: one result per charge (in order), the copies to record, the new balance of every
/// payer that paid, and the share increments aggregated per (epoch, hotspot), sorted by epoch then hotspot
/// (ordinal) so concurrent writers always lock share rows in the same order.
/// </summary>
public sealed record BatchChargeDecision(
    IReadOnlyList<ChargeResult> Results,
    IReadOnlyList<PacketCharge> BoughtCopies,
    IReadOnlyDictionary<PayerKey, long> NewBalances,
    IReadOnlyList<ShareIncrement> Shares);

/// <summary>
/// Decides a whole batch in memory, in order, exactly as charging one copy at a time would
/// (<see cref="ChargingRules"/> per copy, with the balance and copy counters carried from one copy to the next).
/// Pure: no I/O; the snapshot is not modified.
/// </summary>
public static class BatchChargeDecider
{
    public static BatchChargeDecision Decide(IReadOnlyList<PacketCharge> charges, BatchChargeSnapshot snapshot, long minimumBalance)
    {
        var balances = new Dictionary<PayerKey, long>(snapshot.Balances);
        var bought = new Dictionary<(Hash32, ulong), List<string>>();
        var results = new ChargeResult[charges.Count];
        var boughtCopies = new List<PacketCharge>(charges.Count);
        var shares = new Dictionary<(long Epoch, string Hotspot), (long Dc, long Packets)>();
        var newBalances = new Dictionary<PayerKey, long>();
        for (var i = 0; i < charges.Count; i++)
        {
            var charge = charges[i];
            if (!snapshot.Organisations.TryGetValue(charge.Oui, out var org))
            {
                results[i] = new ChargeResult(ChargeOutcome.UnknownOrganisation, 0, false);
                continue;
            }

            var balance = balances.GetValueOrDefault(org.Payer);
            var copies = CopiesOf(charge, snapshot, bought);
            var outcome = copies.Contains(charge.Hotspot, StringComparer.Ordinal)
                ? ChargeOutcome.DuplicateCopy
                : ChargingRules.Decide(org, balance, copies.Count, charge.Dc, minimumBalance);
            if (outcome == ChargeOutcome.Charged)
            {
                copies.Add(charge.Hotspot);
                balance -= charge.Dc;
                balances[org.Payer] = newBalances[org.Payer] = balance;
                boughtCopies.Add(charge);
                var share = shares.GetValueOrDefault((charge.Epoch, charge.Hotspot));
                shares[(charge.Epoch, charge.Hotspot)] = (share.Dc + charge.Dc, share.Packets + 1);
            }

            results[i] = new ChargeResult(outcome, balance, !org.Locked && balance >= minimumBalance);
        }

        var sortedShares = shares
            .OrderBy(s => s.Key.Epoch)
            .ThenBy(s => s.Key.Hotspot, StringComparer.Ordinal)
            .Select(s => new ShareIncrement(s.Key.Epoch, s.Key.Hotspot, s.Value.Dc, s.Value.Packets))
            .ToList();
        return new BatchChargeDecision(results, boughtCopies, newBalances, sortedShares);
    }

    /// <summary>The hotspots whose copy of this packet is bought so far, copied from the snapshot on first use.</summary>
    private static List<string> CopiesOf(PacketCharge charge, BatchChargeSnapshot snapshot, Dictionary<(Hash32, ulong), List<string>> bought)
    {
        var key = (charge.PacketHash, charge.Oui);
        if (!bought.TryGetValue(key, out var copies))
        {
            copies = snapshot.BoughtCopies.TryGetValue(key, out var before) ? [.. before] : [];
            bought[key] = copies;
        }

        return copies;
    }
}
