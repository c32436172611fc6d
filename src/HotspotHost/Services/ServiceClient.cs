using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace DePin.Wireless.HotspotHost.Services;

/// <summary>Answer of one service request: HTTP status and body, or the transport failure.</summary>
public sealed record ServiceResponse(HttpStatusCode? Status, byte[] Body, string? Failure)
{
    public bool IsSuccess => Status is { } s && (int)s is >= 200 and < 300;

    /// <summary>Worth retrying: no answer, timeout, 408, 429 or a 5xx. Other 4xx mean the request itself is refused.</summary>
    public bool IsTransient => Status is not { } s || s is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)s >= 500;

    /// <summary>The <c>error</c> string of a JSON error body, or null.</summary>
    public string? ErrorField()
    {
        if (Body.Length == 0)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(Body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                ? error.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The <c>{"error":...}</c> text of an error response, or the transport failure.</summary>
    public string ErrorText()
    {
        if (Failure is not null)
        {
            return Failure;
        }

        try
        {
            using var doc = JsonDocument.Parse(Body);
            if (doc.RootElement.TryGetProperty("error", out var error))
            {
                return $"HTTP {(int)Status!.Value}: {error}";
            }
        }
        catch (JsonException)
        {
        }

        return $"HTTP {(int?)Status}";
    }
}

/// <summary>Last outcome of talking to one service, for /status.</summary>
public sealed class ServiceHealth(string name, TimeProvider time)
{
    private readonly object _gate = new();
    private DateTimeOffset? _lastSuccess;
    private DateTimeOffset? _lastFailure;
    private string? _lastError;
    private bool _lastWasSuccess;

    public string Name => name;

    public void Succeeded()
    {
        lock (_gate)
        {
            _lastSuccess = time.GetUtcNow();
            _lastWasSuccess = true;
        }
    }

    public void Failed(string error)
    {
        lock (_gate)
        {
            _lastFailure = time.GetUtcNow();
            _lastError = error;
            _lastWasSuccess = false;
        }
    }

    public ServiceHealthSnapshot Snapshot()
    {
        lock (_gate)
        {
            // By order, not by timestamp: a session open and a failed report can happen within one clock tick.
            var connected = _lastSuccess is not null && _lastWasSuccess;
            return new ServiceHealthSnapshot(name, connected, _lastSuccess, _lastFailure, _lastError);
        }
    }
}

public sealed record ServiceHealthSnapshot(string Name, bool Connected, DateTimeOffset? LastSuccess, DateTimeOffset? LastFailure, string? LastError);

/// <summary>
/// Protobuf-over-HTTP calls to one service (proto/service.proto): bodies are application/x-protobuf; a transport
/// failure or timeout is reported in <see cref="ServiceResponse.Failure"/>, never thrown.
/// </summary>
public sealed class ServiceClient(HttpClient http, Uri baseUrl, ServiceHealth health)
{
    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");

    public ServiceHealth Health => health;

    public Task<ServiceResponse> PostAsync(string path, byte[] body, CancellationToken cancellationToken) =>
        PostAsync(path, body, Protobuf, cancellationToken);

    /// <summary>POST with another protobuf content type (e.g. a session frame's, which names the message).</summary>
    public Task<ServiceResponse> PostAsync(string path, byte[] body, MediaTypeHeaderValue contentType, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = contentType;
        return SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, path)) { Content = content }, cancellationToken);
    }

    public Task<ServiceResponse> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, path)), cancellationToken);

    private async Task<ServiceResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ServiceResponse response;
        try
        {
            using (request)
            using (var answer = await http.SendAsync(request, cancellationToken))
            {
                response = new ServiceResponse(answer.StatusCode, await answer.Content.ReadAsByteArrayAsync(cancellationToken), null);
            }
        }
        catch (HttpRequestException e)
        {
            response = new ServiceResponse(null, [], $"{request.RequestUri}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            response = new ServiceResponse(null, [], $"{request.RequestUri}: timed out after {http.Timeout.TotalSeconds:0.#} s");
        }

        if (response.IsSuccess)
        {
            health.Succeeded();
        }
        else if (response.IsTransient)
        {
            health.Failed(response.ErrorText());
        }
        else
        {
            // The service answered: it is reachable, it refused this request.
            health.Succeeded();
        }

        return response;
    }
}
