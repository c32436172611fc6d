using System.Numerics;
using System.Reflection;
using System.Text.Json;

namespace DePin.Wireless.DataCredits.Evm;

/// <summary>A burn of tokens for a payer, decoded from a DataCreditsBurned event.</summary>
public sealed record BurnEvent(EthAddress Burner, Hash32 PayerKey, BigInteger Amount, ulong BlockNumber, Hash32 BlockHash, Hash32 TransactionHash, ulong LogIndex);

/// <summary>Typed access to DataCreditsToken.sol: deploy, transfer, burn, balance and burn-event decoding.</summary>
public sealed class DataCreditsTokenContract
{
    public const string BurnEventSignature = "DataCreditsBurned(address,bytes32,uint256)";

    /// <summary>The token has 8 decimals, like HNT.</summary>
    public const int Decimals = 8;

    public static readonly Hash32 BurnEventTopic = Abi.EventTopic(BurnEventSignature);

    private readonly IEvmClient _client;

    public DataCreditsTokenContract(IEvmClient client, EthAddress address)
    {
        _client = client;
        Address = address;
    }

    public EthAddress Address { get; }

    /// <summary>The creation bytecode compiled by contracts/compile.mjs (embedded DataCreditsToken.json).</summary>
    public static byte[] CreationBytecode()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("DataCreditsToken.json")
            ?? throw new InvalidOperationException("embedded resource DataCreditsToken.json is missing");
        using var document = JsonDocument.Parse(stream);
        return Hex.Decode(document.RootElement.GetProperty("bytecode").GetString(), "bytecode");
    }

    public static async Task<DataCreditsTokenContract> DeployAsync(IEvmClient client, TransactionSender sender, BigInteger initialSupply, CancellationToken ct)
    {
        byte[] data = [.. CreationBytecode(), .. Abi.Encode([new AbiValue.Uint256(initialSupply)])];
        var receipt = await sender.SendAndWaitAsync(null, data, BigInteger.Zero, ct);
        var address = receipt.ContractAddress ?? throw new InvalidOperationException($"deployment {receipt.TransactionHash} has no contract address");
        return new DataCreditsTokenContract(client, address);
    }

    public Task<TransactionReceipt> TransferAsync(TransactionSender sender, EthAddress to, BigInteger amount, CancellationToken ct) =>
        sender.SendAndWaitAsync(Address, Abi.EncodeCall("transfer(address,uint256)", new AbiValue.Address(to), new AbiValue.Uint256(amount)), BigInteger.Zero, ct);

    public Task<Hash32> SendBurnAsync(TransactionSender sender, Hash32 payerKey, BigInteger amount, CancellationToken ct) =>
        sender.SendAsync(Address, BurnCallData(payerKey, amount), BigInteger.Zero, ct);

    public Task<TransactionReceipt> BurnAsync(TransactionSender sender, Hash32 payerKey, BigInteger amount, CancellationToken ct) =>
        sender.SendAndWaitAsync(Address, BurnCallData(payerKey, amount), BigInteger.Zero, ct);

    public async Task<BigInteger> BalanceOfAsync(EthAddress account, CancellationToken ct)
    {
        var result = await _client.CallAsync(new CallRequest(null, Address, Abi.EncodeCall("balanceOf(address)", new AbiValue.Address(account)), BigInteger.Zero), ct);
        return ((AbiValue.Uint256)Abi.Decode(["uint256"], result)[0]).Value;
    }

    public async Task<string> SymbolAsync(CancellationToken ct)
    {
        var result = await _client.CallAsync(new CallRequest(null, Address, Abi.EncodeCall("symbol()"), BigInteger.Zero), ct);
        return ((AbiValue.String)Abi.Decode(["string"], result)[0]).Value;
    }

    public Task<IReadOnlyList<EvmLog>> GetBurnLogsAsync(ulong fromBlock, ulong toBlock, ulong pageSize, CancellationToken ct) =>
        LogReader.GetLogsPagedAsync(_client, Address, [BurnEventTopic], fromBlock, toBlock, pageSize, ct);

    /// <summary>Decodes a DataCreditsBurned log: burner and payerKey are indexed topics, amount is the data word.</summary>
    public static BurnEvent DecodeBurn(EvmLog log)
    {
        if (log.Topics.Count != 3 || log.Topics[0] != BurnEventTopic)
        {
            throw new FormatException($"log {log.TransactionHash}#{log.LogIndex} is not a DataCreditsBurned event");
        }

        var burner = ((AbiValue.Address)Abi.DecodeStatic("address", log.Topics[1].Bytes)).Value;
        var amount = ((AbiValue.Uint256)Abi.Decode(["uint256"], log.Data)[0]).Value;
        return new BurnEvent(burner, log.Topics[2], amount, log.BlockNumber, log.BlockHash, log.TransactionHash, log.LogIndex);
    }

    private static byte[] BurnCallData(Hash32 payerKey, BigInteger amount) =>
        Abi.EncodeCall("burnForDataCredits(bytes32,uint256)", new AbiValue.Bytes32(payerKey), new AbiValue.Uint256(amount));
}
