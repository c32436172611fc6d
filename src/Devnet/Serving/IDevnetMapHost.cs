namespace DePin.Wireless.Devnet.Serving;

/// <summary>
/// Serves a finished run's coverage map until cancelled. The devnet's own <see cref="StaticFileMapHost"/> serves the
/// files the run wrote; the coverage oracle's map server replaces it when it lands.
/// </summary>
public interface IDevnetMapHost : IAsyncDisposable
{
    /// <summary>Starts serving the run in <paramref name="runDirectory"/> on 127.0.0.1; returns the base URL (port 0 picks a free one).</summary>
    Task<Uri> StartAsync(string runDirectory, int port, CancellationToken cancellationToken);
}
