using System.Net.Sockets;
using System.Text;
using DePin.Wireless.HotspotHost.Status;
using DePin.Wireless.HotspotHost.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePin.Wireless.HotspotHost.Tests;

public class StatusServerTests
{
    [Theory]
    [InlineData("GET /status HTTP/1.1\r\nHost: x\r\n\r\n", "GET", "/status")]
    [InlineData("HEAD /healthz?probe=1 HTTP/1.0\r\n\r\n", "HEAD", "/healthz")]
    [InlineData("GET http://127.0.0.1:4468/metrics HTTP/1.1\r\n\r\n", "GET", "/metrics")]
    [InlineData("GET http://127.0.0.1:4468 HTTP/1.1\r\n\r\n", "GET", "/")]
    public void Request_line_is_parsed(string head, string method, string path)
    {
        Assert.True(HttpRequestHead.TryParse(Encoding.ASCII.GetBytes(head), out var request, out var problem), problem);
        Assert.Equal(new HttpRequestHead(method, path), request);
    }

    [Theory]
    [InlineData("GET /status\r\n\r\n", "request line")]
    [InlineData("GET /status HTTP/2.0\r\n\r\n", "unsupported HTTP version 'HTTP/2.0'")]
    [InlineData("G(T /status HTTP/1.1\r\n\r\n", "method")]
    [InlineData("GET status HTTP/1.1\r\n\r\n", "request target")]
    [InlineData("\r\n\r\n", "request line")]
    public void Malformed_request_lines_are_refused_with_the_reason(string head, string reason)
    {
        Assert.False(HttpRequestHead.TryParse(Encoding.ASCII.GetBytes(head), out _, out var problem));
        Assert.Contains(reason, problem);
    }

    [Fact]
    public async Task Unknown_paths_other_methods_head_requests_and_garbage_get_proper_answers()
    {
        await using var hotspot = await RuntimeFixture.StartAsync(new SimulatedRadio());
        await using var server = StatusServer.Create(hotspot.Runtime, "127.0.0.1", 0, NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);

        var notFound = await ExchangeAsync(server, "GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 404 Not Found\r\n", notFound);
        Assert.EndsWith("no such document /nope; try /status, /healthz or /metrics\n", notFound);

        var post = await ExchangeAsync(server, "POST /status HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 405 Method Not Allowed\r\n", post);
        Assert.Contains("\r\nAllow: GET, HEAD\r\n", post);

        var head = await ExchangeAsync(server, "HEAD /healthz HTTP/1.1\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head);
        Assert.Contains("\r\nContent-Length: 3\r\n", head); // the length GET's "ok\n" would have
        Assert.EndsWith("\r\n\r\n", head);                   // but no body

        var garbage = await ExchangeAsync(server, "HELLO\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", garbage);
        Assert.Contains("request line is not 'METHOD TARGET HTTP/1.x'", garbage);

        var huge = await ExchangeAsync(server, "GET /status HTTP/1.1\r\nX-Filler: " + new string('a', HttpRequestHead.MaxHeadBytes) + "\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n", huge);

        var status = await ExchangeAsync(server, "GET /status HTTP/1.1\r\n\r\n");
        Assert.Contains("\r\nContent-Type: application/json; charset=utf-8\r\n", status);
        Assert.Contains("\"radioState\": \"receiving\"", status);
        Assert.Contains("\r\nConnection: close\r\n", status);
    }

    [Fact]
    public async Task Stopping_the_server_closes_the_port()
    {
        await using var hotspot = await RuntimeFixture.StartAsync(new SimulatedRadio());
        var server = StatusServer.Create(hotspot.Runtime, "127.0.0.1", 0, NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        var port = server.BaseAddress.Port;
        Assert.StartsWith("HTTP/1.1 200 OK", await ExchangeAsync(server, "GET /healthz HTTP/1.1\r\n\r\n"));

        await server.DisposeAsync();

        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port));
    }

    /// <summary>Sends raw bytes and reads until the server closes the connection.</summary>
    private static async Task<string> ExchangeAsync(StatusServer server, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        }
        catch (IOException)
        {
            // The server may answer (431) and close before it has read everything we send.
        }

        using var response = new MemoryStream();
        await stream.CopyToAsync(response).WaitAsync(RuntimeFixture.Patience);
        return Encoding.UTF8.GetString(response.ToArray());
    }
}
