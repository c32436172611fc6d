namespace DePin.Wireless.NetworkServer.Mqtt;

/// <summary>Pure delay schedule for reconnect attempts (no timers here; the client waits via its TimeProvider).</summary>
public sealed class ReconnectBackoff(MqttReconnectOptions options, Random random)
{
    /// <summary>Delay before attempt number <paramref name="attempt"/> (0 = first retry).</summary>
    public TimeSpan DelayFor(int attempt)
    {
        var exponent = Math.Min(attempt, 30);
        var baseTicks = Math.Min((double)options.MaxDelay.Ticks, options.InitialDelay.Ticks * Math.Pow(2, exponent));
        var jitter = 1 + (((random.NextDouble() * 2) - 1) * options.JitterFraction);
        var ticks = Math.Min(options.MaxDelay.Ticks, (long)(baseTicks * jitter));
        return TimeSpan.FromTicks(Math.Max(1, ticks));
    }
}
