using DePin.Wireless.DataCredits.Evm;
using DePin.Wireless.DataCredits.Ledger;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.DataCredits.Sync;

public enum SyncStepKind
{
    /// <summary>No confirmed block beyond the checkpoint yet.</summary>
    UpToDate,

    /// <summary>Confirmed blocks were scanned and their burns credited; the checkpoint moved forward.</summary>
    Advanced,

    /// <summary>The checkpoint block is no longer canonical: the checkpoint moved back to the fork point.</summary>
    Rewound,

    /// <summary>The chain changed while this step read it; nothing was written, the next step retries.</summary>
    ChainChanged,
}

public sealed record SyncStepResult(SyncStepKind Kind, ulong? CheckpointBlock, IReadOnlyList<BurnCredit> Credited);

/// <summary>
/// Follows DataCreditsBurned events of one token contract and credits payers in the ledger.
/// Only blocks with enough confirmations are read; every block's parent hash must continue the stored
/// checkpoint, so a re-org is noticed and the checkpoint rewinds to the last block still on the chain.
/// A burn is credited once per (transaction hash, log index), and only as part of the batch that moves the
/// checkpoint, so a crash between steps neither loses nor doubles a credit.
/// </summary>
public sealed class BurnSyncer
{
    private readonly IEvmClient _client;
    private readonly DataCreditsTokenContract _token;
    private readonly IDcLedger _ledger;
    private readonly DcConversion _conversion;
    private readonly BurnSyncOptions _options;
    private readonly ILogger _logger;

    public BurnSyncer(IEvmClient client, EthAddress token, IDcLedger ledger, DcConversion conversion, BurnSyncOptions options, ILogger logger)
    {
        options.Validate();
        _client = client;
        _token = new DataCreditsTokenContract(client, token);
        _ledger = ledger;
        _conversion = conversion;
        _options = options;
        _logger = logger;
        Source = token.ToString().ToLowerInvariant();
    }

    /// <summary>Checkpoint key: the token contract address.</summary>
    public string Source { get; }

    /// <summary>Runs steps until caught up with the confirmed head (used by --once and tests).</summary>
    public async Task<IReadOnlyList<BurnCredit>> CatchUpAsync(CancellationToken ct)
    {
        var credited = new List<BurnCredit>();
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var step = await StepAsync(ct);
            credited.AddRange(step.Credited);
            if (step.Kind == SyncStepKind.UpToDate)
            {
                return credited;
            }
        }

        throw new InvalidOperationException("burn sync did not catch up after 10000 steps: the chain keeps re-organising");
    }

    /// <summary>Runs until cancelled, pausing PollInterval whenever caught up.</summary>
    public async Task RunAsync(TimeProvider time, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var step = await StepAsync(ct);
            if (step.Kind == SyncStepKind.UpToDate)
            {
                await Task.Delay(_options.PollInterval, time, ct);
            }
        }
    }

    public async Task<SyncStepResult> StepAsync(CancellationToken ct)
    {
        var checkpoint = await _ledger.GetCheckpointAsync(Source, ct);
        if (checkpoint is not null && !await IsCanonicalAsync(checkpoint, ct))
        {
            return await RewindAsync(checkpoint, ct);
        }

        var head = await _client.GetBlockNumberAsync(ct);
        var confirmedHead = head + 1 < (ulong)_options.Confirmations ? (ulong?)null : head + 1 - (ulong)_options.Confirmations;
        var from = checkpoint is null ? _options.StartBlock : checkpoint.BlockNumber + 1;
        if (confirmedHead is null || from > confirmedHead)
        {
            return new SyncStepResult(SyncStepKind.UpToDate, checkpoint?.BlockNumber, []);
        }

        var to = Math.Min(confirmedHead.Value, from + (ulong)_options.MaxBlocksPerStep - 1);
        return await ScanAsync(checkpoint, from, to, ct);
    }

    private async Task<SyncStepResult> ScanAsync(SyncCheckpoint? checkpoint, ulong from, ulong to, CancellationToken ct)
    {
        var headers = await ReadContinuousHeadersAsync(checkpoint, from, to, ct);
        if (headers is null)
        {
            return new SyncStepResult(SyncStepKind.ChainChanged, checkpoint?.BlockNumber, []);
        }

        var logs = await _token.GetBurnLogsAsync(from, to, _options.LogPageSize, ct);
        var credits = new List<BurnCredit>();
        foreach (var log in logs)
        {
            if (log.Removed || log.BlockNumber < from || log.BlockNumber > to || log.BlockHash != headers[(int)(log.BlockNumber - from)].Hash)
            {
                _logger.LogWarning("log {Tx}#{Index} in block {Block} does not belong to the headers just read; retrying the step", log.TransactionHash, log.LogIndex, log.BlockNumber);
                return new SyncStepResult(SyncStepKind.ChainChanged, checkpoint?.BlockNumber, []);
            }

            credits.Add(ToCredit(DataCreditsTokenContract.DecodeBurn(log)));
        }

        var last = headers[^1];
        var next = new SyncCheckpoint(last.Number, last.Hash);
        var blocks = headers.Select(h => new SyncCheckpoint(h.Number, h.Hash)).ToList();
        var credited = await _ledger.ApplySyncBatchAsync(new SyncBatch(Source, credits, next, blocks), ct);
        foreach (var c in credited)
        {
            _logger.LogInformation("credited {Dc} DC to payer {Payer} for burn {Tx}#{Index} in block {Block}", c.Dc, c.Payer, c.TransactionHash, c.LogIndex, c.BlockNumber);
        }

        return new SyncStepResult(SyncStepKind.Advanced, next.BlockNumber, credited);
    }

    private BurnCredit ToCredit(BurnEvent burn)
    {
        var dc = _conversion.ToDc(burn.Amount);
        if (dc > long.MaxValue)
        {
            throw new InvalidOperationException($"burn {burn.TransactionHash}#{burn.LogIndex} converts to {dc} DC, beyond the ledger's 64-bit range");
        }

        return new BurnCredit(burn.TransactionHash, burn.LogIndex, burn.BlockNumber, burn.BlockHash, new PayerKey(burn.PayerKey), burn.Amount, (long)dc);
    }

    /// <summary>Headers from..to whose parent hashes chain onto the checkpoint and each other; null if they do not.</summary>
    private async Task<IReadOnlyList<BlockHeader>?> ReadContinuousHeadersAsync(SyncCheckpoint? checkpoint, ulong from, ulong to, CancellationToken ct)
    {
        var headers = new List<BlockHeader>((int)(to - from + 1));
        var expectedParent = checkpoint?.BlockHash;
        for (var number = from; number <= to; number++)
        {
            var header = await _client.GetBlockAsync(number, ct);
            if (header is null || (expectedParent is { } parent && header.ParentHash != parent))
            {
                _logger.LogWarning("block {Block} does not continue the chain read so far; retrying the step", number);
                return null;
            }

            headers.Add(header);
            expectedParent = header.Hash;
        }

        return headers;
    }

    private async Task<bool> IsCanonicalAsync(SyncCheckpoint block, CancellationToken ct)
    {
        var header = await _client.GetBlockAsync(block.BlockNumber, ct);
        return header is not null && header.Hash == block.BlockHash;
    }

    private async Task<SyncStepResult> RewindAsync(SyncCheckpoint stale, CancellationToken ct)
    {
        foreach (var block in await _ledger.GetRecentBlocksAsync(Source, ct))
        {
            if (block.BlockNumber < stale.BlockNumber && await IsCanonicalAsync(block, ct))
            {
                _logger.LogWarning("re-org: block {Stale} {Hash} is gone; rewinding to block {Block}", stale.BlockNumber, stale.BlockHash, block.BlockNumber);
                await _ledger.RewindAsync(Source, block, ct);
                return new SyncStepResult(SyncStepKind.Rewound, block.BlockNumber, []);
            }
        }

        // Deeper than the kept window: rescan from the start block. Already-credited burns are unique by
        // (tx hash, log index) and will not be credited twice.
        _logger.LogError("re-org deeper than the kept recent blocks at block {Stale}; rescanning from block {Start}", stale.BlockNumber, _options.StartBlock);
        await _ledger.ClearCheckpointAsync(Source, ct);
        return new SyncStepResult(SyncStepKind.Rewound, null, []);
    }
}
