namespace DePin.Wireless.FirmwareBridge.Radio;

/// <summary>Thread-safe counters a radio driver keeps for diagnostics and /metrics.</summary>
public sealed class RadioCounters
{
    private long _rxOk, _rxCrcErrors, _rxHeaderErrors, _txOk, _txTimeouts, _txRejected, _driverErrors;

    public void RxOk() => Interlocked.Increment(ref _rxOk);
    public void RxCrcError() => Interlocked.Increment(ref _rxCrcErrors);
    public void RxHeaderError() => Interlocked.Increment(ref _rxHeaderErrors);
    public void TxOk() => Interlocked.Increment(ref _txOk);
    public void TxTimeout() => Interlocked.Increment(ref _txTimeouts);
    public void TxRejected() => Interlocked.Increment(ref _txRejected);
    public void DriverError() => Interlocked.Increment(ref _driverErrors);

    public RadioStatistics Snapshot() => new(
        Interlocked.Read(ref _rxOk),
        Interlocked.Read(ref _rxCrcErrors),
        Interlocked.Read(ref _rxHeaderErrors),
        Interlocked.Read(ref _txOk),
        Interlocked.Read(ref _txTimeouts),
        Interlocked.Read(ref _txRejected),
        Interlocked.Read(ref _driverErrors));
}

/// <summary>A snapshot of <see cref="RadioCounters"/>. CRC-failed frames are counted here and never delivered.</summary>
public readonly record struct RadioStatistics(
    long RxOk,
    long RxCrcErrors,
    long RxHeaderErrors,
    long TxOk,
    long TxTimeouts,
    long TxRejected,
    long DriverErrors);

/// <summary>The radio chip did not respond as its datasheet says (BUSY stuck, wrong version, command error).</summary>
public sealed class RadioHardwareException : IOException
{
    public RadioHardwareException(string message) : base(message)
    {
    }

    public RadioHardwareException(string message, Exception inner) : base(message, inner)
    {
    }
}
