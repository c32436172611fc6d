using System.Net;
using System.Net.Sockets;
using DePin.Wireless.HotspotHost.Runtime;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.HotspotHost.Status;

/// <summary>
/// The local operations port on loopback (<see cref="StatusEndpoints"/>). A deliberately small HTTP/1.1 server on a
/// socket: three read-only documents do not need Kestrel, whose assemblies, routing and JIT-compiled request pipeline
/// made up about a quarter of the daemon's resident memory (docs/benchmarks/hotspot.md). One request per connection
/// ("Connection: close", RFC 9112 §9.6), request bodies are not read, heads are capped at
/// <see cref="HttpRequestHead.MaxHeadBytes"/> and must arrive within <see cref="RequestTimeout"/>.
/// </summary>
public sealed class StatusServer : IAsyncDisposable
{
    /// <summary>Connections served at once; more wait in the listen backlog.</summary>
    public const int MaxConcurrentConnections = 8;

    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _listener;
    private readonly IPEndPoint _endpoint;
    private readonly StatusEndpoints _endpoints;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots = new(MaxConcurrentConnections, MaxConcurrentConnections);
    private Task? _acceptLoop;
    private bool _disposed;

    private StatusServer(IPEndPoint endpoint, StatusEndpoints endpoints, ILogger logger)
    {
        _endpoint = endpoint;
        _endpoints = endpoints;
        _logger = logger;
        _listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
    }

    /// <summary>Where the server listens (after <see cref="StartAsync"/>).</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <param name="address">A loopback IP address (validated by the configuration loader).</param>
    /// <param name="port">TCP port; 0 picks a free one (see <see cref="BaseAddress"/>).</param>
    public static StatusServer Create(HotspotRuntime runtime, string address, int port, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        if (!IPAddress.TryParse(address, out var ip))
        {
            throw new ArgumentException($"StatusAddress: '{address}' is not an IP address", nameof(address));
        }

        return new StatusServer(new IPEndPoint(ip, port), new StatusEndpoints(runtime), loggers.CreateLogger<StatusServer>());
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(_endpoint);
        _listener.Listen(backlog: 64);
        BaseAddress = new Uri($"http://{_listener.LocalEndPoint}/");
        _acceptLoop = Task.Run(() => AcceptLoopAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _slots.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                _slots.Release();
                if (stop.IsCancellationRequested || e is ObjectDisposedException)
                {
                    return;
                }

                _logger.LogWarning("status port: accept failed: {Error}", e.Message);
                continue;
            }

            _ = ServeAsync(connection, stop);
        }
    }

    private async Task ServeAsync(Socket connection, CancellationToken stop)
    {
        try
        {
            using var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            readTimeout.CancelAfter(RequestTimeout);
            var (response, headOnly) = await ReadAndAnswerAsync(connection, readTimeout.Token).ConfigureAwait(false);
            using var writeTimeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            writeTimeout.CancelAfter(RequestTimeout);
            await connection.SendAsync(response.Encode(headOnly), SocketFlags.None, writeTimeout.Token).ConfigureAwait(false);
            await LingeringCloseAsync(connection, writeTimeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client went away, was too slow, or the server is stopping: nothing to answer to.
        }
        catch (Exception e)
        {
            _logger.LogError(e, "status port: request failed");
        }
        finally
        {
            connection.Dispose();
            _slots.Release();
        }
    }

    /// <summary>
    /// Half-closes and reads what the client still sends until it closes too (RFC 9112 §9.6 "lingering close"): closing
    /// with unread input (a refused oversized head) would make the kernel reset the connection and the client could lose
    /// the answer.
    /// </summary>
    private static async Task LingeringCloseAsync(Socket connection, CancellationToken cancellationToken)
    {
        connection.Shutdown(SocketShutdown.Send);
        var sink = new byte[1024];
        while (await connection.ReceiveAsync(sink, SocketFlags.None, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    private async Task<(StatusResponse Response, bool HeadOnly)> ReadAndAnswerAsync(Socket connection, CancellationToken cancellationToken)
    {
        var buffer = new byte[HttpRequestHead.MaxHeadBytes];
        var filled = 0;
        while (true)
        {
            int read;
            try
            {
                read = await connection.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
            {
                return (StatusResponse.Text(408, "request head not received in time\n"), false);
            }

            if (read == 0)
            {
                return (StatusResponse.Text(400, "connection closed before the end of the request head\n"), false);
            }

            filled += read;
            if (buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8) >= 0)
            {
                break;
            }

            if (filled == buffer.Length)
            {
                return (StatusResponse.Text(431, $"request head longer than {HttpRequestHead.MaxHeadBytes} bytes\n"), false);
            }
        }

        if (!HttpRequestHead.TryParse(buffer.AsSpan(0, filled), out var request, out var problem))
        {
            return (StatusResponse.Text(400, $"bad request: {problem}\n"), false);
        }

        return (_endpoints.Respond(request), request.Method == "HEAD");
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        // Every connection gives its slot back when it ends (each is bounded by RequestTimeout).
        for (var i = 0; i < MaxConcurrentConnections; i++)
        {
            await _slots.WaitAsync(RequestTimeout).ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
