using System.Security.Cryptography;
using System.Text;

namespace DePin.Wireless.Core.Identity;

/// <summary>Constants and the key schedule of session v1 (proto/session.proto).</summary>
public static class SessionProtocol
{
    /// <summary>Audience of sessions with the coverage oracle (beacon and witness reports).</summary>
    public const string CoverageOracle = "coverage-oracle";

    /// <summary>Audience of sessions with the network server (packet reports, TX acks).</summary>
    public const string NetworkServer = "network-server";

    /// <summary>HKDF info prefix; the version is in it so a future v2 never derives the same key.</summary>
    public const string InfoPrefix = "depin-wireless session v1|";

    public const int SessionIdLength = 16;

    /// <summary>HMAC-SHA256 truncated to 128 bits, as TLS/IPsec truncated MACs (RFC 2104 §5 allows truncation to ≥ half the hash).</summary>
    public const int TagLength = 16;

    public const int MacKeyLength = 32;

    /// <summary>Content-Type of a report body that is a <see cref="DePin.Wireless.Proto.SessionFrame"/> rather than a SignedEnvelope.</summary>
    public static readonly string FrameContentType = $"application/x-protobuf; proto={DePin.Wireless.Proto.SessionFrame.Descriptor.FullName}";

    /// <summary>
    /// True when a request's Content-Type is <see cref="FrameContentType"/>: media type application/x-protobuf
    /// (case-insensitive) with a parameter proto=depin.wireless.SessionFrame (value optionally quoted, RFC 9110 §8.3.1).
    /// Plain application/x-protobuf is a SignedEnvelope.
    /// </summary>
    public static bool IsFrameContentType(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        var parts = contentType.Split(';', StringSplitOptions.TrimEntries);
        if (!parts[0].Equals("application/x-protobuf", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var parameter in parts.AsSpan(1))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && parameter[..equals].Trim().Equals("proto", StringComparison.OrdinalIgnoreCase)
                && parameter[(equals + 1)..].Trim().Trim('"') == DePin.Wireless.Proto.SessionFrame.Descriptor.FullName)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Null when <paramref name="audience"/> is one this protocol knows, otherwise why not.</summary>
    public static string? CheckAudience(string audience) =>
        audience is CoverageOracle or NetworkServer
            ? null
            : $"audience: \"{audience}\" is not \"{CoverageOracle}\" or \"{NetworkServer}\"";

    /// <summary>
    /// mac_key = HKDF-SHA256 (RFC 5869) with ikm = the X25519 shared secret, salt = SHA-256 of the signed SessionOpen
    /// envelope's wire bytes (so the key exists only for the request the hotspot signed), info = prefix ‖ audience ‖
    /// "|" ‖ lowercase hex(session_id) (so a key is useless at another service or for another session).
    /// </summary>
    public static byte[] DeriveMacKey(ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> signedOpenEnvelope, string audience, ReadOnlySpan<byte> sessionId)
    {
        Span<byte> salt = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(signedOpenEnvelope, salt);
        var info = Encoding.UTF8.GetBytes(InfoPrefix + audience + "|" + Convert.ToHexStringLower(sessionId));
        var key = new byte[MacKeyLength];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, key, salt, info);
        return key;
    }
}
