using DePin.Wireless.CoverageOracle.Adapters;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.Devnet.Medium;
using DePin.Wireless.Devnet.Poc;
using DePin.Wireless.Devnet.Run;

namespace DePin.Wireless.Devnet.Tests.Run;

/// <summary>The oracle stage runs behind the simulation; a step that fails must surface, never vanish.</summary>
public sealed class PocOracleStageTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void A_failing_step_fails_the_run_at_the_next_wait_and_later_steps_do_not_hide_it(int parallelism)
    {
        using var simulation = new DevnetSimulation(SmallRunFixture.Options(3) with { Hotspots = 5, Devices = 0, Adversaries = 0, Hours = 1 });
        using var ingest = new ReportIngest(3, parallelism, ReportAuthentication.Session, 5);
        var lookups = new DevnetVerifierLookups();
        var verifier = new PocVerifier(new VerifierOptions(), lookups, new BeaconRegenerator(), new H3PocGeometry(), new PocHistory());
        var epoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var stage = new PocOracleStage(ingest, lookups, verifier, new PocTally(simulation.Hotspots), epoch, parallelism);
        var entropy = new EntropyRecord(new byte[32], epoch);

        // A packet report is not a PoC report: the oracle's ingest refuses to handle it.
        var wrong = new OutgoingReport(simulation.Hotspots[0], new Proto.PacketReport(), epoch, epoch.AddSeconds(1), 0);
        var failure = Record.Exception(() =>
        {
            stage.Step(entropy, [wrong], SimTime.Zero);
            stage.Step(entropy, [], SimTime.Zero);
            stage.Finish([]);
        });

        Assert.NotNull(failure);
        Assert.Contains("unexpected payload", failure.ToString(), StringComparison.Ordinal);
    }
}
