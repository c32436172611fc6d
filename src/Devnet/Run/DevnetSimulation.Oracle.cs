using DePin.Wireless.CoverageOracle.Spoofing;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.Devnet.Medium;
using DePin.Wireless.Proto;

namespace DePin.Wireless.Devnet.Run;

/// <summary>The oracle side: ingest of signed reports, verification per window, and the epoch's results.</summary>
public sealed partial class DevnetSimulation
{
    /// <summary>Reason recorded for a witness whose beacon never reached verification (its report was refused, or it came after its window was verified).</summary>
    public const string NoMatchingBeacon = "no_matching_beacon";

    /// <summary>Hands the reports made so far to the ingest, which signs and verifies them on other threads.</summary>
    private void StartIngest()
    {
        if (_outgoing.Count == 0)
        {
            return;
        }

        var batch = _outgoing.ToArray();
        _outgoing.Clear();
        _envelopes += batch.Length;
        _timings.Count("ingest wait (sign + verify not overlapped)", batch.Length);
        _ingestInFlight = Task.Run(() =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var results = _ingest.Process(batch);
            return (results, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        });
    }

    /// <summary>
    /// Waits for the batch in flight and applies it on the simulation thread, in the batch's (deterministic) order.
    /// Called once per step, before verification: a window is verified only once every report made up to 60 s after
    /// its end has been applied, as before pipelining.
    /// </summary>
    private void CompleteIngest()
    {
        if (_ingestInFlight is not { } inFlight)
        {
            return;
        }

        _ingestInFlight = null;
        var (ingested, elapsed) = inFlight.GetAwaiter().GetResult();
        _envelopeTime += elapsed;
        ApplyIngested(ingested);
    }

    private void ApplyIngested(IngestedReport[] ingested)
    {
        foreach (var item in ingested)
        {
            var report = item.Report;
            if (report.Payload is WitnessReport)
            {
                _tally.WitnessesReported++;
                var origin = _witnessOrigins[report];
                _witnessOrigins.Remove(report);
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
            var window = (report.Received - _clock.Epoch).Ticks / VerificationWindow.Ticks;
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
        while (_beaconWindows.Count > 0)
        {
            var (window, beacons) = _beaconWindows.First();
            var windowEnd = SimTime.Zero + (VerificationWindow * (window + 1));
            if (windowEnd > limit)
            {
                return;
            }

            _beaconWindows.Remove(window);
            beacons.Sort((a, b) => a.Beacon.Received != b.Beacon.Received
                ? a.Beacon.Received.CompareTo(b.Beacon.Received)
                : string.CompareOrdinal(a.Beacon.HotspotId, b.Beacon.HotspotId));
            foreach (var (beacon, beaconer) in beacons)
            {
                var key = Convert.ToHexString(beacon.Data);
                var heard = _pendingWitnesses.Remove(key, out var list) ? list : [];
                var origins = new Dictionary<WitnessIngest, WitnessOrigin>(ReferenceEqualityComparer.Instance);
                foreach (var (witness, origin) in heard)
                {
                    origins[witness] = origin;
                }

                var result = _verifier.Verify(beacon, heard.Select(h => h.Witness).ToList());
                _tally.Record(beaconer, result, w => origins[w]);
            }
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

    private RunResult BuildResult(double wallClockSeconds)
    {
        var traffic = BuildTrafficOutcome();
        var dataCredits = _server.DataTransferShares(_clock.Epoch, ToUtc(SimTime.Zero + TimeSpan.FromHours(_options.Hours) + TimeSpan.FromSeconds(30)));

        // Epoch end: Helium's checks ran during verification; the oracle's spoofing analysis then sets each
        // hotspot's reward factor. The Helium-only settlement is kept to measure what those checks alone caught.
        var registry = _hotspots.Select(h => _lookups.FindHotspot(h.Address)!).ToList();
        var spoofing = new EpochSpoofingCheck(new SpoofingOptions()).Analyze(_hotspots, _tally.Results, _lookups.FindHotspot);
        var (heliumLines, _) = EpochSettlement.Settle(_hotspots, _tally, _options.EpochEmission, dataCredits);
        var (lines, distributed) = EpochSettlement.Settle(_hotspots, _tally, _options.EpochEmission, dataCredits, EpochSpoofingCheck.RewardFactors(_hotspots, spoofing));
        var adversaries = AdversaryJudgement.Judge(_hotspots, _tally, heliumLines, lines, spoofing);
        var points = _hotspots.Select(h => new HotspotMapPoint(h.Address, h.AssertedCell, _tally.PerHotspot[h.Index].Active, [.. _tally.PerHotspot[h.Index].Reasons], lines[h.Index].Reward)).ToList();
        return new RunResult
        {
            Options = _options,
            BeaconsSent = _tally.BeaconsSent,
            BeaconsValid = _tally.BeaconsValid,
            BeaconInvalid = _tally.BeaconInvalid,
            WitnessesReported = _tally.WitnessesReported,
            WitnessesValid = _tally.WitnessesValid,
            WitnessesSelected = _tally.WitnessesSelected,
            WitnessInvalid = _tally.WitnessInvalid,
            Uplinks = new UplinkOutcome(_uplinksSent, _uplinkCopies, _server.Events.Uplinks, _server.ChargedDc, _server.DroppedNoBalance),
            Traffic = traffic,
            EpochEmission = _options.EpochEmission,
            Distributed = distributed,
            Rewards = lines,
            Adversaries = adversaries,
            Spoofing = spoofing,
            PocResults = _tally.Results,
            Registry = registry,
            Coverage = _tally.CoverageCells().ToList(),
            HotspotPoints = points,
            Links = _tally.Links,
            WallClockSeconds = wallClockSeconds,
            EnvelopeSeconds = (_envelopeTime + UplinkEnvelopeTime).TotalSeconds,
            Envelopes = _envelopes,
        };
    }
}
