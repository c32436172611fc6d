using System.Diagnostics;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.Devnet.Medium;
using DePin.Wireless.Devnet.Poc;
using DePin.Wireless.Proto;

namespace DePin.Wireless.Devnet.Run;

/// <summary>
/// The coverage oracle's half of the devnet's proof of coverage: report checks (session frames or envelopes), the
/// ingest records, and PoC verification per 5-minute window. It runs behind the simulation, on a worker of its own,
/// so that this work overlaps the next steps' radio events instead of stopping them.
/// <para>
/// Each 60 s step the simulation hands over (<see cref="Step"/>) the entropy it published, the reports its hotspots
/// made and how far verification may go. The stage then does, for that step and strictly after the previous one,
/// what the simulation thread used to do itself: add the entropy, apply the reports checked at the previous step,
/// verify the windows that ended before the limit, and check this step's reports (a window is verified only once
/// every report made up to 60 s after its end has been applied). Same inputs in the same order on one logical
/// thread: the results do not depend on scheduling, and equal the sequential run's.
/// </para>
/// <para>
/// Everything the stage writes (the tally, the verifier's history and lookups' entropy, pending witnesses) is read by
/// the simulation only after <see cref="Finish"/>. At most <see cref="MaxStepsBehind"/> steps wait at once; beyond
/// that the simulation waits for the oldest (so memory stays bounded when the oracle is the slower side).
/// </para>
/// </summary>
public sealed class PocOracleStage
{
    /// <summary>Steps queued behind the simulation before it waits.</summary>
    public const int MaxStepsBehind = 4;

    /// <summary>Reason recorded for a witness whose beacon never reached verification (its report was refused, or it came after its window was verified).</summary>
    public const string NoMatchingBeacon = "no_matching_beacon";

    private readonly ReportIngest _ingest;
    private readonly DevnetVerifierLookups _lookups;
    private readonly PocVerifier _verifier;
    private readonly PocTally _tally;
    private readonly DateTimeOffset _epoch;
    private readonly bool _inline;
    private readonly int _parallelism;
    private readonly Queue<Task> _queued = new();
    private readonly SortedDictionary<long, List<(BeaconIngest Beacon, int Beaconer)>> _beaconWindows = [];
    private readonly Dictionary<string, List<(WitnessIngest Witness, WitnessOrigin Origin)>> _pendingWitnesses = new(StringComparer.Ordinal);
    private Task _tail = Task.CompletedTask;
    private IngestedReport[] _checked = [];
    private long _checkTicks;
    private long _verifyTicks;

    /// <param name="parallelism">Threads for the verifier's history-free checks; 1 also runs each step on the caller's thread.</param>
    public PocOracleStage(ReportIngest ingest, DevnetVerifierLookups lookups, PocVerifier verifier, PocTally tally, DateTimeOffset epoch, int parallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        _parallelism = parallelism;
        _ingest = ingest;
        _lookups = lookups;
        _verifier = verifier;
        _tally = tally;
        _epoch = epoch;
        _inline = parallelism == 1;
    }

    /// <summary>Thread time the stage spent checking report frames or envelopes (sealing included).</summary>
    public TimeSpan CheckTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _checkTicks));

    /// <summary>Thread time the stage spent applying checked reports and verifying windows.</summary>
    public TimeSpan VerifyTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _verifyTicks));

    /// <summary>
    /// Queues one simulation step: <paramref name="entropy"/> published at its start, the <paramref name="reports"/>
    /// made during it (in the order made), and the limit before which windows are verified.
    /// </summary>
    public void Step(EntropyRecord entropy, OutgoingReport[] reports, SimTime verifyBefore) => Queue(() =>
    {
        _lookups.AddEntropy(entropy);
        ApplyAndVerify(verifyBefore);
        _checked = Check(reports);
    });

    /// <summary>
    /// The end of the run: applies the last checked step, checks and applies <paramref name="lastReports"/> (made by
    /// receptions after the last step), verifies every window left and counts witnesses nobody's beacon matched.
    /// Returns once the stage has done everything; the tally is then complete.
    /// </summary>
    public void Finish(OutgoingReport[] lastReports)
    {
        Queue(() =>
        {
            Apply(_checked);
            _checked = Check(lastReports);
            ApplyAndVerify(new SimTime(long.MaxValue));
            CountUnmatchedWitnesses();
        });
        Drain();
    }

    /// <summary>Waits for every queued step (rethrowing the first failure) without adding one.</summary>
    public void Drain()
    {
        while (_queued.Count > 0)
        {
            _queued.Dequeue().GetAwaiter().GetResult();
        }
    }

    private void Queue(Action step)
    {
        if (_inline)
        {
            step();
            return;
        }

        // Each step starts after the previous one finished; a failed step fails every later one, and the first
        // wait on any of them rethrows it.
        _tail = _tail.ContinueWith(
            static (previous, state) =>
            {
                previous.GetAwaiter().GetResult();
                ((Action)state!)();
            },
            step,
            CancellationToken.None,
            TaskContinuationOptions.DenyChildAttach,
            TaskScheduler.Default);
        _queued.Enqueue(_tail);
        while (_queued.Count > MaxStepsBehind)
        {
            _queued.Dequeue().GetAwaiter().GetResult();
        }
    }

    private IngestedReport[] Check(OutgoingReport[] reports)
    {
        var started = Stopwatch.GetTimestamp();
        var results = reports.Length == 0 ? [] : _ingest.Process(reports);
        _checkTicks += Stopwatch.GetTimestamp() - started;
        return results;
    }

    private void ApplyAndVerify(SimTime verifyBefore)
    {
        var started = Stopwatch.GetTimestamp();
        Apply(_checked);
        _checked = [];
        VerifyWindowsEndingBefore(verifyBefore);
        _verifyTicks += Stopwatch.GetTimestamp() - started;
    }

    private void Apply(IngestedReport[] checkedReports)
    {
        foreach (var item in checkedReports)
        {
            var report = item.Report;
            if (report.Payload is WitnessReport)
            {
                _tally.WitnessesReported++;
                var origin = report.Origin ?? throw new InvalidOperationException($"oracle stage: witness report {report.Sequence} has no origin");
                if (item.Refusal is { } refusal)
                {
                    _tally.RecordRefusedWitness(origin, refusal);
                    continue;
                }

                var witness = IngestRecords.Witness(item.SignerAddress!, report.Received, (WitnessReport)item.Payload!);
                var key = Convert.ToHexString(witness.Data);
                if (!_pendingWitnesses.TryGetValue(key, out var list))
                {
                    list = [];
                    _pendingWitnesses[key] = list;
                }

                list.Add((witness, origin));
                continue;
            }

            if (item.Refusal is { } beaconRefusal)
            {
                _tally.RecordRefusedBeacon(report.Hotspot.Index, beaconRefusal);
                continue;
            }

            var beacon = IngestRecords.Beacon(item.SignerAddress!, report.Received, (BeaconReport)item.Payload!);
            var window = (report.Received - _epoch).Ticks / DevnetSimulation.VerificationWindow.Ticks;
            if (!_beaconWindows.TryGetValue(window, out var beacons))
            {
                beacons = [];
                _beaconWindows[window] = beacons;
            }

            beacons.Add((beacon, report.Hotspot.Index));
        }
    }

    private void VerifyWindowsEndingBefore(SimTime limit)
    {
        // Every beacon of the windows now due, in verification order (window, receive time, hotspot), each joined to
        // the witnesses that carry its payload; the verifier runs the history-free checks of all of them in parallel
        // and the rest in this order.
        var due = new List<(BeaconIngest Beacon, int Beaconer, List<(WitnessIngest Witness, WitnessOrigin Origin)> Heard)>();
        while (_beaconWindows.Count > 0)
        {
            var (window, beacons) = _beaconWindows.First();
            var windowEnd = SimTime.Zero + (DevnetSimulation.VerificationWindow * (window + 1));
            if (windowEnd > limit)
            {
                break;
            }

            _beaconWindows.Remove(window);
            beacons.Sort((a, b) => a.Beacon.Received != b.Beacon.Received
                ? a.Beacon.Received.CompareTo(b.Beacon.Received)
                : string.CompareOrdinal(a.Beacon.HotspotId, b.Beacon.HotspotId));
            foreach (var (beacon, beaconer) in beacons)
            {
                var heard = _pendingWitnesses.Remove(Convert.ToHexString(beacon.Data), out var list) ? list : [];
                due.Add((beacon, beaconer, heard));
            }
        }

        if (due.Count == 0)
        {
            return;
        }

        var results = _verifier.VerifyInOrder(due.Select(d => (d.Beacon, (IReadOnlyList<WitnessIngest>)d.Heard.Select(h => h.Witness).ToList())).ToList(), _parallelism);
        for (var i = 0; i < due.Count; i++)
        {
            var origins = new Dictionary<WitnessIngest, WitnessOrigin>(ReferenceEqualityComparer.Instance);
            foreach (var (witness, origin) in due[i].Heard)
            {
                origins[witness] = origin;
            }

            _tally.Record(due[i].Beaconer, results[i], w => origins[w]);
        }
    }

    private void CountUnmatchedWitnesses()
    {
        foreach (var key in _pendingWitnesses.Keys.Order(StringComparer.Ordinal).ToList())
        {
            foreach (var (_, origin) in _pendingWitnesses[key])
            {
                _tally.RecordRefusedWitness(origin, NoMatchingBeacon);
            }
        }

        _pendingWitnesses.Clear();
    }
}
