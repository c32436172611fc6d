namespace DePin.Wireless.Devnet.Run;

/// <summary>A <see cref="TimeProvider"/> stopped at one simulated instant: what a hotspot's clock reads when it signs a report, or the ingest server's when it checks one.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
