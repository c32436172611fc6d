using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.CoverageOracle.VerifyRunner;

/// <summary>The verifier's lookups over a registry snapshot and the entropy values of a window (immutable).</summary>
public sealed class SnapshotLookups(IReadOnlyList<HotspotInfo> hotspots, IReadOnlySet<string> denylist, IReadOnlySet<(string, string)> deniedEdges, IEnumerable<EntropyRecord> entropies) : IVerifierLookups
{
    private readonly Dictionary<string, HotspotInfo> _hotspots = hotspots.ToDictionary(h => h.Id, StringComparer.Ordinal);
    private readonly Dictionary<string, EntropyRecord> _entropies = entropies
        .GroupBy(e => Convert.ToHexString(e.Data))
        .ToDictionary(g => g.Key, g => g.MinBy(e => e.Timestamp)!, StringComparer.Ordinal);

    public HotspotInfo? FindHotspot(string id) => _hotspots.GetValueOrDefault(id);

    public bool IsDenied(string id) => denylist.Contains(id);

    public bool IsEdgeDenied(string a, string b) => deniedEdges.Contains((a, b)) || deniedEdges.Contains((b, a));

    public EntropyRecord? FindEntropy(ReadOnlySpan<byte> data) => _entropies.GetValueOrDefault(Convert.ToHexString(data));
}
