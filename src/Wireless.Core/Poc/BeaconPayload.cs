using System.Buffers.Binary;
using System.Security.Cryptography;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Poc;

/// <summary>
/// The radio facts a beacon derivation needs, passed in so this stays independent of the region tables.
/// </summary>
/// <param name="Channels">The uplink channel frequencies of the hotspot's region plan, in plan order (the index
/// the beacon picks is into this list, so both sides must use the same order).</param>
/// <param name="MaxPayloadSize">How many beacon data bytes (after the 1-byte proprietary MHDR) the region allows at
/// the beacon data rate.</param>
public sealed record BeaconRadioParameters(IReadOnlyList<Hz> Channels, int MaxPayloadSize);

/// <summary>A beacon as derived from its entropy: what goes on air and where.</summary>
public sealed record Beacon(byte[] Data, int ChannelIndex, Hz Frequency)
{
    /// <summary>True when a reported beacon carries exactly this payload on this frequency.</summary>
    public bool Matches(ReadOnlySpan<byte> data, Hz frequency) => frequency == Frequency && data.SequenceEqual(Data);
}

/// <summary>
/// Derives a PoC beacon deterministically from the oracle's remote entropy and the hotspot's local entropy, so the
/// hotspot (building it) and the coverage oracle (regenerating it to check the report) get the same bytes.
/// Follows Helium's idea (helium/proto beacon/src/lib.rs: SHA-256 seed from both entropies into a CSPRNG, payload
/// from the stream, channel from the first bytes) with our own derivation, version 1:
/// <code>
/// seed     = SHA-256("depin-wireless/beacon/v1" ‖ remote (32 B) ‖ u64_le(remote_timestamp_s) ‖ local (4 B))
/// block[i] = SHA-256(seed ‖ u32_le(i)),  stream = block[0] ‖ block[1] ‖ ...
/// channel  = u32_le(stream[0..4]) mod channel_count
/// size     = min(51, max_payload_size)    (51 = Helium's beacon size; must be ≥ 16)
/// data     = stream[4 .. 4 + size]
/// </code>
/// </summary>
public static class BeaconPayload
{
    public const int RemoteEntropyLength = 32;
    public const int LocalEntropyLength = 4;

    /// <summary>Helium's beacon data size (reference doc §1, "Beacon construction").</summary>
    public const int PreferredSize = 51;

    /// <summary>Witnesses are matched to beacons by payload; 16 bytes keeps accidental collisions out of reach.</summary>
    public const int MinimumSize = 16;

    private const int ChannelSelectorLength = 4;
    private static readonly byte[] DomainLabel = "depin-wireless/beacon/v1"u8.ToArray();

    /// <summary>Local entropy for a new beacon, drawn from <paramref name="random"/>.</summary>
    public static byte[] NewLocalEntropy(IRandomSource random)
    {
        var local = new byte[LocalEntropyLength];
        random.Fill(local);
        return local;
    }

    public static Beacon Generate(ReadOnlySpan<byte> remoteEntropy, ulong remoteEntropyTimestampS, ReadOnlySpan<byte> localEntropy, BeaconRadioParameters radio)
    {
        Validate(remoteEntropy, localEntropy, radio);
        var size = Math.Min(PreferredSize, radio.MaxPayloadSize);
        var stream = new byte[ChannelSelectorLength + size];
        FillStream(Seed(remoteEntropy, remoteEntropyTimestampS, localEntropy), stream);

        var channelIndex = (int)(BinaryPrimitives.ReadUInt32LittleEndian(stream) % (uint)radio.Channels.Count);
        return new Beacon(stream[ChannelSelectorLength..], channelIndex, radio.Channels[channelIndex]);
    }

    private static void Validate(ReadOnlySpan<byte> remoteEntropy, ReadOnlySpan<byte> localEntropy, BeaconRadioParameters radio)
    {
        if (remoteEntropy.Length != RemoteEntropyLength)
        {
            throw new ArgumentException($"remoteEntropy: must be {RemoteEntropyLength} bytes (Entropy.data), got {remoteEntropy.Length}", nameof(remoteEntropy));
        }

        if (localEntropy.Length != LocalEntropyLength)
        {
            throw new ArgumentException($"localEntropy: must be {LocalEntropyLength} bytes, got {localEntropy.Length}", nameof(localEntropy));
        }

        if (radio.Channels.Count == 0)
        {
            throw new ArgumentException("radio.Channels: the region plan has no channels to beacon on", nameof(radio));
        }

        for (var i = 0; i < radio.Channels.Count; i++)
        {
            if (radio.Channels[i].Value <= 0)
            {
                throw new ArgumentException($"radio.Channels[{i}]: frequency must be positive, got {radio.Channels[i].Value} Hz", nameof(radio));
            }
        }

        if (radio.MaxPayloadSize < MinimumSize)
        {
            throw new ArgumentException(
                $"radio.MaxPayloadSize: {radio.MaxPayloadSize} bytes is below the {MinimumSize}-byte minimum beacon; beacon at a data rate that allows more",
                nameof(radio));
        }
    }

    private static byte[] Seed(ReadOnlySpan<byte> remoteEntropy, ulong remoteEntropyTimestampS, ReadOnlySpan<byte> localEntropy)
    {
        Span<byte> input = stackalloc byte[DomainLabel.Length + RemoteEntropyLength + sizeof(ulong) + LocalEntropyLength];
        var rest = input;
        DomainLabel.CopyTo(rest);
        rest = rest[DomainLabel.Length..];
        remoteEntropy.CopyTo(rest);
        rest = rest[RemoteEntropyLength..];
        BinaryPrimitives.WriteUInt64LittleEndian(rest, remoteEntropyTimestampS);
        rest = rest[sizeof(ulong)..];
        localEntropy.CopyTo(rest);
        return SHA256.HashData(input);
    }

    private static void FillStream(byte[] seed, Span<byte> destination)
    {
        Span<byte> blockInput = stackalloc byte[SHA256.HashSizeInBytes + sizeof(uint)];
        Span<byte> block = stackalloc byte[SHA256.HashSizeInBytes];
        seed.CopyTo(blockInput);
        for (uint counter = 0; !destination.IsEmpty; counter++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(blockInput[SHA256.HashSizeInBytes..], counter);
            SHA256.HashData(blockInput, block);
            var take = Math.Min(block.Length, destination.Length);
            block[..take].CopyTo(destination);
            destination = destination[take..];
        }
    }
}
