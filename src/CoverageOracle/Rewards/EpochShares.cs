using DePin.Wireless.CoverageOracle.Density;
using DePin.Wireless.Proto;

namespace DePin.Wireless.CoverageOracle.Rewards;

/// <summary>An epoch: 24 h starting at Unix time epoch × 24 h (Helium's reward period).</summary>
public readonly record struct RewardEpoch(long Number)
{
    public static readonly TimeSpan Length = TimeSpan.FromHours(24);

    public DateTimeOffset Start => DateTimeOffset.UnixEpoch + (Length * Number);

    public DateTimeOffset End => Start + Length;
}

/// <summary>
/// PoC shares of an epoch from verified PoCs: a hotspot is active when it had a valid beacon with at least one
/// selected witness in the 60 h before the epoch's end (Helium iot_verifier: hex density over hotspots active in
/// the last 60 h); hex density over the active hotspots gives each a scale; each PoC of the epoch with W selected
/// witnesses pays the beaconer HIP-15 beaconer units × its own scale and each selected witness HIP-15 witness
/// units × the BEACONER's scale (Helium scales witness rewards by the beaconer's hex, iot_verifier/src/runner.rs).
/// </summary>
public sealed class EpochShareCalculator(HexDensityCalculator density)
{
    public static readonly TimeSpan ActiveWindow = TimeSpan.FromHours(60);

    /// <param name="pocs">Valid PoCs received in [epoch end − 60 h, epoch end).</param>
    /// <param name="locations">Asserted location per hotspot.</param>
    /// <param name="dataCredits">Data credits per hotspot for the epoch.</param>
    public IReadOnlyList<HotspotShares> Compute(RewardEpoch epoch, IReadOnlyList<VerifiedPoc> pocs, IReadOnlyDictionary<string, ulong> locations, IReadOnlyDictionary<string, ulong> dataCredits)
    {
        var activeFrom = (ulong)(epoch.End - ActiveWindow).ToUnixTimeMilliseconds();
        var active = pocs
            .Where(p => p.Beacon.ReceivedMs >= activeFrom && p.Witnesses.Any(w => w.Selected) && locations.ContainsKey(p.Beaconer))
            .Select(p => p.Beaconer)
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(id => id, id => locations[id], StringComparer.Ordinal);
        var scales = density.Compute(active);

        var beacon = new Dictionary<string, double>(StringComparer.Ordinal);
        var witness = new Dictionary<string, double>(StringComparer.Ordinal);
        var startMs = (ulong)epoch.Start.ToUnixTimeMilliseconds();
        var endMs = (ulong)epoch.End.ToUnixTimeMilliseconds();
        foreach (var poc in pocs.Where(p => p.Beacon.ReceivedMs >= startMs && p.Beacon.ReceivedMs < endMs))
        {
            var selected = poc.Witnesses.Where(w => w.Selected).ToList();
            if (selected.Count == 0)
            {
                continue;
            }

            var scale = density.ScaleOrDefault(scales, poc.Beaconer);
            Add(beacon, poc.Beaconer, RewardUnits.Beaconer(selected.Count) * scale);
            foreach (var w in selected)
            {
                Add(witness, w.Hotspot, RewardUnits.PerWitness(selected.Count) * scale);
            }
        }

        return beacon.Keys.Concat(witness.Keys).Concat(dataCredits.Where(d => d.Value > 0).Select(d => d.Key))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(id => new HotspotShares(id, beacon.GetValueOrDefault(id), witness.GetValueOrDefault(id), dataCredits.GetValueOrDefault(id)))
            .ToList();
    }

    private static void Add(Dictionary<string, double> map, string id, double units) => map[id] = map.GetValueOrDefault(id) + units;
}
