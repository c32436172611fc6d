using System.Globalization;
using System.Text;

namespace DePin.Wireless.CoverageOracle.Rewards;

/// <summary>One row of an epoch's reward report.</summary>
public sealed record RewardRow(string Hotspot, double BeaconShares, double WitnessShares, ulong DcShares, string Reward);

/// <summary>Formats epoch rewards as rows and CSV (hotspot,beacon_shares,witness_shares,dc_shares,reward).</summary>
public static class EpochRewardReport
{
    public const string CsvHeader = "hotspot,beacon_shares,witness_shares,dc_shares,reward";

    public static IReadOnlyList<RewardRow> Rows(IReadOnlyList<HotspotShares> shares, EpochRewardResult result) =>
        shares.Zip(result.Rewards, (s, r) => new RewardRow(s.Hotspot, s.BeaconShares, s.WitnessShares, s.DataCredits, r.Total.ToString(CultureInfo.InvariantCulture))).ToList();

    public static string Csv(IEnumerable<RewardRow> rows)
    {
        var sb = new StringBuilder(CsvHeader).Append('\n');
        foreach (var r in rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{r.Hotspot},{r.BeaconShares:R},{r.WitnessShares:R},{r.DcShares},{r.Reward}\n");
        }

        return sb.ToString();
    }
}
