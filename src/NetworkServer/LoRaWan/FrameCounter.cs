namespace DePin.Wireless.NetworkServer.LoRaWan;

/// <summary>How to treat an uplink whose 16-bit FCnt cannot follow the session's counter.</summary>
public enum FrameCounterResetPolicy
{
    /// <summary>Only counters ahead of the last one (within MAX_FCNT_GAP) are accepted; an ABP device that rebooted must be re-provisioned.</summary>
    Strict,

    /// <summary>
    /// Additionally accept FCnt 0 as a device reset (ABP devices without persistent counters). Safer than disabling
    /// validation altogether (ChirpStack's "skip frame-counter check"): only the exact value 0 restarts the counter,
    /// so a replay of any other old frame is still refused; the caller must still verify the MIC against FCnt 0.
    /// </summary>
    AllowResetOnZero,
}

/// <summary>Outcome of placing a received 16-bit FCnt against the session.</summary>
public enum FrameCounterVerdict
{
    /// <summary>A new frame; store <see cref="FrameCounterResult.FCnt32"/> as the last counter.</summary>
    Accepted,

    /// <summary>Same counter as the last accepted frame: a retransmission (confirmed) or a duplicate (unconfirmed).</summary>
    Retransmission,

    /// <summary>FCnt 0 accepted as a device reset under <see cref="FrameCounterResetPolicy.AllowResetOnZero"/>.</summary>
    ResetAccepted,

    /// <summary>Behind the last counter (replay or stale frame) or further ahead than MAX_FCNT_GAP.</summary>
    Rejected,
}

/// <summary>The verdict, the reconstructed 32-bit counter (meaningful unless rejected) and, when rejected, why.</summary>
public readonly record struct FrameCounterResult(FrameCounterVerdict Verdict, uint FCnt32, string? Reason)
{
    public bool IsNewFrame => Verdict is FrameCounterVerdict.Accepted or FrameCounterVerdict.ResetAccepted;
}

/// <summary>
/// Rebuilds the 32-bit uplink frame counter from the 16 bits on air (LoRaWAN 1.0.4 §4.3.1.5). Pure functions:
/// the caller owns the session state and stores the new counter atomically.
/// </summary>
public static class FrameCounter
{
    /// <summary>MAX_FCNT_GAP of LoRaWAN 1.0.x (1.0.2 §4.3.1.5; TTS pkg/band/default.go): frames further ahead are refused.</summary>
    public const uint MaxFCntGap = 16384;

    /// <summary>The full counter implied by <paramref name="fCnt16"/> given the most significant 16 bits the session believes in.</summary>
    public static uint Combine(ushort fCntMsb, ushort fCnt16) => ((uint)fCntMsb << 16) | fCnt16;

    /// <summary>
    /// Places <paramref name="fCnt16"/> after <paramref name="lastFCnt32"/> (null when the session has received nothing yet).
    /// The candidate is next + (ushort)(fCnt16 − (ushort)next), which handles rollover of the low 16 bits; it is accepted
    /// when less than <see cref="MaxFCntGap"/> ahead of next, a repeat of the last counter is a retransmission, anything
    /// else is rejected (or, with <see cref="FrameCounterResetPolicy.AllowResetOnZero"/>, FCnt 0 restarts the counter).
    /// </summary>
    public static FrameCounterResult Reconstruct(ushort fCnt16, uint? lastFCnt32, FrameCounterResetPolicy policy = FrameCounterResetPolicy.Strict, uint maxGap = MaxFCntGap)
    {
        if (lastFCnt32 is not { } last)
        {
            // A fresh session (after join, or ABP provisioning) starts at 0; the device may have lost up to maxGap frames.
            return fCnt16 < maxGap
                ? new FrameCounterResult(FrameCounterVerdict.Accepted, fCnt16, null)
                : new FrameCounterResult(FrameCounterVerdict.Rejected, fCnt16, $"FCnt {fCnt16} is {fCnt16} ahead of a fresh session, more than MAX_FCNT_GAP {maxGap}");
        }

        if (fCnt16 == (ushort)last)
        {
            return new FrameCounterResult(FrameCounterVerdict.Retransmission, last, null);
        }

        if (last == uint.MaxValue)
        {
            return Refuse(fCnt16, policy, $"the 32-bit counter is exhausted at {last}; the device must rejoin");
        }

        var next = last + 1;
        var ahead = (ushort)(fCnt16 - (ushort)next);
        if (ahead < maxGap)
        {
            var full = (ulong)next + ahead;
            return full > uint.MaxValue
                ? Refuse(fCnt16, policy, $"FCnt {fCnt16} would roll the 32-bit counter over past {last}")
                : new FrameCounterResult(FrameCounterVerdict.Accepted, (uint)full, null);
        }

        var behind = (ushort)((ushort)last - fCnt16);
        var reason = behind < maxGap
            ? $"FCnt {fCnt16} is {behind} behind the last counter {last} (replay or stale frame)"
            : $"FCnt {fCnt16} is {ahead} ahead of the expected {next}, more than MAX_FCNT_GAP {maxGap}";
        return Refuse(fCnt16, policy, reason);
    }

    private static FrameCounterResult Refuse(ushort fCnt16, FrameCounterResetPolicy policy, string reason) =>
        policy == FrameCounterResetPolicy.AllowResetOnZero && fCnt16 == 0
            ? new FrameCounterResult(FrameCounterVerdict.ResetAccepted, 0, null)
            : new FrameCounterResult(FrameCounterVerdict.Rejected, fCnt16, reason);
}
