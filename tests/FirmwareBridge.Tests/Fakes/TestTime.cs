namespace DePin.Wireless.FirmwareBridge.Tests.Fakes;

/// <summary>A clock the test moves by hand (for pure timing decisions; nothing waits on it).</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until true or the timeout passes.</summary>
    public static async Task<bool> TrueAsync(Func<bool> condition, int timeoutMilliseconds = 3000)
    {
        var deadline = Environment.TickCount64 + timeoutMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            if (condition())
                return true;
            await Task.Delay(2);
        }
        return condition();
    }
}
