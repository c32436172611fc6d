using DePin.Wireless.DataCredits.Evm;

namespace DePin.Wireless.DataCredits.Ledger;

/// <summary>
/// The ledger held in memory behind one lock: for devnet and single-process use. Same semantics as the
/// PostgreSQL ledger (the shared contract tests run against both); state is lost when the process exits.
/// </summary>
public sealed class InProcessDcLedger : IDcLedger
{
    private readonly LedgerOptions _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, Organisation> _organisations = [];
    private readonly Dictionary<PayerKey, long> _balances = [];
    private readonly HashSet<(Hash32 Tx, ulong LogIndex)> _credited = [];
    private readonly Dictionary<string, SyncCheckpoint> _checkpoints = [];
    private readonly Dictionary<string, SortedDictionary<ulong, Hash32>> _recentBlocks = [];
    private readonly Dictionary<(Hash32 Packet, ulong Oui), int> _copiesBought = [];
    private readonly HashSet<(Hash32 Packet, ulong Oui, string Hotspot)> _copiesCharged = [];
    private readonly Dictionary<(long Epoch, string Hotspot), (long Dc, long Packets)> _shares = [];

    public InProcessDcLedger(LedgerOptions options)
    {
        _options = options;
    }

    public Task InitializeAsync(CancellationToken ct) => Task.CompletedTask;

    public Task UpsertOrganisationAsync(Organisation organisation, CancellationToken ct)
    {
        organisation.Validate();
        lock (_gate)
        {
            _organisations[organisation.Oui] = organisation;
        }

        return Task.CompletedTask;
    }

    public Task<OrganisationStatus?> GetOrganisationAsync(ulong oui, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(_organisations.TryGetValue(oui, out var org) ? StatusOf(org) : null);
        }
    }

    public Task<IReadOnlyList<OrganisationStatus>> ListOrganisationsAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<OrganisationStatus>>(_organisations.Values.OrderBy(o => o.Oui).Select(StatusOf).ToList());
        }
    }

    public Task<long> GetBalanceAsync(PayerKey payer, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(_balances.GetValueOrDefault(payer));
        }
    }

    public Task<long> AddCreditAsync(PayerKey payer, long dc, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dc);
        lock (_gate)
        {
            return Task.FromResult(_balances[payer] = checked(_balances.GetValueOrDefault(payer) + dc));
        }
    }

    public Task<SyncCheckpoint?> GetCheckpointAsync(string source, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(_checkpoints.GetValueOrDefault(source));
        }
    }

    public Task<IReadOnlyList<SyncCheckpoint>> GetRecentBlocksAsync(string source, CancellationToken ct)
    {
        lock (_gate)
        {
            IReadOnlyList<SyncCheckpoint> blocks = _recentBlocks.TryGetValue(source, out var recent)
                ? recent.Reverse().Select(kv => new SyncCheckpoint(kv.Key, kv.Value)).ToList()
                : [];
            return Task.FromResult(blocks);
        }
    }

    public Task<IReadOnlyList<BurnCredit>> ApplySyncBatchAsync(SyncBatch batch, CancellationToken ct)
    {
        lock (_gate)
        {
            var fresh = batch.Credits.Where(c => !_credited.Contains((c.TransactionHash, c.LogIndex))).DistinctBy(c => (c.TransactionHash, c.LogIndex)).ToList();
            var newBalances = new Dictionary<PayerKey, long>();
            foreach (var credit in fresh)
            {
                var current = newBalances.TryGetValue(credit.Payer, out var b) ? b : _balances.GetValueOrDefault(credit.Payer);
                newBalances[credit.Payer] = checked(current + credit.Dc);
            }

            // Nothing above can throw after this point, so the batch is all-or-nothing.
            foreach (var (payer, balance) in newBalances)
            {
                _balances[payer] = balance;
            }

            foreach (var credit in fresh)
            {
                _credited.Add((credit.TransactionHash, credit.LogIndex));
            }

            var recent = RecentFor(batch.Source);
            foreach (var block in batch.Blocks)
            {
                recent[block.BlockNumber] = block.BlockHash;
            }

            while (recent.Count > _options.RecentBlocksKept)
            {
                recent.Remove(recent.Keys.First());
            }

            _checkpoints[batch.Source] = batch.Checkpoint;
            return Task.FromResult<IReadOnlyList<BurnCredit>>(fresh);
        }
    }

    public Task RewindAsync(string source, SyncCheckpoint to, CancellationToken ct)
    {
        lock (_gate)
        {
            var recent = RecentFor(source);
            foreach (var number in recent.Keys.Where(n => n > to.BlockNumber).ToList())
            {
                recent.Remove(number);
            }

            _checkpoints[source] = to;
        }

        return Task.CompletedTask;
    }

    public Task ClearCheckpointAsync(string source, CancellationToken ct)
    {
        lock (_gate)
        {
            _checkpoints.Remove(source);
            _recentBlocks.Remove(source);
        }

        return Task.CompletedTask;
    }

    public Task<ChargeResult> ChargeAsync(PacketCharge charge, CancellationToken ct) => Task.FromResult(Charge(charge));

    public Task<IReadOnlyList<ChargeResult>> ChargeBatchAsync(IReadOnlyList<PacketCharge> charges, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ChargeResult>>(charges.Select(Charge).ToList());
        }
    }

    /// <summary>The synchronous core of <see cref="ChargeAsync"/>, used directly by in-process callers.</summary>
    public ChargeResult Charge(PacketCharge charge)
    {
        lock (_gate)
        {
            if (!_organisations.TryGetValue(charge.Oui, out var org))
            {
                return new ChargeResult(ChargeOutcome.UnknownOrganisation, 0, false);
            }

            var balance = _balances.GetValueOrDefault(org.Payer);
            var copyKey = (charge.PacketHash, charge.Oui, charge.Hotspot);
            if (_copiesCharged.Contains(copyKey))
            {
                return new ChargeResult(ChargeOutcome.DuplicateCopy, balance, IsEnabled(org, balance));
            }

            var packetKey = (charge.PacketHash, charge.Oui);
            var bought = _copiesBought.GetValueOrDefault(packetKey);
            var outcome = ChargingRules.Decide(org, balance, bought, charge.Dc, _options.MinimumBalanceDc);
            if (outcome != ChargeOutcome.Charged)
            {
                return new ChargeResult(outcome, balance, IsEnabled(org, balance));
            }

            _copiesBought[packetKey] = bought + 1;
            _copiesCharged.Add(copyKey);
            balance -= charge.Dc;
            _balances[org.Payer] = balance;
            var shareKey = (charge.Epoch, charge.Hotspot);
            var share = _shares.GetValueOrDefault(shareKey);
            _shares[shareKey] = (share.Dc + charge.Dc, share.Packets + 1);
            return new ChargeResult(ChargeOutcome.Charged, balance, IsEnabled(org, balance));
        }
    }

    public Task<IReadOnlyList<HotspotDataTransferShare>> GetDataTransferSharesAsync(long epoch, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<HotspotDataTransferShare>>(_shares
                .Where(kv => kv.Key.Epoch == epoch)
                .OrderBy(kv => kv.Key.Hotspot, StringComparer.Ordinal)
                .Select(kv => new HotspotDataTransferShare(kv.Key.Hotspot, epoch, kv.Value.Dc, kv.Value.Packets))
                .ToList());
        }
    }

    private SortedDictionary<ulong, Hash32> RecentFor(string source)
    {
        if (!_recentBlocks.TryGetValue(source, out var recent))
        {
            recent = [];
            _recentBlocks[source] = recent;
        }

        return recent;
    }

    private OrganisationStatus StatusOf(Organisation org)
    {
        var balance = _balances.GetValueOrDefault(org.Payer);
        return new OrganisationStatus(org, balance, IsEnabled(org, balance));
    }

    private bool IsEnabled(Organisation org, long balance) => !org.Locked && balance >= _options.MinimumBalanceDc;
}
