using DePin.Wireless.Core.Identity;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.Denylist;

/// <summary>A verified denylist release: hotspot addresses and undirected beaconer–witness edges refused by the verifier.</summary>
public sealed record SignedDenylist(ulong Version, DateTimeOffset SignedAt, IReadOnlySet<string> Hotspots, IReadOnlySet<(string, string)> DeniedEdges)
{
    public static readonly SignedDenylist Empty = new(0, DateTimeOffset.UnixEpoch, new HashSet<string>(), new HashSet<(string, string)>());
}

/// <summary>
/// The signed denylist file: the bytes of a <see cref="SignedEnvelope"/> whose payload is a
/// <see cref="DenylistRelease"/>, signed by the denylist authority key (Helium ships its denylist as a signed file
/// too, helium/denylist; the format here is this project's own). Reading refuses, naming the problem, anything that
/// is not exactly such an envelope signed by the configured authority; nothing partial is ever returned.
/// </summary>
public static class DenylistFile
{
    private static readonly string PayloadType = DenylistRelease.Descriptor.FullName;

    /// <summary>The authority's public key from its base58 address; <paramref name="field"/> names the setting in the error.</summary>
    public static PublicKey ParseAuthority(string? address, string field)
    {
        if (address is null)
        {
            throw new ArgumentException($"{field}: required with a denylist file");
        }

        return PublicKey.TryParseAddress(address, out var key, out var problem)
            ? key
            : throw new ArgumentException($"{field}: \"{address}\" is not a key address ({problem})");
    }

    /// <summary>Signs a release with the authority key; the result is the file's content.</summary>
    public static byte[] Sign(DenylistRelease release, KeyPair authority, TimeProvider time, IRandomSource random) =>
        new EnvelopeSigner(authority, time, random).SignToBytes(release);

    /// <summary>Reads a file and verifies it was signed by <paramref name="authority"/>.</summary>
    public static SignedDenylist Read(string path, PublicKey authority)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"denylist {path}: cannot be read ({ex.Message})", ex);
        }

        return Parse(bytes, authority, path);
    }

    /// <summary>Verifies file content signed by <paramref name="authority"/>; <paramref name="name"/> prefixes error messages.</summary>
    public static SignedDenylist Parse(ReadOnlySpan<byte> bytes, PublicKey authority, string name)
    {
        SignedEnvelope envelope;
        try
        {
            envelope = SignedEnvelope.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"denylist {name}: not a signed envelope ({ex.Message})", ex);
        }

        if (envelope.PayloadType != PayloadType)
        {
            throw new InvalidDataException($"denylist {name}: payload_type is \"{envelope.PayloadType}\", expected \"{PayloadType}\"");
        }

        if (!PublicKey.TryParse(envelope.SignerKey.Span, out var signer, out _) || !signer.Equals(authority))
        {
            throw new InvalidDataException($"denylist {name}: signer_key is not the denylist authority {authority}");
        }

        var unsigned = envelope.Clone();
        unsigned.Signature = ByteString.Empty;
        if (envelope.Signature.Length == 0 || !authority.Verify(unsigned.ToByteArray(), envelope.Signature.Span))
        {
            throw new InvalidDataException($"denylist {name}: signature does not verify for the denylist authority {authority}");
        }

        DenylistRelease release;
        try
        {
            release = DenylistRelease.Parser.ParseFrom(envelope.Payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"denylist {name}: payload is not a DenylistRelease ({ex.Message})", ex);
        }

        var hotspots = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, i) in release.HotspotKeys.Select((k, i) => (k, i)))
        {
            hotspots.Add(Address(key, $"denylist {name}: hotspot_keys[{i}]"));
        }

        var edges = new HashSet<(string, string)>();
        foreach (var (edge, i) in release.DeniedEdges.Select((e, i) => (e, i)))
        {
            edges.Add((Address(edge.A, $"denylist {name}: denied_edges[{i}].a"), Address(edge.B, $"denylist {name}: denied_edges[{i}].b")));
        }

        return new SignedDenylist(release.Version, DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Min(envelope.TimestampMs, long.MaxValue)), hotspots, edges);
    }

    private static string Address(ByteString key, string where) =>
        PublicKey.TryParse(key.Span, out var parsed, out var problem)
            ? parsed.ToAddress()
            : throw new InvalidDataException($"{where}: not a typed public key ({problem})");
}
