using System.Text.Json;
using DePin.Wireless.Devnet.Run;

namespace DePin.Wireless.Devnet.Tests.Run;

/// <summary>One small devnet run with every adversary kind, judged by Helium's checks and by the oracle's spoofing analysis.</summary>
public sealed class SpoofingRunFixture
{
    public static RunOptions Options => new() { Hotspots = 150, Devices = 0, Hours = 12, Seed = 11, Adversaries = 15, OutputDirectory = "unused" };

    public SpoofingRunFixture()
    {
        using var simulation = new DevnetSimulation(Options);
        Result = simulation.Run();
    }

    public RunResult Result { get; }
}

public sealed class SpoofingDevnetTests(SpoofingRunFixture run) : IClassFixture<SpoofingRunFixture>
{
    private AdversaryOutcome Adversaries => run.Result.Adversaries;

    [Fact]
    public void The_oracle_detects_more_adversaries_than_helium_checks_alone_and_its_spoofing_analysis_penalises_at_most_one_percent_of_honest_hotspots()
    {
        Assert.Equal(15, Adversaries.Count);
        Assert.Equal(135, Adversaries.Honest);
        // The analysis does not replace Helium's checks (they catch far spoofers by distance alone); it adds the
        // adversaries those checks let through, relay pairs above all (see the next test).
        Assert.True(Adversaries.SpoofingAnalysis.Detected > 0, "the spoofing analysis detects adversaries");
        Assert.Contains(Adversaries.Hotspots, a => a.SpoofingDetected && !a.HeliumDetected);
        Assert.True(Adversaries.Detected > Adversaries.HeliumChecks.Detected, $"oracle (both) {Adversaries.Detected} vs Helium {Adversaries.HeliumChecks.Detected}");
        Assert.True(Adversaries.SpoofingAnalysis.HonestPenalised <= 0.01 * Adversaries.Honest, $"{Adversaries.SpoofingAnalysis.HonestPenalised} of {Adversaries.Honest} honest hotspots penalised by the spoofing analysis");
        Assert.Equal(Adversaries.Hotspots.Count(a => a.HeliumDetected || a.SpoofingDetected), Adversaries.Detected);
        Assert.Equal(Adversaries.Count, Adversaries.ByKind.Sum(k => k.Count));
        Assert.Equal(Adversaries.SpoofingAnalysis.Detected, Adversaries.ByKind.Sum(k => k.SpoofingDetected));
        Assert.Equal(Adversaries.HeliumChecks.Detected, Adversaries.ByKind.Sum(k => k.HeliumDetected));
    }

    [Fact]
    public void Relay_pairs_are_caught_by_the_spoofing_analysis_through_their_copied_signal()
    {
        var relays = Adversaries.Hotspots.Where(a => a.Role is HotspotRole.RelayListener or HotspotRole.RelayTransmitter).ToList();
        Assert.NotEmpty(relays);
        Assert.All(relays, r => Assert.True(r.SpoofingDetected, $"{r.Role} {r.Hotspot}: {string.Join(" | ", r.SpoofingReasons)}"));
        Assert.All(relays, r => Assert.Contains(r.SpoofingReasons, reason => reason.StartsWith("witness_graph_copied_signal", StringComparison.Ordinal)));
    }

    [Fact]
    public void Hotspots_below_the_zero_reward_trust_are_paid_nothing_and_their_share_goes_to_the_others()
    {
        var result = run.Result;
        var zeroBelow = new CoverageOracle.Spoofing.TrustScoreOptions().ZeroRewardBelow;
        var zeroed = result.Spoofing.Hotspots.Where(h => h.Penalised && h.Trust.Score < zeroBelow).Select(h => h.HotspotId).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(zeroed);
        Assert.All(result.Rewards.Where(r => zeroed.Contains(r.Hotspot)), r => Assert.Equal(0, r.Reward));
        Assert.All(Adversaries.Hotspots.Where(a => zeroed.Contains(a.Hotspot)), a => Assert.Equal(0, a.Reward));

        // Withheld shares stay in the pools: the emission is still distributed (up to integer rounding per hotspot).
        Assert.InRange(result.Distributed, result.EpochEmission - result.Rewards.Count, result.EpochEmission);
    }

    [Fact]
    public void Summary_keeps_the_required_adversary_keys_and_adds_the_detector_comparison()
    {
        using var json = JsonDocument.Parse(SmallRunFixture.Summary(run.Result));
        var adversaries = json.RootElement.GetProperty("adversaries");
        Assert.Equal(["count", "detected", "honest_penalised", "honest", "helium_checks", "spoofing_analysis", "by_kind"], adversaries.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Adversaries.HeliumChecks.Detected, adversaries.GetProperty("helium_checks").GetProperty("detected").GetInt32());
        Assert.Equal(Adversaries.SpoofingAnalysis.HonestPenalised, adversaries.GetProperty("spoofing_analysis").GetProperty("honest_penalised").GetInt32());
        var kinds = adversaries.GetProperty("by_kind");
        Assert.Equal(["location_spoofer", "relay_listener", "relay_transmitter", "room_cluster"], kinds.EnumerateObject().Select(p => p.Name));
        Assert.All(kinds.EnumerateObject(), k => Assert.Equal(["count", "helium_detected", "spoofing_detected", "detected"], k.Value.EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public void Adversaries_csv_carries_both_verdicts_and_the_spoofing_reasons()
    {
        var lines = SmallRunFixture.Text(RunOutputWriter.WriteAdversaries, run.Result).TrimEnd('\n').Split('\n');
        Assert.Equal("hotspot,role,detected,helium_detected,spoofing_detected,reasons,spoofing_trust,spoofing_reasons,reward", lines[0]);
        Assert.Equal(16, lines.Length);
        Assert.Contains(lines.Skip(1), l => l.Split(',')[4] == "true" && l.Contains("\"witness_graph_copied_signal: ", StringComparison.Ordinal));
        Assert.All(lines.Skip(1), l => Assert.Equal(l.Split(',')[2] == "true", l.Split(',')[3] == "true" || l.Split(',')[4] == "true"));
    }

    [Fact]
    public void Same_seed_gives_the_same_spoofing_verdicts()
    {
        using var again = new DevnetSimulation(SpoofingRunFixture.Options);
        var second = again.Run();
        Assert.Equal(SmallRunFixture.Text(RunOutputWriter.WriteAdversaries, run.Result), SmallRunFixture.Text(RunOutputWriter.WriteAdversaries, second));
        Assert.Equal(SmallRunFixture.Summary(run.Result), SmallRunFixture.Summary(second));
        Assert.Equal(
            run.Result.Spoofing.Hotspots.Select(h => (h.HotspotId, h.Penalised, h.Trust.Score)),
            second.Spoofing.Hotspots.Select(h => (h.HotspotId, h.Penalised, h.Trust.Score)));
    }
}
