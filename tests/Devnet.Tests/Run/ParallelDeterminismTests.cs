using DePin.Wireless.Core.Identity;
using DePin.Wireless.Devnet.Run;

namespace DePin.Wireless.Devnet.Tests.Run;

/// <summary>
/// Signing, verification and onboarding run on several threads; the outputs must not depend on how many, or on how
/// the threads were scheduled, nor on which Ed25519 backend does the arithmetic.
/// </summary>
public sealed class ParallelDeterminismTests
{
    private static RunOptions Options(int parallelism) => SmallRunFixture.Options(3) with { Hotspots = 60, Adversaries = 6, MaxParallelism = parallelism };

    [Fact]
    public void Same_seed_gives_identical_outputs_with_one_thread_or_many()
    {
        var single = Execute(Options(1));
        var many = Execute(Options(8));

        Assert.Equal(SmallRunFixture.Summary(single), SmallRunFixture.Summary(many));
        Assert.Equal(SmallRunFixture.Text(RunOutputWriter.WriteRewards, single), SmallRunFixture.Text(RunOutputWriter.WriteRewards, many));
        Assert.Equal(SmallRunFixture.Text(RunOutputWriter.WriteCoverage, single), SmallRunFixture.Text(RunOutputWriter.WriteCoverage, many));
        Assert.True(single.WitnessesReported > 100, $"only {single.WitnessesReported} witness reports: too small a run to exercise parallel ingest");
    }

    [Fact]
    public void Phase_timings_cover_the_run_and_count_the_reports()
    {
        using var simulation = new DevnetSimulation(Options(2));
        var result = simulation.Run();
        var phases = simulation.Timings.Phases.ToDictionary(p => p.Phase);

        Assert.Contains("onboarding (keys, registry, radios)", phases.Keys);
        // Every authenticated report is either a beacon/witness report (handed to the oracle stage) or a packet report
        // (made while handling receptions).
        Assert.Equal(result.Envelopes, phases["oracle wait (PoC checks + verification not overlapped)"].Count + phases["receptions (recognise, witness, uplink)"].Count);
        Assert.All(phases.Values, p => Assert.True(p.Wall >= TimeSpan.Zero && p.Cpu >= TimeSpan.Zero));

        // The simulation thread's own CPU time is measured (on Linux; zero elsewhere) and never exceeds the phase's wall time by more than rounding.
        var threadCpu = simulation.Timings.ThreadCpu.ToDictionary(p => p.Phase, p => p.ThreadCpu);
        Assert.Equal(OperatingSystem.IsLinux(), threadCpu["events (beacons, uplinks, relays)"] > TimeSpan.Zero);
        Assert.All(threadCpu, p => Assert.True(p.Value <= phases[p.Key].Wall + TimeSpan.FromMilliseconds(20), $"{p.Key}: thread CPU {p.Value} > wall {phases[p.Key].Wall}"));

        // The oracle stage's work is listed as overlapped thread time, outside the total.
        Assert.Contains(simulation.Timings.Overlapped, o => o.Phase.Contains("PoC verification", StringComparison.Ordinal) && o.ThreadTime > TimeSpan.Zero);
        var table = simulation.Timings.Format();
        Assert.Contains("overlapped: oracle stage: PoC verification", table, StringComparison.Ordinal);
        Assert.Contains("total", table, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_ed25519_backend_is_openssl_and_gives_the_same_signatures_as_bouncycastle()
    {
        // Ed25519 signatures are deterministic (RFC 8032 §5.1.6), so which backend signs cannot change a run's outputs.
        Assert.Equal("openssl", Ed25519Backend.Default.Name);
        var seed = new byte[32];
        seed[0] = 9;
        using var openSsl = KeyPair.FromPrivateKey(KeyType.Ed25519, seed, Ed25519Backend.Default);
        using var bouncy = KeyPair.FromPrivateKey(KeyType.Ed25519, seed, Ed25519Backend.BouncyCastle);
        Assert.Equal(bouncy.Sign("beacon"u8), openSsl.Sign("beacon"u8));
    }

    private static RunResult Execute(RunOptions options)
    {
        using var simulation = new DevnetSimulation(options);
        return simulation.Run();
    }
}
