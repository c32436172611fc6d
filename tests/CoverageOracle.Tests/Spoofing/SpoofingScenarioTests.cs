using System.Globalization;
using DePin.Wireless.CoverageOracle.Spoofing;
using Xunit.Abstractions;

namespace DePin.Wireless.CoverageOracle.Tests.Spoofing;

/// <summary>End-to-end: seeded synthetic epochs with honest hotspots and each adversary type, through <see cref="SpoofingAnalyzer"/>.</summary>
public sealed class SpoofingScenarioTests(ITestOutputHelper output)
{
    /// <summary>Measured over the ten seeds (see docs/spoofing.md); the assertion leaves headroom over the measurement.</summary>
    private const double MaxHonestPenalisedShare = 0.05;

    private static SpoofingReport Run(SyntheticEpoch epoch) => new SpoofingAnalyzer(new SpoofingOptions()).Analyze(epoch.Results, epoch.Registry);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Location_spoofer_is_caught_by_path_loss_and_timing(int seed)
    {
        var report = Run(new SyntheticEpoch(seed, relayers: false, roomCluster: false));
        var spoofer = report.For("spoofer")!;
        Assert.Contains(spoofer.Verdicts, v => v.Check == SpoofingCheck.PathLoss && v.Strength == EvidenceStrength.Strong);
        Assert.Contains(spoofer.Verdicts, v => v.Check == SpoofingCheck.Timing);
        Assert.True(spoofer.Penalised);
        Assert.Equal(0, spoofer.RewardMultiplier);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Relay_partner_is_caught_by_timing_and_snr(int seed)
    {
        var report = Run(new SyntheticEpoch(seed, spoofer: false, roomCluster: false));
        var partner = report.For("relay-partner")!;
        Assert.Contains(partner.Verdicts, v => v.Check == SpoofingCheck.Timing);
        Assert.Contains(partner.Verdicts, v => v.Check == SpoofingCheck.SnrRssi);
        Assert.True(partner.Penalised);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Room_cluster_is_caught_by_the_witness_graph(int seed)
    {
        var report = Run(new SyntheticEpoch(seed, spoofer: false, relayers: false));
        for (var i = 0; i < 5; i++)
        {
            var member = report.For($"room-{i}")!;
            Assert.Contains(member.Verdicts, v => v.Reason.StartsWith("witness_graph_island", StringComparison.Ordinal));
            Assert.Contains(member.Verdicts, v => v.Reason.StartsWith("witness_graph_uniform_rssi", StringComparison.Ordinal));
            Assert.True(member.Penalised);
        }
    }

    [Theory]
    [InlineData("baseline σ=7 dB, forged-RSSI relay", 7.0, RelayStyle.ForgedRssi, 10, true, 1.0)]
    [InlineData("σ=8 dB, forged-RSSI relay", 8.0, RelayStyle.ForgedRssi, 5, true, 1.0)]
    [InlineData("σ=7 dB, devnet-style relay (copied RSSI/SNR, no GPS)", 7.0, RelayStyle.CopiedSignal, 5, true, 1.0)]
    [InlineData("σ=7 dB, room cluster audible to the city (measured 24/25)", 7.0, RelayStyle.ForgedRssi, 5, false, 0.8)]
    public void All_adversaries_together_detected_with_few_honest_false_positives(string name, double sigma, RelayStyle relay, int seeds, bool shieldedRoom, double minRoomDetected)
    {
        var honest = 0;
        var honestPenalised = 0;
        var detected = new SortedDictionary<SimRole, (int Caught, int Total)>();
        var byCheck = new SortedDictionary<(SimRole, SpoofingCheck), int>();
        var passedHelium = new SortedDictionary<SimRole, int>();
        for (var seed = 1; seed <= seeds; seed++)
        {
            var epoch = new SyntheticEpoch(seed, shadowingSigmaDb: sigma, relayStyle: relay, shieldedRoom: shieldedRoom);
            var report = Run(epoch);
            foreach (var h in epoch.Hotspots)
            {
                var r = report.For(h.Id)!;
                foreach (var c in r.Verdicts.Where(v => v.Strength == EvidenceStrength.Strong).Select(v => v.Check).Distinct())
                {
                    byCheck[(h.Role, c)] = byCheck.GetValueOrDefault((h.Role, c)) + 1;
                }

                if (h.Role == SimRole.Honest)
                {
                    honest++;
                    honestPenalised += r.Penalised ? 1 : 0;
                    if (r.Penalised)
                    {
                        output.WriteLine($"seed {seed} honest {h.Id} penalised: {string.Join("; ", r.Reasons)}");
                    }
                }
                else
                {
                    detected.TryGetValue(h.Role, out var d);
                    detected[h.Role] = (d.Caught + (r.Penalised ? 1 : 0), d.Total + 1);
                    if (HeliumValidLinks(epoch, h.Id) > 0)
                    {
                        passedHelium[h.Role] = passedHelium.GetValueOrDefault(h.Role) + 1;
                    }
                }
            }
        }

        output.WriteLine(name);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"honest penalised {honestPenalised}/{honest} = {100.0 * honestPenalised / honest:0.00} %"));
        foreach (var (role, (caught, total)) in detected)
        {
            output.WriteLine($"{role}: penalised {caught}/{total}; kept Helium-valid links in {passedHelium.GetValueOrDefault(role)}/{total}");
        }

        foreach (var ((role, check), count) in byCheck)
        {
            output.WriteLine($"strong verdicts: {role} by {check}: {count}");
        }

        Assert.Equal(detected[SimRole.Spoofer].Total, detected[SimRole.Spoofer].Caught);
        Assert.Equal(detected[SimRole.RelayPartner].Total, detected[SimRole.RelayPartner].Caught);
        Assert.True(detected[SimRole.RoomCluster].Caught >= minRoomDetected * detected[SimRole.RoomCluster].Total, $"room cluster: {detected[SimRole.RoomCluster].Caught}/{detected[SimRole.RoomCluster].Total} penalised");
        Assert.True(honestPenalised <= MaxHonestPenalisedShare * honest, $"{honestPenalised} of {honest} honest hotspots penalised");
    }

    /// <summary>Valid links (as beaconer with a valid witness, or as a valid witness) the hotspot kept under Helium's checks: what Helium would have rewarded.</summary>
    private static int HeliumValidLinks(SyntheticEpoch epoch, string id) =>
        epoch.Results.Sum(p => p.Beacon.HotspotId == id ? p.Witnesses.Count(w => w.IsValid) : p.Witnesses.Count(w => w.IsValid && w.Report.HotspotId == id));

    [Fact]
    public void Analysis_is_deterministic()
    {
        var epoch = new SyntheticEpoch(42);
        var a = Run(epoch);
        var b = Run(epoch);
        Assert.Equal(a.Hotspots.Select(h => (h.HotspotId, h.Trust, h.Penalised, string.Join("|", h.Reasons))), b.Hotspots.Select(h => (h.HotspotId, h.Trust, h.Penalised, string.Join("|", h.Reasons))));
        Assert.Equal(a.Summary.Penalised, b.Summary.Penalised);
    }
}
