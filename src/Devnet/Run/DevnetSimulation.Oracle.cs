using DePin.Wireless.CoverageOracle.Spoofing;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.Devnet.Medium;
using DePin.Wireless.Proto;

namespace DePin.Wireless.Devnet.Run;

/// <summary>The oracle side: handing reports to the <see cref="PocOracleStage"/>, and the epoch's results.</summary>
public sealed partial class DevnetSimulation
{
    /// <summary>Hands this step's entropy and reports to the oracle stage, which checks and verifies them behind the simulation.</summary>
    private void HandStepToOracle(EntropyRecord entropy, SimTime verifyBefore)
    {
        var reports = TakeOutgoing();
        using (_timings.Measure(OracleWaitPhase))
        {
            _oracleStage.Step(entropy, reports, verifyBefore);
        }
    }

    /// <summary>The last reports (receptions after the end) and the end of verification; waits for the stage.</summary>
    private void FinishOracle()
    {
        var reports = TakeOutgoing();
        using (_timings.Measure(OracleWaitPhase))
        {
            _oracleStage.Finish(reports);
        }
    }

    private OutgoingReport[] TakeOutgoing()
    {
        var reports = _outgoing.ToArray();
        _outgoing.Clear();
        _envelopes += reports.Length;
        _timings.Count(OracleWaitPhase, reports.Length);
        return reports;
    }

    /// <summary>The simulation thread waiting for the oracle stage (its work not overlapped with the events); the count is the PoC reports.</summary>
    internal const string OracleWaitPhase = "oracle wait (PoC checks + verification not overlapped)";

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
            BeaconsSent = _beaconsSent,
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
            EnvelopeSeconds = (_oracleStage.CheckTime + UplinkEnvelopeTime).TotalSeconds,
            Envelopes = _envelopes,
        };
    }
}
