using System.Security.Cryptography;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Core.Identity;

/// <summary>
/// The bytes a <see cref="SessionFrame"/> tag covers: fields 1–5 in field-number order, each omitted when default —
/// what Google.Protobuf writes for the frame with <c>tag</c> empty — written straight from the fields (as
/// <see cref="CanonicalEnvelope"/> does), and the tag itself: HMAC-SHA256 (RFC 2104) truncated to 16 bytes.
/// </summary>
internal static class CanonicalSessionFrame
{
    // (field number << 3) | wire type; 2 = length-delimited, 0 = varint.
    private const byte SessionIdTag = (1 << 3) | 2;
    private const byte CounterTag = 2 << 3;
    private const byte TimestampTag = 3 << 3;
    private const byte PayloadTypeTag = (4 << 3) | 2;
    private const byte PayloadTag = (5 << 3) | 2;

    public static int Size(SessionFrame frame)
    {
        var size = 0;
        if (!frame.SessionId.IsEmpty)
        {
            size += 1 + CodedOutputStream.ComputeBytesSize(frame.SessionId);
        }

        if (frame.Counter != 0)
        {
            size += 1 + CodedOutputStream.ComputeUInt64Size(frame.Counter);
        }

        if (frame.TimestampMs != 0)
        {
            size += 1 + CodedOutputStream.ComputeUInt64Size(frame.TimestampMs);
        }

        if (frame.PayloadType.Length != 0)
        {
            size += 1 + CodedOutputStream.ComputeStringSize(frame.PayloadType);
        }

        if (!frame.Payload.IsEmpty)
        {
            size += 1 + CodedOutputStream.ComputeBytesSize(frame.Payload);
        }

        return size;
    }

    /// <summary>Size of the serialized <c>tag</c> field (0 when empty).</summary>
    public static int TagFieldSize(SessionFrame frame) => frame.Tag.IsEmpty ? 0 : 1 + CodedOutputStream.ComputeBytesSize(frame.Tag);

    /// <summary>Writes the tag of <paramref name="frame"/> under <paramref name="macKey"/> into <paramref name="tag"/> (16 bytes).</summary>
    public static void ComputeTag(ReadOnlySpan<byte> macKey, SessionFrame frame, Span<byte> tag)
    {
        var size = Size(frame);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(size);
        try
        {
            Write(frame, buffer);
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(macKey, buffer.AsSpan(0, size), mac);
            mac[..SessionProtocol.TagLength].CopyTo(tag);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The tag under a session's keyed <see cref="SessionMac"/> (same bytes as
    /// <see cref="ComputeTag(ReadOnlySpan{byte}, SessionFrame, Span{byte})"/>); false when the session was disposed meanwhile.
    /// </summary>
    public static bool ComputeTag(SessionMac mac, SessionFrame frame, Span<byte> tag)
    {
        var size = Size(frame);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(size);
        try
        {
            Write(frame, buffer);
            return mac.Tag(buffer.AsSpan(0, size), tag);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Write(SessionFrame frame, byte[] buffer)
    {
        var output = new CodedOutputStream(buffer);
        if (!frame.SessionId.IsEmpty)
        {
            output.WriteRawTag(SessionIdTag);
            output.WriteBytes(frame.SessionId);
        }

        if (frame.Counter != 0)
        {
            output.WriteRawTag(CounterTag);
            output.WriteUInt64(frame.Counter);
        }

        if (frame.TimestampMs != 0)
        {
            output.WriteRawTag(TimestampTag);
            output.WriteUInt64(frame.TimestampMs);
        }

        if (frame.PayloadType.Length != 0)
        {
            output.WriteRawTag(PayloadTypeTag);
            output.WriteString(frame.PayloadType);
        }

        if (!frame.Payload.IsEmpty)
        {
            output.WriteRawTag(PayloadTag);
            output.WriteBytes(frame.Payload);
        }

        output.Flush();
    }
}

/// <summary>
/// HMAC-SHA256 under one session's key, keyed once: an <see cref="IncrementalHash"/> keeps the key schedule (the
/// padded inner and outer keys) between tags, which halves the cost of a one-shot HMAC per frame (measured in
/// docs/benchmarks/report-auth.md). Thread-safe (one tag at a time per session; frames of one hotspot arrive one
/// after another). A tag asked for after <see cref="Dispose"/> (a session evicted while a frame was in flight) is refused.
/// </summary>
internal sealed class SessionMac : IDisposable
{
    private readonly IncrementalHash _hmac;
    private readonly Lock _gate = new();
    private bool _disposed;

    public SessionMac(byte[] key) => _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);

    /// <summary>Writes the first 16 bytes of HMAC-SHA256(key, data) to <paramref name="tag"/>; false once disposed.</summary>
    public bool Tag(ReadOnlySpan<byte> data, Span<byte> tag)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            _hmac.AppendData(data);
            _hmac.GetHashAndReset(mac);
        }

        mac[..SessionProtocol.TagLength].CopyTo(tag);
        return true;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _hmac.Dispose();
            }
        }
    }
}
