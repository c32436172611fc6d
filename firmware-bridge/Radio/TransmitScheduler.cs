namespace DePin.Wireless.FirmwareBridge.Radio;

/// <summary>Limits for host-timed transmissions (radios without an on-chip timestamped TX queue).</summary>
public sealed record TransmitTimingOptions
{
    /// <summary>A request must arrive at least this long before its start time (time to load the chip); else TOO_LATE.</summary>
    public TimeSpan MinimumLead { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>A request more than this far ahead is refused with TOO_EARLY (our choice; RX2 of a join-accept is 6 s).</summary>
    public TimeSpan MaximumLead { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The last stretch is busy-waited because timer wake-ups are only accurate to about a millisecond.</summary>
    public TimeSpan SpinThreshold { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Starting later than the target by more than this counts as TOO_LATE (the device's RX window may have closed).</summary>
    public TimeSpan LateTolerance { get; init; } = TimeSpan.FromMilliseconds(2);
}

/// <summary>Decides whether a timed transmission can be honoured and waits for its start on the counter clock.</summary>
public sealed class TransmitScheduler
{
    private readonly RadioCounterClock _clock;
    private readonly TransmitTimingOptions _options;

    public TransmitScheduler(RadioCounterClock clock, TransmitTimingOptions options)
    {
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>TOO_LATE / TOO_EARLY verdict for a request, or null when it can be scheduled.</summary>
    public TxResult? Check(uint? counterTimeUs)
    {
        if (counterTimeUs is not { } target)
            return null;
        var leadUs = RadioCounterClock.Difference(target, _clock.NowUs);
        if (leadUs < (long)_options.MinimumLead.TotalMicroseconds)
            return new TxResult(TxStatus.TooLate, $"start time is {leadUs} µs away; at least {(long)_options.MinimumLead.TotalMicroseconds} µs needed");
        if (leadUs > (long)_options.MaximumLead.TotalMicroseconds)
            return new TxResult(TxStatus.TooEarly, $"start time is {leadUs} µs away; at most {(long)_options.MaximumLead.TotalMicroseconds} µs allowed");
        return null;
    }

    /// <summary>Waits until the counter reaches <paramref name="counterTimeUs"/>; TOO_LATE if it was already missed.</summary>
    public async Task<TxResult?> WaitUntilAsync(uint? counterTimeUs, CancellationToken cancellationToken)
    {
        if (counterTimeUs is not { } target)
            return null;
        var coarse = RadioCounterClock.Difference(target, _clock.NowUs) - (long)_options.SpinThreshold.TotalMicroseconds;
        if (coarse > 0)
            await Task.Delay(TimeSpan.FromMicroseconds(coarse), _clock.TimeProvider, cancellationToken).ConfigureAwait(false);
        while (RadioCounterClock.Difference(target, _clock.NowUs) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Thread.SpinWait(20);
        }
        var lateUs = -RadioCounterClock.Difference(target, _clock.NowUs);
        return lateUs > (long)_options.LateTolerance.TotalMicroseconds
            ? new TxResult(TxStatus.TooLate, $"start missed by {lateUs} µs")
            : null;
    }
}
