using System.Globalization;
using System.Text;

namespace DePin.Wireless.HotspotHost.Status;

/// <summary>One response of the status port; <see cref="Encode"/> writes it as an HTTP/1.1 message that closes the connection.</summary>
public sealed record StatusResponse(int StatusCode, string ContentType, string Body, string? Allow = null)
{
    public const string PlainText = "text/plain; charset=utf-8";

    public static StatusResponse Text(int statusCode, string body) => new(statusCode, PlainText, body);

    /// <summary>Status line, headers and (unless <paramref name="headOnly"/>) the UTF-8 body (RFC 9112 §4, §6; RFC 9110 §9.3.2 for HEAD).</summary>
    public byte[] Encode(bool headOnly)
    {
        var body = Encoding.UTF8.GetBytes(Body);
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {StatusCode} {ReasonPhrase(StatusCode)}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Type: {ContentType}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n")
            .Append("Cache-Control: no-store\r\n");
        if (Allow is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Allow: {Allow}\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        return headOnly ? headBytes : [.. headBytes, .. body];
    }

    private static string ReasonPhrase(int statusCode) => statusCode switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
