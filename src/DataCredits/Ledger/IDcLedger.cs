namespace DePin.Wireless.DataCredits.Ledger;

/// <summary>
/// The Data Credits ledger: payers' balances, organisations, credited burns, packet charges and the chain sync
/// checkpoint. Every method is atomic; implementations must be safe for concurrent callers.
/// </summary>
public interface IDcLedger
{
    /// <summary>Creates or migrates storage. Idempotent.</summary>
    Task InitializeAsync(CancellationToken ct);

    Task UpsertOrganisationAsync(Organisation organisation, CancellationToken ct);

    Task<OrganisationStatus?> GetOrganisationAsync(ulong oui, CancellationToken ct);

    Task<IReadOnlyList<OrganisationStatus>> ListOrganisationsAsync(CancellationToken ct);

    /// <summary>0 for a payer never credited.</summary>
    Task<long> GetBalanceAsync(PayerKey payer, CancellationToken ct);

    /// <summary>Adds DC outside the chain (operator grant, tests). Returns the new balance.</summary>
    Task<long> AddCreditAsync(PayerKey payer, long dc, CancellationToken ct);

    Task<SyncCheckpoint?> GetCheckpointAsync(string source, CancellationToken ct);

    /// <summary>The recent blocks stored for <paramref name="source"/>, highest first.</summary>
    Task<IReadOnlyList<SyncCheckpoint>> GetRecentBlocksAsync(string source, CancellationToken ct);

    /// <summary>
    /// Credits every burn not credited before (unique by transaction hash + log index), records the blocks and moves
    /// the checkpoint, all in one transaction. Returns the burns that were newly credited.
    /// </summary>
    Task<IReadOnlyList<BurnCredit>> ApplySyncBatchAsync(SyncBatch batch, CancellationToken ct);

    /// <summary>Moves the checkpoint back to a block still on the canonical chain and forgets the blocks above it.</summary>
    Task RewindAsync(string source, SyncCheckpoint to, CancellationToken ct);

    /// <summary>Resets the checkpoint so the sync starts again from its configured start block.</summary>
    Task ClearCheckpointAsync(string source, CancellationToken ct);

    Task<ChargeResult> ChargeAsync(PacketCharge charge, CancellationToken ct);

    /// <summary>
    /// Charges many copies in one atomic step, with results identical to calling <see cref="ChargeAsync"/> for each
    /// in order (the high-throughput path for a router that batches).
    /// </summary>
    Task<IReadOnlyList<ChargeResult>> ChargeBatchAsync(IReadOnlyList<PacketCharge> charges, CancellationToken ct);

    Task<IReadOnlyList<HotspotDataTransferShare>> GetDataTransferSharesAsync(long epoch, CancellationToken ct);
}
