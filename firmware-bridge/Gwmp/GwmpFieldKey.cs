using System.Text.Json;

namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>
/// Packs a short JSON property name (at most 8 bytes, as all GWMP rxpk names are) into a ulong, little-endian,
/// so the decoder can dispatch with one <c>switch</c> instead of a chain of string comparisons.
/// </summary>
internal static class GwmpFieldKey
{
    public const ulong Unknown = 0;

    public const ulong Tmst = 't' | ((ulong)'m' << 8) | ((ulong)'s' << 16) | ((ulong)'t' << 24);
    public const ulong Freq = 'f' | ((ulong)'r' << 8) | ((ulong)'e' << 16) | ((ulong)'q' << 24);
    public const ulong Modu = 'm' | ((ulong)'o' << 8) | ((ulong)'d' << 16) | ((ulong)'u' << 24);
    public const ulong Datr = 'd' | ((ulong)'a' << 8) | ((ulong)'t' << 16) | ((ulong)'r' << 24);
    public const ulong Size = 's' | ((ulong)'i' << 8) | ((ulong)'z' << 16) | ((ulong)'e' << 24);
    public const ulong Data = 'd' | ((ulong)'a' << 8) | ((ulong)'t' << 16) | ((ulong)'a' << 24);
    public const ulong Rssi = 'r' | ((ulong)'s' << 8) | ((ulong)'s' << 16) | ((ulong)'i' << 24);
    public const ulong Lsnr = 'l' | ((ulong)'s' << 8) | ((ulong)'n' << 16) | ((ulong)'r' << 24);
    public const ulong Codr = 'c' | ((ulong)'o' << 8) | ((ulong)'d' << 16) | ((ulong)'r' << 24);
    public const ulong Time = 't' | ((ulong)'i' << 8) | ((ulong)'m' << 16) | ((ulong)'e' << 24);
    public const ulong Tmms = 't' | ((ulong)'m' << 8) | ((ulong)'m' << 16) | ((ulong)'s' << 24);
    public const ulong Chan = 'c' | ((ulong)'h' << 8) | ((ulong)'a' << 16) | ((ulong)'n' << 24);
    public const ulong Rfch = 'r' | ((ulong)'f' << 8) | ((ulong)'c' << 16) | ((ulong)'h' << 24);
    public const ulong Stat = 's' | ((ulong)'t' << 8) | ((ulong)'a' << 16) | ((ulong)'t' << 24);
    public const ulong Ftime = 'f' | ((ulong)'t' << 8) | ((ulong)'i' << 16) | ((ulong)'m' << 24) | ((ulong)'e' << 32);
    public const ulong Mid = 'm' | ((ulong)'i' << 8) | ((ulong)'d' << 16);
    public const ulong Brd = 'b' | ((ulong)'r' << 8) | ((ulong)'d' << 16);
    public const ulong Rssis = 'r' | ((ulong)'s' << 8) | ((ulong)'s' << 16) | ((ulong)'i' << 24) | ((ulong)'s' << 32);
    public const ulong Rssic = 'r' | ((ulong)'s' << 8) | ((ulong)'s' << 16) | ((ulong)'i' << 24) | ((ulong)'c' << 32);
    public const ulong Foff = 'f' | ((ulong)'o' << 8) | ((ulong)'f' << 16) | ((ulong)'f' << 24);
    public const ulong Aesk = 'a' | ((ulong)'e' << 8) | ((ulong)'s' << 16) | ((ulong)'k' << 24);
    public const ulong Rxpk = 'r' | ((ulong)'x' << 8) | ((ulong)'p' << 16) | ((ulong)'k' << 24);

    /// <summary>The key of the property name under the reader, or <see cref="Unknown"/> if it is longer than 8 bytes.</summary>
    public static ulong Of(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Pack(reader.ValueSpan);
        }

        if (reader.ValueSpan.Length > 48)
        {
            return Unknown;
        }

        Span<byte> unescaped = stackalloc byte[48];
        return Pack(unescaped[..reader.CopyString(unescaped)]);
    }

    private static ulong Pack(ReadOnlySpan<byte> name)
    {
        if (name.Length is 0 or > 8)
        {
            return Unknown;
        }

        ulong key = 0;
        for (var i = 0; i < name.Length; i++)
        {
            key |= (ulong)name[i] << (8 * i);
        }

        return key;
    }
}
