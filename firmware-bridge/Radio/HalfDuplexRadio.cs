using System.Threading.Channels;
using DePin.Wireless.FirmwareBridge.Linux;

namespace DePin.Wireless.FirmwareBridge.Radio;

/// <summary>Timing and buffering of a <see cref="HalfDuplexRadio"/>.</summary>
public sealed record HalfDuplexRadioOptions
{
    public TimeSpan IrqPollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan TxTimeoutMargin { get; init; } = TimeSpan.FromMilliseconds(100);

    public TransmitTimingOptions Timing { get; init; } = new();

    public int ReceiveQueueCapacity { get; init; } = 256;

    /// <summary>Source of CLOCK_MONOTONIC ns, the clock of GPIO edge timestamps; used to back-date RX timestamps to the edge.</summary>
    public Func<ulong> MonotonicNowNs { get; init; } = RadioCounterClock.MonotonicNowNs;
}

/// <summary>
/// An <see cref="IRadio"/> for single-channel SPI transceivers: receives continuously, and for a
/// transmission leaves RX, sends at the requested counter time (host-timed), then resumes RX.
/// Interrupts arrive as rising edges on the chip's IRQ pin (SX1262 DIO1, SX1276 DIO0).
/// </summary>
public sealed class HalfDuplexRadio : IRadio
{
    private readonly IRadioChip _chip;
    private readonly IGpioLine _irq;
    private readonly HalfDuplexRadioOptions _options;
    private readonly RadioCounterClock _clock;
    private readonly TransmitScheduler _scheduler;
    private readonly RadioCounters _counters = new();
    private readonly Channel<RxFrame> _frames;
    private readonly SemaphoreSlim _chipLock = new(1, 1);
    private readonly SemaphoreSlim _transmitGate = new(1, 1); // one transmission at a time, in arrival order
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource<TxResult>? _pendingTx;
    private Thread? _irqThread;
    private volatile string? _lastError;
    private bool _disposed;

    public HalfDuplexRadio(IRadioChip chip, IGpioLine irqLine, HalfDuplexRadioOptions options, TimeProvider time)
    {
        _chip = chip ?? throw new ArgumentNullException(nameof(chip));
        _irq = irqLine ?? throw new ArgumentNullException(nameof(irqLine));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _clock = new RadioCounterClock(time ?? throw new ArgumentNullException(nameof(time)));
        _scheduler = new TransmitScheduler(_clock, options.Timing);
        _frames = Channel.CreateBounded<RxFrame>(new BoundedChannelOptions(options.ReceiveQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleWriter = true,
        });
    }

    public RadioStatistics Statistics => _counters.Snapshot();

    public uint CounterNowUs => _clock.NowUs;

    /// <summary>The last hardware error seen by the interrupt loop, if any.</summary>
    public string? LastError => _lastError;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_irqThread is not null)
            throw new InvalidOperationException($"{_chip.Name} radio already started");
        await _chip.ResetAsync(cancellationToken).ConfigureAwait(false);
        await _chipLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _chip.Initialise();
            _chip.StartReceive();
        }
        finally
        {
            _chipLock.Release();
        }
        // A dedicated thread: the loop blocks in poll(2) and must not depend on thread-pool capacity.
        _irqThread = new Thread(() => RunInterruptLoop(_stopping.Token)) { IsBackground = true, Name = $"{_chip.Name} IRQ" };
        _irqThread.Start();
    }

    public IAsyncEnumerable<RxFrame> ReceiveAllAsync(CancellationToken cancellationToken) =>
        _frames.Reader.ReadAllAsync(cancellationToken);

    public async Task<TxResult> TransmitAsync(TxRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_irqThread is null)
            throw new InvalidOperationException($"{_chip.Name} radio is not started");
        ValidateShape(request);
        await _transmitGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await TransmitExclusiveAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _transmitGate.Release();
        }
    }

    /// <summary>
    /// One transmission while holding the transmit gate. A request queued behind another is checked only
    /// when its turn comes, so one whose start passed meanwhile is answered TOO_LATE.
    /// </summary>
    private async Task<TxResult> TransmitExclusiveAsync(TxRequest request, CancellationToken cancellationToken)
    {
        var verdict = _chip.CheckTransmit(request) ?? _scheduler.Check(request.CounterTimeUs);
        if (verdict is { } rejected)
        {
            _counters.TxRejected();
            return rejected;
        }
        // Keep receiving until shortly before the start, then load the chip and start on time.
        if (request.CounterTimeUs is { } target)
            await _scheduler.WaitUntilAsync(unchecked(target - (uint)_options.Timing.MinimumLead.TotalMicroseconds), cancellationToken).ConfigureAwait(false);

        var airtime = LoRaAirtime.Of(request.Payload.Length, request.Modulation, request.CodingRate, request.PreambleLength, request.CrcEnabled);
        TxResult result;
        try
        {
            var started = await LoadAndStartAsync(request, airtime + _options.TxTimeoutMargin, cancellationToken).ConfigureAwait(false);
            result = started.Completion is null
                ? started.Result
                : await AwaitCompletionAsync(started.Completion, airtime + _options.TxTimeoutMargin * 2, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await ResumeReceiveAsync(abort: true).ConfigureAwait(false); // never leave the chip loaded or transmitting
            throw;
        }
        await ResumeReceiveAsync(abort: result.Status == TxStatus.Timeout).ConfigureAwait(false);
        Count(result);
        return result;
    }

    private static void ValidateShape(TxRequest request)
    {
        if (request.Payload is null || request.Payload.Length > 255)
            throw new ArgumentException($"{nameof(TxRequest.Payload)} must be 0..255 bytes (got {request.Payload?.Length.ToString() ?? "null"})", nameof(request));
        if (request.Modulation.SpreadingFactor == 0)
            throw new ArgumentException($"{nameof(TxRequest.Modulation)} is unset (default LoRaModulation)", nameof(request));
        if (request.CodingRate is < LoRaCodingRate.Cr4_5 or > LoRaCodingRate.Cr4_8)
            throw new ArgumentException($"{nameof(TxRequest.CodingRate)} must be 4/5..4/8 (got {(int)request.CodingRate})", nameof(request));
        if (request.PreambleLength is < 6 or > ushort.MaxValue)
            throw new ArgumentException($"{nameof(TxRequest.PreambleLength)} must be 6..65535 symbols (got {request.PreambleLength})", nameof(request));
    }

    private async Task<(TxResult Result, TaskCompletionSource<TxResult>? Completion)> LoadAndStartAsync(TxRequest request, TimeSpan chipTimeout, CancellationToken cancellationToken)
    {
        await _chipLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _chip.LoadTransmit(request);
            if (await _scheduler.WaitUntilAsync(request.CounterTimeUs, cancellationToken).ConfigureAwait(false) is { } late)
                return (late, null);
            var completion = new TaskCompletionSource<TxResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pendingTx = completion;
            _chip.StartTransmit(chipTimeout);
            return (TxResult.Ok, completion);
        }
        catch (RadioHardwareException ex)
        {
            _pendingTx = null;
            _lastError = ex.Message;
            return (new TxResult(TxStatus.RadioError, ex.Message), null);
        }
        finally
        {
            _chipLock.Release();
        }
    }

    private async Task<TxResult> AwaitCompletionAsync(TaskCompletionSource<TxResult> completion, TimeSpan hostTimeout, CancellationToken cancellationToken)
    {
        try
        {
            return await completion.Task.WaitAsync(hostTimeout, _clock.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return new TxResult(TxStatus.Timeout, $"no TX-done interrupt from {_chip.Name} within {hostTimeout.TotalMilliseconds:0} ms");
        }
    }

    private async Task ResumeReceiveAsync(bool abort)
    {
        await _chipLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _pendingTx = null;
            if (abort)
                _chip.AbortTransmit();
            _chip.StartReceive();
        }
        catch (RadioHardwareException ex)
        {
            _counters.DriverError();
            _lastError = ex.Message;
        }
        finally
        {
            _chipLock.Release();
        }
    }

    private void Count(TxResult result)
    {
        switch (result.Status)
        {
            case TxStatus.Ok: _counters.TxOk(); break;
            case TxStatus.Timeout: _counters.TxTimeout(); break;
            case TxStatus.RadioError: _counters.DriverError(); break;
            default: _counters.TxRejected(); break;
        }
    }

    private void RunInterruptLoop(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var edge = _irq.WaitForEdge(_options.IrqPollInterval, stopping);
                if (edge is not { IsRising: true })
                    continue;
                // Stamp the frame at the DIO edge (kernel timestamp), not when this thread got to run.
                var counterUs = _clock.AtEvent(edge.Value.TimestampNs, _options.MonotonicNowNs());
                _chipLock.Wait(stopping);
                try
                {
                    Dispatch(_chip.ServiceInterrupt(counterUs));
                }
                catch (RadioHardwareException ex)
                {
                    _counters.DriverError();
                    _lastError = ex.Message;
                }
                finally
                {
                    _chipLock.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private void Dispatch(RadioInterrupt interrupt)
    {
        if (interrupt.TxDone)
            _pendingTx?.TrySetResult(TxResult.Ok);
        else if (interrupt.TxTimeout)
            _pendingTx?.TrySetResult(new TxResult(TxStatus.Timeout, $"{_chip.Name} raised its TX timeout interrupt"));
        if (interrupt.CrcError)
            _counters.RxCrcError();
        if (interrupt.HeaderError)
            _counters.RxHeaderError();
        if (interrupt.Frame is { } frame)
        {
            _counters.RxOk();
            _frames.Writer.TryWrite(frame);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _irqThread?.Join();
        _frames.Writer.TryComplete();
        _irq.Dispose();
        _chip.Dispose();
        _chipLock.Dispose();
        _transmitGate.Dispose();
        _stopping.Dispose();
    }
}
