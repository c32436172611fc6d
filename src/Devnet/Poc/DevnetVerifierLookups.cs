using System.Buffers.Binary;
using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.Devnet.Poc;

/// <summary>
/// What the verifier looks up, held in process: hotspots as the registry knows them (asserted locations, not true
/// positions) and the entropy the devnet's oracle published. No deny list in the devnet.
/// </summary>
public sealed class DevnetVerifierLookups : IVerifierLookups
{
    private readonly Dictionary<string, HotspotInfo> _hotspots = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, List<EntropyRecord>> _entropy = [];

    public void AddHotspot(HotspotInfo hotspot) => _hotspots[hotspot.Id] = hotspot;

    public void AddEntropy(EntropyRecord entropy)
    {
        var key = KeyOf(entropy.Data);
        if (!_entropy.TryGetValue(key, out var list))
        {
            list = [];
            _entropy[key] = list;
        }

        list.Add(entropy);
    }

    public HotspotInfo? FindHotspot(string id) => _hotspots.GetValueOrDefault(id);

    public bool IsDenied(string id) => false;

    public bool IsEdgeDenied(string a, string b) => false;

    public EntropyRecord? FindEntropy(ReadOnlySpan<byte> data)
    {
        if (data.Length < sizeof(ulong) || !_entropy.TryGetValue(KeyOf(data), out var list))
        {
            return null;
        }

        foreach (var entropy in list)
        {
            if (data.SequenceEqual(entropy.Data))
            {
                return entropy;
            }
        }

        return null;
    }

    private static ulong KeyOf(ReadOnlySpan<byte> data) => data.Length >= sizeof(ulong) ? BinaryPrimitives.ReadUInt64LittleEndian(data) : 0;
}
