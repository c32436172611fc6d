using System.Numerics;

namespace DePin.Wireless.DataCredits.Evm;

/// <summary>A pre-London transaction signed with EIP-155 replay protection.</summary>
public sealed record LegacyTransaction(
    ulong ChainId,
    ulong Nonce,
    BigInteger GasPrice,
    ulong GasLimit,
    EthAddress? To,
    BigInteger Value,
    byte[] Data)
{
    /// <summary>EIP-155: hash of rlp(nonce, gasprice, startgas, to, value, data, chainid, 0, 0).</summary>
    public byte[] SigningHash() => Keccak.Hash256(Rlp.Encode(RlpItem.Of([.. Fields(), RlpItem.Of(ChainId), RlpItem.Of(BigInteger.Zero), RlpItem.Of(BigInteger.Zero)])));

    /// <summary>EIP-155: v = recovery id + chainId × 2 + 35.</summary>
    public byte[] Sign(EthKey key)
    {
        var signature = key.Sign(SigningHash());
        var v = new BigInteger(signature.RecoveryId) + (new BigInteger(ChainId) * 2) + 35;
        return Rlp.Encode(RlpItem.Of([.. Fields(), RlpItem.Of(v), RlpItem.Of(signature.R), RlpItem.Of(signature.S)]));
    }

    private RlpItem[] Fields() =>
    [
        RlpItem.Of(Nonce),
        RlpItem.Of(GasPrice),
        RlpItem.Of(GasLimit),
        To is { } to ? RlpItem.Of(to.Bytes) : RlpItem.Of(ReadOnlySpan<byte>.Empty),
        RlpItem.Of(Value),
        RlpItem.Of(Data),
    ];
}

/// <summary>An EIP-1559 (type 2) fee-market transaction with an empty access list.</summary>
public sealed record Eip1559Transaction(
    ulong ChainId,
    ulong Nonce,
    BigInteger MaxPriorityFeePerGas,
    BigInteger MaxFeePerGas,
    ulong GasLimit,
    EthAddress? To,
    BigInteger Value,
    byte[] Data)
{
    private const byte TransactionType = 0x02;

    /// <summary>EIP-1559: keccak256(0x02 || rlp([chain_id, nonce, max_priority_fee_per_gas, max_fee_per_gas, gas_limit, destination, amount, data, access_list])).</summary>
    public byte[] SigningHash() => Keccak.Hash256([TransactionType, .. Rlp.Encode(RlpItem.Of(Fields()))]);

    /// <summary>The signed envelope: 0x02 || rlp([..fields, signature_y_parity, signature_r, signature_s]).</summary>
    public byte[] Sign(EthKey key)
    {
        var signature = key.Sign(SigningHash());
        return [TransactionType, .. Rlp.Encode(RlpItem.Of([.. Fields(), RlpItem.Of(signature.RecoveryId), RlpItem.Of(signature.R), RlpItem.Of(signature.S)]))];
    }

    private RlpItem[] Fields() =>
    [
        RlpItem.Of(ChainId),
        RlpItem.Of(Nonce),
        RlpItem.Of(MaxPriorityFeePerGas),
        RlpItem.Of(MaxFeePerGas),
        RlpItem.Of(GasLimit),
        To is { } to ? RlpItem.Of(to.Bytes) : RlpItem.Of(ReadOnlySpan<byte>.Empty),
        RlpItem.Of(Value),
        RlpItem.Of(Data),
        RlpItem.Of(Array.Empty<RlpItem>()),
    ];
}
