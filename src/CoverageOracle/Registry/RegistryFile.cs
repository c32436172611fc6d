using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.CoverageOracle.Registry;

/// <summary>
/// A registry snapshot as a JSON file, for the devnet, tests and offline verification:
/// <code>{"hotspots":[{"public_key":"hex (typed key)","owner":"...","region":"US915","capability":"full",
///   "location":"8c1f...(H3 res 12, hex)","gain_deci_dbi":30,"elevation_m":10}],
///  "denylist":["address", ...], "denied_edges":[["address","address"], ...]}</code>
/// A hotspot's id is the address of its public key.
/// </summary>
public static class RegistryFile
{
    public sealed record Snapshot(InMemoryHotspotRegistry Registry, IReadOnlySet<string> Denylist, IReadOnlySet<(string, string)> DeniedEdges);

    public static async Task<Snapshot> LoadAsync(string path, CancellationToken cancellationToken)
    {
        Document doc;
        try
        {
            await using var stream = File.OpenRead(path);
            doc = await JsonSerializer.DeserializeAsync<Document>(stream, cancellationToken: cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"{path}: empty registry file");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a registry JSON file ({ex.Message})", ex);
        }

        var registry = new InMemoryHotspotRegistry();
        foreach (var (h, i) in (doc.Hotspots ?? []).Select((h, i) => (h, i)))
        {
            await AddAsync(registry, h, $"{path}: hotspots[{i}]", cancellationToken).ConfigureAwait(false);
        }

        var edges = new HashSet<(string, string)>();
        foreach (var e in doc.DeniedEdges ?? [])
        {
            if (e.Length != 2)
            {
                throw new InvalidDataException($"{path}: denied_edges entries must be [address, address]");
            }

            edges.Add((e[0], e[1]));
        }

        return new Snapshot(registry, new HashSet<string>(doc.Denylist ?? [], StringComparer.Ordinal), edges);
    }

    private static async Task AddAsync(InMemoryHotspotRegistry registry, Entry h, string where, CancellationToken cancellationToken)
    {
        if (h.PublicKey is null || !PublicKey.TryParse(Convert.FromHexString(h.PublicKey), out var key, out var problem))
        {
            throw new InvalidDataException($"{where}.public_key: not a typed public key in hex");
        }

        _ = problem;
        var capability = h.Capability switch
        {
            null or "full" => HotspotCapability.Full,
            "data_only" => HotspotCapability.DataOnly,
            _ => throw new InvalidDataException($"{where}.capability: \"{h.Capability}\" is not full or data_only"),
        };
        var id = key.ToAddress();
        await registry.OnboardAsync(new HotspotOnboarding(id, key.ToByteArray(), h.Owner ?? "", h.Region ?? "", capability), cancellationToken).ConfigureAwait(false);
        if (h.Location is not null)
        {
            if (!ulong.TryParse(h.Location, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var cell))
            {
                throw new InvalidDataException($"{where}.location: \"{h.Location}\" is not an H3 cell in hex");
            }

            await registry.AssertLocationAsync(new LocationAssertion(id, cell, h.GainDeciDbi, h.ElevationM), cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class Document
    {
        [JsonPropertyName("hotspots")]
        public List<Entry>? Hotspots { get; set; }

        [JsonPropertyName("denylist")]
        public List<string>? Denylist { get; set; }

        [JsonPropertyName("denied_edges")]
        public List<string[]>? DeniedEdges { get; set; }
    }

    private sealed class Entry
    {
        [JsonPropertyName("public_key")]
        public string? PublicKey { get; set; }

        [JsonPropertyName("owner")]
        public string? Owner { get; set; }

        [JsonPropertyName("region")]
        public string? Region { get; set; }

        [JsonPropertyName("capability")]
        public string? Capability { get; set; }

        [JsonPropertyName("location")]
        public string? Location { get; set; }

        [JsonPropertyName("gain_deci_dbi")]
        public int GainDeciDbi { get; set; }

        [JsonPropertyName("elevation_m")]
        public int ElevationM { get; set; }
    }
}
