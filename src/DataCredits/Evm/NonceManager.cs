namespace DePin.Wireless.DataCredits.Evm;

/// <summary>
/// Hands out consecutive nonces for one sender without a round trip per transaction. It syncs from the node's
/// pending transaction count on first use and whenever a send fails, so a rejected transaction never leaves a gap.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "SemaphoreSlim holds no OS handle unless AvailableWaitHandle is read, which this class never does.")]
public sealed class NonceManager
{
    private readonly IEvmClient _client;
    private readonly EthAddress _sender;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ulong? _next;

    public NonceManager(IEvmClient client, EthAddress sender)
    {
        _client = client;
        _sender = sender;
    }

    /// <summary>Forgets the local nonce so the next send re-reads the pending count (after a re-org dropped our transactions).</summary>
    public async Task ResetAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        _next = null;
        _gate.Release();
    }

    /// <summary>Reserves the next nonce and runs <paramref name="send"/> with it; resyncs from the node if it throws.</summary>
    public async Task<T> UseNextAsync<T>(Func<ulong, Task<T>> send, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            _next ??= await _client.GetPendingTransactionCountAsync(_sender, ct);
            var nonce = _next.Value;
            try
            {
                var result = await send(nonce);
                _next = nonce + 1;
                return result;
            }
            catch
            {
                _next = null;
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
