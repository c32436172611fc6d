namespace DePin.Wireless.CoverageOracle.Spoofing;

/// <summary>A hotspot's trust carried from epoch to epoch: score in [0, 1] and consecutive clean epochs.</summary>
public sealed record TrustState(double Score, int CleanEpochs);

/// <summary>A hotspot's trust after one epoch: new state, reward multiplier, penalised flag and the reasons behind them.</summary>
public sealed record TrustOutcome(TrustState State, double RewardMultiplier, bool Penalised, IReadOnlyList<string> Reasons);

/// <summary>
/// Pure trust update: state_in + this epoch's verdicts → state_out. Each check counts once per epoch with its strongest verdict:
/// score ·= (1 − w) with w the check's weight (times the weak factor for weak evidence). An epoch without verdicts recovers:
/// 1 − score shrinks by 2^(−1/half-life). Multiplier: 0 below the zero-reward score, else the score itself (so trust scales rewards smoothly).
/// </summary>
public sealed class TrustScore(TrustScoreOptions options)
{
    public TrustState Initial => new(options.InitialScore, 0);

    public TrustOutcome Next(TrustState? previous, IReadOnlyCollection<SpoofingVerdict> verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        var state = previous ?? Initial;
        if (!double.IsFinite(state.Score) || state.Score is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(previous), $"trust state: score {state.Score} is not within 0..1");
        }

        TrustState next;
        if (verdicts.Count == 0)
        {
            var recovery = Math.Pow(0.5, 1.0 / options.RecoveryHalfLifeEpochs);
            next = new TrustState(1 - ((1 - state.Score) * recovery), state.CleanEpochs + 1);
        }
        else
        {
            var score = state.Score;
            foreach (var group in verdicts.GroupBy(v => v.Check))
            {
                score *= 1 - Weight(group.Key, group.Max(v => v.Strength));
            }

            next = new TrustState(Math.Clamp(score, 0, 1), 0);
        }

        var multiplier = next.Score < options.ZeroRewardBelow ? 0 : next.Score;
        var reasons = verdicts.OrderBy(v => v.Check).ThenByDescending(v => v.Strength).Select(v => v.Reason).ToList();
        return new TrustOutcome(next, multiplier, next.Score < options.PenalisedBelow, reasons);
    }

    private double Weight(SpoofingCheck check, EvidenceStrength strength)
    {
        var w = check switch
        {
            SpoofingCheck.PathLoss => options.PathLossWeight,
            SpoofingCheck.SnrRssi => options.SnrRssiWeight,
            SpoofingCheck.Timing => options.TimingWeight,
            SpoofingCheck.WitnessGraph => options.WitnessGraphWeight,
            _ => throw new ArgumentOutOfRangeException(nameof(check), check, "unknown check"),
        };
        return strength == EvidenceStrength.Strong ? w : w * options.WeakFactor;
    }
}
