using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DePin.Wireless.CoverageOracle.Rewards;

/// <summary>Data credits each hotspot earned by carrying bought packets in an epoch (from the DataCredits service).</summary>
public interface IDataTransferShares
{
    Task<IReadOnlyDictionary<string, ulong>> ForEpochAsync(RewardEpoch epoch, CancellationToken cancellationToken);
}

/// <summary>Shares held in process (devnet, tests, or a file export).</summary>
public sealed class InMemoryDataTransferShares : IDataTransferShares
{
    private readonly Dictionary<long, Dictionary<string, ulong>> _byEpoch = [];

    public void Set(RewardEpoch epoch, string hotspot, ulong dc)
    {
        if (!_byEpoch.TryGetValue(epoch.Number, out var shares))
        {
            _byEpoch[epoch.Number] = shares = new Dictionary<string, ulong>(StringComparer.Ordinal);
        }

        shares[hotspot] = dc;
    }

    public Task<IReadOnlyDictionary<string, ulong>> ForEpochAsync(RewardEpoch epoch, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, ulong>>(_byEpoch.TryGetValue(epoch.Number, out var s) ? new Dictionary<string, ulong>(s, StringComparer.Ordinal) : new Dictionary<string, ulong>());
}

/// <summary>
/// The DataCredits HTTP API: <c>GET {base}/v1/shares?epoch=E</c> →
/// <c>{"epoch":E,"shares":[{"hotspot":"address","dc":123}, ...]}</c>.
/// </summary>
public sealed class HttpDataTransferShares(HttpClient http) : IDataTransferShares
{
    public async Task<IReadOnlyDictionary<string, ulong>> ForEpochAsync(RewardEpoch epoch, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri("v1/shares?epoch=" + epoch.Number.ToString(CultureInfo.InvariantCulture), UriKind.Relative), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new IOException($"DataCredits {http.BaseAddress}v1/shares?epoch={epoch.Number}: HTTP {(int)response.StatusCode}");
        }

        var body = await response.Content.ReadFromJsonAsync<SharesDocument>(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("DataCredits shares: empty answer");
        if (body.Epoch != epoch.Number)
        {
            throw new InvalidDataException($"DataCredits shares: answered epoch {body.Epoch}, asked {epoch.Number}");
        }

        var result = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var s in body.Shares ?? [])
        {
            if (string.IsNullOrEmpty(s.Hotspot))
            {
                throw new InvalidDataException("DataCredits shares: an entry has no hotspot");
            }

            result[s.Hotspot] = result.GetValueOrDefault(s.Hotspot) + s.Dc;
        }

        return result;
    }

    private sealed class SharesDocument
    {
        [JsonPropertyName("epoch")]
        public long Epoch { get; set; }

        [JsonPropertyName("shares")]
        public List<Share>? Shares { get; set; }
    }

    private sealed class Share
    {
        [JsonPropertyName("hotspot")]
        public string? Hotspot { get; set; }

        [JsonPropertyName("dc")]
        public ulong Dc { get; set; }
    }
}
