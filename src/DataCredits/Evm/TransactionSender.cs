using System.Numerics;

namespace DePin.Wireless.DataCredits.Evm;

public sealed class TransactionSenderOptions
{
    /// <summary>How often to ask for the receipt while waiting for inclusion.</summary>
    public TimeSpan ReceiptPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan ReceiptTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gas estimate is multiplied by this (in percent) to leave headroom for state changes before inclusion.</summary>
    public int GasLimitMarginPercent { get; set; } = 20;

    /// <summary>Use EIP-1559 type-2 transactions when the chain reports a base fee; legacy EIP-155 otherwise.</summary>
    public bool PreferEip1559 { get; set; } = true;
}

/// <summary>Builds, signs, sends and waits for transactions from one key.</summary>
public sealed class TransactionSender
{
    private readonly IEvmClient _client;
    private readonly EthKey _key;
    private readonly TransactionSenderOptions _options;
    private readonly TimeProvider _time;
    private readonly NonceManager _nonces;
    private ulong? _chainId;

    public TransactionSender(IEvmClient client, EthKey key, TransactionSenderOptions options, TimeProvider time)
    {
        _client = client;
        _key = key;
        _options = options;
        _time = time;
        _nonces = new NonceManager(client, key.Address);
    }

    public EthAddress Address => _key.Address;

    /// <summary>Re-reads the nonce from the node on the next send (e.g. after a re-org or a development-node revert).</summary>
    public Task ResetNonceAsync(CancellationToken ct) => _nonces.ResetAsync(ct);

    /// <summary>Sends a transaction (To null = contract creation) and returns its hash without waiting.</summary>
    public async Task<Hash32> SendAsync(EthAddress? to, byte[] data, BigInteger value, CancellationToken ct)
    {
        _chainId ??= await _client.GetChainIdAsync(ct);
        var estimate = await _client.EstimateGasAsync(new CallRequest(_key.Address, to, data, value), ct);
        var gasLimit = estimate + (estimate * (ulong)_options.GasLimitMarginPercent / 100);
        var latest = await _client.GetLatestBlockAsync(ct);
        var chainId = _chainId.Value;
        if (_options.PreferEip1559 && latest.BaseFeePerGas is { } baseFee)
        {
            var tip = await _client.GetMaxPriorityFeePerGasAsync(ct);
            var maxFee = (baseFee * 2) + tip;
            return await _nonces.UseNextAsync(
                nonce => _client.SendRawTransactionAsync(new Eip1559Transaction(chainId, nonce, tip, maxFee, gasLimit, to, value, data).Sign(_key), ct), ct);
        }

        var gasPrice = await _client.GetGasPriceAsync(ct);
        return await _nonces.UseNextAsync(
            nonce => _client.SendRawTransactionAsync(new LegacyTransaction(chainId, nonce, gasPrice, gasLimit, to, value, data).Sign(_key), ct), ct);
    }

    /// <summary>Sends and waits until mined; a reverted transaction throws with its hash.</summary>
    public async Task<TransactionReceipt> SendAndWaitAsync(EthAddress? to, byte[] data, BigInteger value, CancellationToken ct)
    {
        var hash = await SendAsync(to, data, value, ct);
        var receipt = await WaitForReceiptAsync(hash, ct);
        return receipt.Succeeded ? receipt : throw new InvalidOperationException($"transaction {hash} reverted in block {receipt.BlockNumber}");
    }

    public async Task<TransactionReceipt> WaitForReceiptAsync(Hash32 hash, CancellationToken ct)
    {
        var deadline = _time.GetUtcNow() + _options.ReceiptTimeout;
        while (true)
        {
            var receipt = await _client.GetTransactionReceiptAsync(hash, ct);
            if (receipt is not null)
            {
                return receipt;
            }

            if (_time.GetUtcNow() >= deadline)
            {
                throw new TimeoutException($"transaction {hash} not mined within {_options.ReceiptTimeout}");
            }

            await Task.Delay(_options.ReceiptPollInterval, _time, ct);
        }
    }
}
