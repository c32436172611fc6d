using System.Numerics;

namespace DePin.Wireless.DataCredits.Evm;

/// <summary>The header fields of a block this service relies on.</summary>
public sealed record BlockHeader(ulong Number, Hash32 Hash, Hash32 ParentHash, ulong Timestamp, BigInteger? BaseFeePerGas);

/// <summary>An event log entry as returned by eth_getLogs / in receipts.</summary>
public sealed record EvmLog(
    EthAddress Address,
    IReadOnlyList<Hash32> Topics,
    byte[] Data,
    ulong BlockNumber,
    Hash32 BlockHash,
    Hash32 TransactionHash,
    ulong LogIndex,
    bool Removed);

public sealed record TransactionReceipt(Hash32 TransactionHash, ulong BlockNumber, Hash32 BlockHash, bool Succeeded, ulong GasUsed, EthAddress? ContractAddress, IReadOnlyList<EvmLog> Logs);

/// <summary>A read-only or gas-estimation call.</summary>
public sealed record CallRequest(EthAddress? From, EthAddress? To, byte[] Data, BigInteger Value);

/// <summary>eth_getLogs filter over an inclusive block range.</summary>
public sealed record LogFilter(ulong FromBlock, ulong ToBlock, EthAddress Address, IReadOnlyList<Hash32?> Topics);

/// <summary>A JSON-RPC error object returned by the node, e.g. "execution reverted" or "nonce too low".</summary>
public sealed class EvmRpcException : Exception
{
    public EvmRpcException(string method, int code, string rpcMessage, string? data)
        : base($"{method} failed: JSON-RPC error {code}: {rpcMessage}{(data is null ? string.Empty : $" (data {data})")}")
    {
        Method = method;
        Code = code;
        RpcMessage = rpcMessage;
        Data = data;
    }

    public string Method { get; }

    public int Code { get; }

    public string RpcMessage { get; }

    public new string? Data { get; }
}
