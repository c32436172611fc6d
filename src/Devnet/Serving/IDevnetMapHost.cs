using DePin.Wireless.Devnet.Run;

namespace DePin.Wireless.Devnet.Serving;

/// <summary>Serves a finished run's coverage map until disposed.</summary>
public interface IDevnetMapHost : IAsyncDisposable
{
    /// <summary>Starts serving <paramref name="result"/> on 127.0.0.1; returns the base URL (port 0 picks a free one).</summary>
    Task<Uri> StartAsync(RunResult result, int port, CancellationToken cancellationToken);
}
