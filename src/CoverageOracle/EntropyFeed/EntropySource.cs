using System.Buffers.Binary;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using DePin.Wireless.Core.Identity;

namespace DePin.Wireless.CoverageOracle.EntropyFeed;

/// <summary>The latest block of a chain, whose hash seeds entropy nobody (not even the oracle) could predict.</summary>
public interface IChainHead
{
    /// <summary>The latest block's hash; throws when the chain cannot be reached.</summary>
    Task<byte[]> LatestBlockHashAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Entropy values: SHA-256(latest block hash ‖ u64_le(unix seconds)) when a chain is configured (Helium's
/// entropy service hashes the latest Solana blockhash with the time, reference doc §1), otherwise 32 bytes from
/// the random source (a CSPRNG in production, a seeded source in tests).
/// </summary>
public sealed class EntropySource(IRandomSource random, IChainHead? chain = null)
{
    public const int Length = 32;

    public async Task<byte[]> NextAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (chain is null)
        {
            var data = new byte[Length];
            random.Fill(data);
            return data;
        }

        var hash = await chain.LatestBlockHashAsync(cancellationToken).ConfigureAwait(false);
        return FromBlockHash(hash, now);
    }

    public static byte[] FromBlockHash(ReadOnlySpan<byte> blockHash, DateTimeOffset now)
    {
        var input = new byte[blockHash.Length + sizeof(ulong)];
        blockHash.CopyTo(input);
        BinaryPrimitives.WriteUInt64LittleEndian(input.AsSpan(blockHash.Length), (ulong)now.ToUnixTimeSeconds());
        return SHA256.HashData(input);
    }
}

/// <summary>An Ethereum JSON-RPC node (e.g. the devnet's ganache): <c>eth_getBlockByNumber("latest")</c>'s hash.</summary>
public sealed class JsonRpcChainHead(HttpClient http, Uri endpoint) : IChainHead
{
    public async Task<byte[]> LatestBlockHashAsync(CancellationToken cancellationToken)
    {
        var request = new { jsonrpc = "2.0", id = 1, method = "eth_getBlockByNumber", @params = new object[] { "latest", false } };
        using var response = await http.PostAsJsonAsync(endpoint, request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!doc.RootElement.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object ||
            !result.TryGetProperty("hash", out var hash) || hash.GetString() is not { } hex || !hex.StartsWith("0x", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"chain {endpoint}: eth_getBlockByNumber answer has no result.hash");
        }

        return Convert.FromHexString(hex.AsSpan(2));
    }
}
