using DePin.Wireless.Core.Identity;
using DePin.Wireless.Devnet.Run;

namespace DePin.Wireless.Devnet.Tests.Run;

/// <summary>
/// `devnet run --report-auth session|envelope`: how reports are authenticated must not change what the network
/// decides (both paths accept every honest report), and the session path opens one session per hotspot and service.
/// </summary>
public sealed class ReportAuthenticationTests
{
    [Fact]
    public void Session_and_envelope_authentication_give_identical_outputs()
    {
        var options = SmallRunFixture.Options(5) with { Hotspots = 50, Adversaries = 5, MaxParallelism = 4 };
        var sessions = Execute(options with { ReportAuthentication = ReportAuthentication.Session });
        var envelopes = Execute(options with { ReportAuthentication = ReportAuthentication.Envelope });

        Assert.Equal(SmallRunFixture.Summary(envelopes), SmallRunFixture.Summary(sessions));
        Assert.Equal(SmallRunFixture.Text(RunOutputWriter.WriteRewards, envelopes), SmallRunFixture.Text(RunOutputWriter.WriteRewards, sessions));
        Assert.Equal(SmallRunFixture.Text(RunOutputWriter.WriteCoverage, envelopes), SmallRunFixture.Text(RunOutputWriter.WriteCoverage, sessions));
        Assert.Equal(envelopes.Envelopes, sessions.Envelopes);
        Assert.True(sessions.WitnessesReported > 50, $"only {sessions.WitnessesReported} witness reports: too small a run to compare");
    }

    [Fact]
    public void Ingest_opens_one_session_per_reporting_hotspot_and_reopens_before_expiry()
    {
        using var simulation = new DevnetSimulation(SmallRunFixture.Options(7) with { Hotspots = 30, Adversaries = 0, Hours = 1, MaxParallelism = 2 });
        var hotspot = simulation.Hotspots[0];
        using var sessions = new ReportSessions(7, SessionProtocol.CoverageOracle, 30);
        var start = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
        var report = new Proto.WitnessReport { HotspotKey = Google.Protobuf.ByteString.CopyFrom(hotspot.Key.PublicKey.Bytes) };

        var first = sessions.Seal(hotspot, report, start);
        var second = sessions.Seal(hotspot, report, start + TimeSpan.FromHours(1));
        Assert.Equal(1, sessions.SessionsOpened);
        var accepted = sessions.Verify<Proto.WitnessReport>(first, start + TimeSpan.FromMilliseconds(300));
        Assert.True(accepted.IsValid, accepted.ToString());
        Assert.Equal(hotspot.Key.PublicKey, accepted.Signer);
        Assert.True(sessions.Verify<Proto.WitnessReport>(second, start + TimeSpan.FromHours(1)).IsValid);
        Assert.Equal(EnvelopeFailure.Replayed, sessions.Verify<Proto.WitnessReport>(first, start + TimeSpan.FromSeconds(1)).Failure);

        // Within ReopenMargin of the 24 h TTL the hotspot opens a new session; the old one is refused once expired.
        var late = start + TimeSpan.FromHours(24) - ReportSessions.ReopenMargin + TimeSpan.FromMinutes(1);
        var third = sessions.Seal(hotspot, report, late);
        Assert.Equal(2, sessions.SessionsOpened);
        Assert.True(sessions.Verify<Proto.WitnessReport>(third, late).IsValid);
        Assert.Equal(EnvelopeFailure.ExpiredSession, sessions.Verify<Proto.WitnessReport>(second, start + TimeSpan.FromHours(24)).Failure);
    }

    [Fact]
    public void Opening_missing_sessions_before_a_batch_opens_each_new_hotspot_once_whatever_the_threads_or_batches()
    {
        using var simulation = new DevnetSimulation(SmallRunFixture.Options(7) with { Hotspots = 6, Adversaries = 0, Hours = 1, MaxParallelism = 2 });
        var h = simulation.Hotspots;
        var start = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
        var report = new Proto.WitnessReport { SignalDdbm = -1100 };
        var batch = new[] { (h[2], start), (h[0], start.AddSeconds(5)), (h[2], start.AddSeconds(9)), (h[4], start.AddSeconds(30)) };

        using var together = new ReportSessions(7, SessionProtocol.CoverageOracle, 6);
        together.OpenMissing(batch, parallelism: 4);
        Assert.Equal(3, together.SessionsOpened);
        together.OpenMissing(batch.Append((h[5], start.AddSeconds(40))), parallelism: 4);
        Assert.Equal(4, together.SessionsOpened); // only hotspot 5 was new

        // The same first uses split over two batches, on one thread: the same sessions, so the same frames.
        using var split = new ReportSessions(7, SessionProtocol.CoverageOracle, 6);
        split.OpenMissing(batch[..2], parallelism: 1);
        split.OpenMissing(batch[2..], parallelism: 1);
        Assert.Equal(3, split.SessionsOpened);
        foreach (var (hotspot, at) in batch)
        {
            var frame = together.Seal(hotspot, report, at);
            Assert.Equal(frame, split.Seal(hotspot, report, at));
            var verified = together.Verify<Proto.WitnessReport>(frame, at.AddMilliseconds(200));
            Assert.True(verified.IsValid, verified.ToString());
            Assert.Equal(hotspot.Key.PublicKey, verified.Signer);
        }

        Assert.Equal(4, together.SessionsOpened);
    }

    [Fact]
    public void Sealing_a_batch_in_parallel_gives_the_frames_of_sealing_it_in_order_reopens_included()
    {
        using var simulation = new DevnetSimulation(SmallRunFixture.Options(7) with { Hotspots = 8, Adversaries = 0, Hours = 1, MaxParallelism = 2 });
        var h = simulation.Hotspots;
        var start = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
        var late = start + TimeSpan.FromHours(24) - ReportSessions.ReopenMargin + TimeSpan.FromMinutes(1);
        var items = new List<(SimHotspot Hotspot, Google.Protobuf.IMessage Payload, DateTimeOffset At)>();
        for (var i = 0; i < 40; i++)
        {
            items.Add((h[i % h.Count], new Proto.WitnessReport { SignalDdbm = -900 - i }, start.AddSeconds(i)));
        }

        // Hotspot 3 reports again near its session's expiry: it re-opens mid-batch, later frames use the new session.
        items.Add((h[3], new Proto.WitnessReport { SignalDdbm = -1 }, late));
        items.Add((h[3], new Proto.WitnessReport { SignalDdbm = -2 }, late.AddSeconds(1)));

        using var inOrder = new ReportSessions(7, SessionProtocol.CoverageOracle, 8);
        inOrder.OpenMissing(items.Select(i => (i.Hotspot, i.At)), parallelism: 1);
        var expected = items.Select(i => inOrder.Seal(i.Hotspot, i.Payload, i.At)).ToList();

        using var batched = new ReportSessions(7, SessionProtocol.CoverageOracle, 8);
        var frames = batched.SealBatch(items, parallelism: 4);

        Assert.Equal(expected, frames);
        Assert.Equal(inOrder.SessionsOpened, batched.SessionsOpened);
        Assert.Equal(9, batched.SessionsOpened); // 8 first opens and hotspot 3's re-open
        for (var i = 0; i < items.Count; i++)
        {
            Assert.True(batched.Verify<Proto.WitnessReport>(frames[i], items[i].At.AddMilliseconds(100)).IsValid, $"frame {i}");
        }
    }

    [Fact]
    public void Session_bytes_are_reproducible_from_the_seed()
    {
        using var simulation = new DevnetSimulation(SmallRunFixture.Options(8) with { Hotspots = 10, Adversaries = 0, Hours = 1 });
        var at = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
        var report = new Proto.WitnessReport { SignalDdbm = -1000 };
        using var a = new ReportSessions(8, SessionProtocol.NetworkServer, 10);
        using var b = new ReportSessions(8, SessionProtocol.NetworkServer, 10);
        using var otherSeed = new ReportSessions(9, SessionProtocol.NetworkServer, 10);
        var hotspot = simulation.Hotspots[3];
        Assert.Equal(a.Seal(hotspot, report, at), b.Seal(hotspot, report, at));
        Assert.NotEqual(a.Seal(hotspot, report, at), otherSeed.Seal(hotspot, report, at));
    }

    private static RunResult Execute(RunOptions options)
    {
        using var simulation = new DevnetSimulation(options);
        return simulation.Run();
    }
}
