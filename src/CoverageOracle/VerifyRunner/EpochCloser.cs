using System.Numerics;
using DePin.Wireless.CoverageOracle.Coverage;
using DePin.Wireless.CoverageOracle.Density;
using DePin.Wireless.CoverageOracle.Map;
using DePin.Wireless.CoverageOracle.Rewards;
using DePin.Wireless.CoverageOracle.Service;
using DePin.Wireless.CoverageOracle.Spoofing;
using DePin.Wireless.Proto;

namespace DePin.Wireless.CoverageOracle.VerifyRunner;

/// <summary>A closed epoch: everyone's shares (after the spoofing adjustment), the paid rewards, the map epoch and the spoofing analysis (null when off).</summary>
public sealed record EpochOutcome(RewardEpoch Epoch, IReadOnlyList<HotspotShares> Shares, EpochRewardResult Rewards, EpochSnapshot Map, SpoofingReport? Spoofing = null);

/// <summary>
/// Closes an epoch from the verification outputs in a directory: HIP-17/104 shares over the 60 h active window,
/// the emission split (same as <c>rewards</c>), and the map epoch (coverage cells, every asserted hotspot with its
/// reward and invalid reasons, valid selected witness links) built by <see cref="EpochSnapshotBuilder"/>.
/// With <paramref name="spoofing"/> the epoch's valid PoCs go through <see cref="SpoofingAnalyzer"/> first and penalised
/// hotspots' PoC shares are scaled by their trust (<see cref="SpoofingRewardAdjustment"/>); their verdicts join the
/// map's reasons as <c>spoofing:…</c>.
/// </summary>
public sealed class EpochCloser(HexDensityCalculator density, CoverageScorer scorer, RewardPoolOptions pools, SpoofingOptions? spoofing = null)
{
    /// <summary>Output files are named by their window start; one day of lookback finds every file that can hold records of the range.</summary>
    private static readonly TimeSpan OutputLookback = TimeSpan.FromDays(1);

    public EpochOutcome Close(string outputDirectory, RewardEpoch epoch, RegistryView registry, BigInteger emission, IReadOnlyDictionary<string, ulong> dataCredits)
    {
        var locations = registry.Hotspots.Where(h => h.Location is not null).ToDictionary(h => h.Id, h => h.Location!.Value, StringComparer.Ordinal);
        var pocs = StoredReports.ReadMessages(outputDirectory, ReportPrefixes.Poc, epoch.End - EpochShareCalculator.ActiveWindow, epoch.End, OutputLookback, VerifiedPoc.Parser);
        IReadOnlyList<HotspotShares> shares = new EpochShareCalculator(density).Compute(epoch, pocs, locations, dataCredits);

        var startMs = (ulong)epoch.Start.ToUnixTimeMilliseconds();
        var endMs = (ulong)epoch.End.ToUnixTimeMilliseconds();
        bool InEpoch(ulong ms) => ms >= startMs && ms < endMs;
        var epochPocs = pocs.Where(p => InEpoch(p.Beacon.ReceivedMs)).ToList();
        var analysis = spoofing is null ? null : SpoofingRewardAdjustment.AnalyzeEpoch(epochPocs, epoch, registry.Hotspots, spoofing);
        if (analysis is not null)
        {
            shares = SpoofingRewardAdjustment.Apply(shares, analysis);
        }

        var rewards = EpochRewardCalculator.Compute(emission, shares, pools);
        var invalidBeacons = StoredReports.ReadMessages(outputDirectory, ReportPrefixes.InvalidBeacon, epoch.Start, epoch.End, OutputLookback, InvalidBeaconRecord.Parser)
            .Where(b => InEpoch(b.Report.ReceivedMs));
        var invalidWitnesses = StoredReports.ReadMessages(outputDirectory, ReportPrefixes.InvalidWitness, epoch.Start, epoch.End, OutputLookback, InvalidWitnessRecord.Parser)
            .Where(w => InEpoch(w.BeaconReceivedMs));

        var spoofingReasons = (analysis?.Hotspots ?? []).Where(h => h.Penalised).SelectMany(h => h.Verdicts.Select(v => (Hotspot: h.HotspotId, Reason: "spoofing:" + v.Check.ToString().ToLowerInvariant())));
        var reasons = invalidBeacons.Select(b => (b.Hotspot, b.Reason)).Concat(invalidWitnesses.Select(w => (w.Hotspot, w.Reason))).Concat(spoofingReasons)
            .GroupBy(r => r.Hotspot, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(r => r.Reason).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        // Took part: a valid beacon or a selected witness in the epoch (as the devnet's map counts it).
        var active = epochPocs.Select(p => p.Beaconer)
            .Concat(epochPocs.SelectMany(p => p.Witnesses.Where(w => w.Selected).Select(w => w.Hotspot)))
            .ToHashSet(StringComparer.Ordinal);
        var paid = rewards.Rewards.ToDictionary(r => r.Hotspot, r => r.Total, StringComparer.Ordinal);

        var hotspots = locations.OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => new MapHotspot(l.Key, l.Value, paid.GetValueOrDefault(l.Key), active.Contains(l.Key), reasons.GetValueOrDefault(l.Key) ?? []));
        var links = epochPocs
            .Where(p => locations.ContainsKey(p.Beaconer))
            .SelectMany(p => p.Witnesses.Where(w => w.Selected && locations.ContainsKey(w.Hotspot)).Select(w => (p.Beaconer, Witness: w)))
            .Select(x =>
            {
                var report = WitnessReport.Parser.ParseFrom(x.Witness.Report.Envelope.Payload);
                return new MapLink(x.Beaconer, locations[x.Beaconer], x.Witness.Hotspot, locations[x.Witness.Hotspot], report.SignalDdbm / 10.0, report.SnrCdb / 100.0);
            });
        var cells = scorer.Score(epochPocs, locations).Select(c => (c.Cell, c.Score, c.Hotspots));
        var map = EpochSnapshotBuilder.Build(new EpochInfo(epoch.Number, epoch.Start, epoch.End), cells, hotspots, links);
        return new EpochOutcome(epoch, shares, rewards, map, analysis);
    }
}
