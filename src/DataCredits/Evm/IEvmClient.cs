using System.Numerics;

namespace DePin.Wireless.DataCredits.Evm;

/// <summary>The Ethereum JSON-RPC methods this service needs.</summary>
public interface IEvmClient
{
    Task<ulong> GetChainIdAsync(CancellationToken ct);

    Task<ulong> GetBlockNumberAsync(CancellationToken ct);

    /// <summary>Null when the node has no block at that height.</summary>
    Task<BlockHeader?> GetBlockAsync(ulong number, CancellationToken ct);

    Task<BlockHeader> GetLatestBlockAsync(CancellationToken ct);

    /// <summary>eth_getTransactionCount at "pending": the next nonce including queued transactions.</summary>
    Task<ulong> GetPendingTransactionCountAsync(EthAddress address, CancellationToken ct);

    Task<BigInteger> GetGasPriceAsync(CancellationToken ct);

    Task<BigInteger> GetMaxPriorityFeePerGasAsync(CancellationToken ct);

    Task<ulong> EstimateGasAsync(CallRequest call, CancellationToken ct);

    Task<Hash32> SendRawTransactionAsync(ReadOnlyMemory<byte> signed, CancellationToken ct);

    Task<TransactionReceipt?> GetTransactionReceiptAsync(Hash32 transactionHash, CancellationToken ct);

    Task<byte[]> CallAsync(CallRequest call, CancellationToken ct);

    Task<IReadOnlyList<EvmLog>> GetLogsAsync(LogFilter filter, CancellationToken ct);

    /// <summary>Any other method (e.g. evm_mine, evm_snapshot on development nodes); returns the raw JSON result.</summary>
    Task<System.Text.Json.JsonElement> RequestAsync(string method, object?[] parameters, CancellationToken ct);
}
