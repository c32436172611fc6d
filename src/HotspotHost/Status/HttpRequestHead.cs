using System.Text;

namespace DePin.Wireless.HotspotHost.Status;

/// <summary>
/// The request line of an HTTP/1.x request (RFC 9112 §3: <c>method SP request-target SP HTTP-version</c>), which is all
/// the status port needs: it serves three read-only documents and ignores headers and bodies.
/// </summary>
public readonly record struct HttpRequestHead(string Method, string Path)
{
    /// <summary>Longest request head (request line + headers) the status port reads; loopback clients send ~100 bytes.</summary>
    public const int MaxHeadBytes = 8 * 1024;

    /// <summary>Parses the first line of <paramref name="head"/>; <paramref name="problem"/> says what is wrong when it fails.</summary>
    public static bool TryParse(ReadOnlySpan<byte> head, out HttpRequestHead request, out string problem)
    {
        request = default;
        var end = head.IndexOf("\r\n"u8);
        var line = end < 0 ? head : head[..end];
        var firstSpace = line.IndexOf((byte)' ');
        var lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace + 1)
        {
            problem = "request line is not 'METHOD TARGET HTTP/1.x'";
            return false;
        }

        var method = line[..firstSpace];
        var target = line[(firstSpace + 1)..lastSpace];
        var version = line[(lastSpace + 1)..];
        if (!version.SequenceEqual("HTTP/1.1"u8) && !version.SequenceEqual("HTTP/1.0"u8))
        {
            problem = $"unsupported HTTP version '{Ascii(version)}'";
            return false;
        }

        if (!IsToken(method))
        {
            problem = "method is not an HTTP token";
            return false;
        }

        if (!TryPath(target, out var path))
        {
            problem = "request target is not an origin-form path ('/...') or absolute URL";
            return false;
        }

        request = new HttpRequestHead(Ascii(method), path);
        problem = string.Empty;
        return true;
    }

    /// <summary>Origin form "/path?query" or absolute form "http://host/path?query" (RFC 9112 §3.2); the query is dropped.</summary>
    private static bool TryPath(ReadOnlySpan<byte> target, out string path)
    {
        path = string.Empty;
        if (target.IsEmpty || target.ContainsAny((byte)' ', (byte)'\t'))
        {
            return false;
        }

        if (target[0] != (byte)'/')
        {
            var scheme = target.IndexOf("://"u8);
            if (scheme <= 0)
            {
                return false;
            }

            var afterAuthority = target[(scheme + 3)..];
            var slash = afterAuthority.IndexOf((byte)'/');
            target = slash < 0 ? "/"u8 : afterAuthority[slash..];
        }

        var query = target.IndexOfAny((byte)'?', (byte)'#');
        path = Ascii(query < 0 ? target : target[..query]);
        return true;
    }

    private static bool IsToken(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            // tchar (RFC 9110 §5.6.2) restricted to what real methods use: letters, digits, '-' and '_'.
            if (!(b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_'))
            {
                return false;
            }
        }

        return !value.IsEmpty;
    }

    private static string Ascii(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes);
}
