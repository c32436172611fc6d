using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;

namespace DePin.Wireless.DataCredits.Evm;

/// <summary>Ethereum JSON-RPC 2.0 over HTTP POST (https://ethereum.org/developers/docs/apis/json-rpc).</summary>
public sealed class JsonRpcEvmClient : IEvmClient
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private long _nextId;

    public JsonRpcEvmClient(HttpClient http, Uri endpoint)
    {
        _http = http;
        _endpoint = endpoint;
    }

    public async Task<ulong> GetChainIdAsync(CancellationToken ct) => Hex.DecodeUInt64(await RequestStringAsync("eth_chainId", [], ct), "chainId");

    public async Task<ulong> GetBlockNumberAsync(CancellationToken ct) => Hex.DecodeUInt64(await RequestStringAsync("eth_blockNumber", [], ct), "blockNumber");

    public async Task<BlockHeader?> GetBlockAsync(ulong number, CancellationToken ct)
    {
        var result = await RequestAsync("eth_getBlockByNumber", [Hex.EncodeQuantity(number), false], ct);
        return result.ValueKind == JsonValueKind.Null ? null : ParseBlock(result);
    }

    public async Task<BlockHeader> GetLatestBlockAsync(CancellationToken ct)
    {
        var result = await RequestAsync("eth_getBlockByNumber", ["latest", false], ct);
        return result.ValueKind == JsonValueKind.Null
            ? throw new EvmRpcException("eth_getBlockByNumber", 0, "node returned no latest block", null)
            : ParseBlock(result);
    }

    public async Task<ulong> GetPendingTransactionCountAsync(EthAddress address, CancellationToken ct) =>
        Hex.DecodeUInt64(await RequestStringAsync("eth_getTransactionCount", [address.ToString(), "pending"], ct), "transactionCount");

    public async Task<BigInteger> GetGasPriceAsync(CancellationToken ct) => Hex.DecodeQuantity(await RequestStringAsync("eth_gasPrice", [], ct), "gasPrice");

    public async Task<BigInteger> GetMaxPriorityFeePerGasAsync(CancellationToken ct) =>
        Hex.DecodeQuantity(await RequestStringAsync("eth_maxPriorityFeePerGas", [], ct), "maxPriorityFeePerGas");

    public async Task<ulong> EstimateGasAsync(CallRequest call, CancellationToken ct) =>
        Hex.DecodeUInt64(await RequestStringAsync("eth_estimateGas", [CallObject(call)], ct), "gas");

    public async Task<Hash32> SendRawTransactionAsync(ReadOnlyMemory<byte> signed, CancellationToken ct) =>
        Hash32.Parse(await RequestStringAsync("eth_sendRawTransaction", [Hex.Encode(signed.Span)], ct), "transactionHash");

    public async Task<TransactionReceipt?> GetTransactionReceiptAsync(Hash32 transactionHash, CancellationToken ct)
    {
        var r = await RequestAsync("eth_getTransactionReceipt", [transactionHash.ToString()], ct);
        if (r.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var contract = r.TryGetProperty("contractAddress", out var c) && c.ValueKind == JsonValueKind.String ? EthAddress.Parse(c.GetString()!.ToLowerInvariant()) : (EthAddress?)null;
        return new TransactionReceipt(
            Hash32.Parse(r.GetProperty("transactionHash").GetString()),
            Hex.DecodeUInt64(r.GetProperty("blockNumber").GetString()),
            Hash32.Parse(r.GetProperty("blockHash").GetString()),
            Hex.DecodeQuantity(r.GetProperty("status").GetString()) == 1,
            Hex.DecodeUInt64(r.GetProperty("gasUsed").GetString()),
            contract,
            r.GetProperty("logs").EnumerateArray().Select(ParseLog).ToList());
    }

    public async Task<byte[]> CallAsync(CallRequest call, CancellationToken ct) =>
        Hex.Decode(await RequestStringAsync("eth_call", [CallObject(call), "latest"], ct), "eth_call result");

    public async Task<IReadOnlyList<EvmLog>> GetLogsAsync(LogFilter filter, CancellationToken ct)
    {
        var query = new Dictionary<string, object?>
        {
            ["fromBlock"] = Hex.EncodeQuantity(filter.FromBlock),
            ["toBlock"] = Hex.EncodeQuantity(filter.ToBlock),
            ["address"] = filter.Address.ToString(),
            ["topics"] = filter.Topics.Select(t => t?.ToString()).ToArray(),
        };
        var result = await RequestAsync("eth_getLogs", [query], ct);
        return result.EnumerateArray().Select(ParseLog).ToList();
    }

    public async Task<JsonElement> RequestAsync(string method, object?[] parameters, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref _nextId);
        using var response = await _http.PostAsJsonAsync(_endpoint, new { jsonrpc = "2.0", id, method, @params = parameters }, ct);
        if (!response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            throw new HttpRequestException($"{method}: HTTP {(int)response.StatusCode} {response.ReasonPhrase} from {_endpoint}");
        }

        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0;
            var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : string.Empty;
            var data = error.TryGetProperty("data", out var d) ? d.ToString() : null;
            throw new EvmRpcException(method, code, message, data);
        }

        if (!root.TryGetProperty("result", out var result))
        {
            throw new EvmRpcException(method, 0, "response has neither result nor error", null);
        }

        return result.Clone();
    }

    private async Task<string> RequestStringAsync(string method, object?[] parameters, CancellationToken ct)
    {
        var result = await RequestAsync(method, parameters, ct);
        return result.ValueKind == JsonValueKind.String
            ? result.GetString()!
            : throw new EvmRpcException(method, 0, $"expected a hex string result, got {result.ValueKind}", result.ToString());
    }

    private static Dictionary<string, string> CallObject(CallRequest call)
    {
        var o = new Dictionary<string, string> { ["data"] = Hex.Encode(call.Data) };
        if (call.From is { } from)
        {
            o["from"] = from.ToString();
        }

        if (call.To is { } to)
        {
            o["to"] = to.ToString();
        }

        if (!call.Value.IsZero)
        {
            o["value"] = Hex.EncodeQuantity(call.Value);
        }

        return o;
    }

    private static BlockHeader ParseBlock(JsonElement b) => new(
        Hex.DecodeUInt64(b.GetProperty("number").GetString()),
        Hash32.Parse(b.GetProperty("hash").GetString()),
        Hash32.Parse(b.GetProperty("parentHash").GetString()),
        Hex.DecodeUInt64(b.GetProperty("timestamp").GetString()),
        b.TryGetProperty("baseFeePerGas", out var fee) && fee.ValueKind == JsonValueKind.String ? Hex.DecodeQuantity(fee.GetString()) : null);

    private static EvmLog ParseLog(JsonElement l) => new(
        EthAddress.Parse(l.GetProperty("address").GetString()!.ToLowerInvariant()),
        l.GetProperty("topics").EnumerateArray().Select(t => Hash32.Parse(t.GetString())).ToList(),
        Hex.Decode(l.GetProperty("data").GetString(), "log data"),
        Hex.DecodeUInt64(l.GetProperty("blockNumber").GetString()),
        Hash32.Parse(l.GetProperty("blockHash").GetString()),
        Hash32.Parse(l.GetProperty("transactionHash").GetString()),
        Hex.DecodeUInt64(l.GetProperty("logIndex").GetString()),
        l.TryGetProperty("removed", out var removed) && removed.ValueKind == JsonValueKind.True);
}
