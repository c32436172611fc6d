using System.Numerics;
using DePin.Wireless.DataCredits.Evm;
using DePin.Wireless.TestSupport;

namespace DePin.Wireless.DataCredits.Tests.Evm;

public sealed class GanacheClientTests : IClassFixture<GanacheFixture>, IDisposable
{
    private readonly GanacheFixture _ganache;
    private readonly HttpClient _http = new();
    private readonly JsonRpcEvmClient _client;

    public GanacheClientTests(GanacheFixture ganache)
    {
        _ganache = ganache;
        _client = new JsonRpcEvmClient(_http, ganache.Server.Endpoint);
    }

    public void Dispose() => _http.Dispose();

    private TransactionSender Sender(int account, bool eip1559 = true) =>
        new(_client, EthKey.Parse(GanacheServer.DeterministicPrivateKeys[account]), new TransactionSenderOptions { PreferEip1559 = eip1559 }, TimeProvider.System);

    [Fact]
    public async Task Derived_addresses_match_the_node_accounts()
    {
        var accounts = await _client.RequestAsync("eth_accounts", [], CancellationToken.None);
        var nodeAccounts = accounts.EnumerateArray().Select(a => EthAddress.Parse(a.GetString()!.ToLowerInvariant())).ToList();
        for (var i = 0; i < GanacheServer.DeterministicPrivateKeys.Count; i++)
        {
            Assert.Equal(nodeAccounts[i], EthKey.Parse(GanacheServer.DeterministicPrivateKeys[i]).Address);
        }

        Assert.Equal(GanacheServer.ChainId, await _client.GetChainIdAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Deploy_transfer_burn_and_read_the_logs_back()
    {
        var ct = CancellationToken.None;
        var deployer = Sender(0);
        var token = await DataCreditsTokenContract.DeployAsync(_client, deployer, 1_000_000_00000000, ct);
        Assert.Equal(new BigInteger(1_000_000_00000000), await token.BalanceOfAsync(deployer.Address, ct));
        Assert.Equal("DPWT", await token.SymbolAsync(ct));

        var holder = Sender(1, eip1559: false);
        await token.TransferAsync(deployer, holder.Address, 500_00000000, ct);
        Assert.Equal(new BigInteger(500_00000000), await token.BalanceOfAsync(holder.Address, ct));

        var payer = new Hash32(Keccak.Hash256("payer-1"));
        var from = await _client.GetBlockNumberAsync(ct);
        var receipt = await token.BurnAsync(holder, payer, 123_45678901, ct);
        Assert.Equal(new BigInteger(500_00000000 - 123_45678901), await token.BalanceOfAsync(holder.Address, ct));

        var logs = await token.GetBurnLogsAsync(from, await _client.GetBlockNumberAsync(ct), pageSize: 1, ct);
        var burn = DataCreditsTokenContract.DecodeBurn(Assert.Single(logs));
        Assert.Equal(holder.Address, burn.Burner);
        Assert.Equal(payer, burn.PayerKey);
        Assert.Equal(new BigInteger(123_45678901), burn.Amount);
        Assert.Equal(receipt.TransactionHash, burn.TransactionHash);
        Assert.Equal(receipt.BlockHash, burn.BlockHash);
        var block = await _client.GetBlockAsync(burn.BlockNumber, ct);
        Assert.Equal(block!.Hash, burn.BlockHash);
    }

    [Fact]
    public async Task Reverted_burn_surfaces_a_clear_rpc_error()
    {
        var ct = CancellationToken.None;
        var deployer = Sender(2);
        var token = await DataCreditsTokenContract.DeployAsync(_client, deployer, 10, ct);
        var e = await Assert.ThrowsAsync<EvmRpcException>(() => token.BurnAsync(deployer, new Hash32(Keccak.Hash256("p")), 11, ct));
        Assert.Equal("eth_estimateGas", e.Method);
        Assert.Contains("revert", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Nonce_manager_sends_many_transactions_back_to_back()
    {
        var ct = CancellationToken.None;
        var sender = Sender(2);
        var target = EthKey.Parse(GanacheServer.DeterministicPrivateKeys[0]).Address;
        var hashes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => sender.SendAsync(target, [], 1, ct)));
        Assert.Equal(8, hashes.Distinct().Count());
        foreach (var hash in hashes)
        {
            Assert.True((await sender.WaitForReceiptAsync(hash, ct)).Succeeded);
        }
    }

    [Fact]
    public async Task Block_headers_chain_by_parent_hash()
    {
        var ct = CancellationToken.None;
        await _client.RequestAsync("evm_mine", [], ct);
        var head = await _client.GetLatestBlockAsync(ct);
        var parent = await _client.GetBlockAsync(head.Number - 1, ct);
        Assert.Equal(parent!.Hash, head.ParentHash);
        Assert.Null(await _client.GetBlockAsync(head.Number + 1000, ct));
    }
}
