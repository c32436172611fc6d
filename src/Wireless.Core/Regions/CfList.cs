using System.Buffers.Binary;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Regions;

/// <summary>CFListType, the last byte of the 16-byte JoinAccept CFList (RP002-1.0.4 "JoinAccept CFList").</summary>
public enum CfListType : byte
{
    /// <summary>Five extra channel frequencies (EU868, AS923, KR920, IN865, …).</summary>
    Frequencies = 0,

    /// <summary>Channel masks ChMask0..ChMask4 covering the 72 channels (US915, AU915).</summary>
    ChannelMask = 1,
}

/// <summary>
/// Builds and reads the optional 16-byte CFList of a JoinAccept.
/// Type 0: five 3-byte little-endian frequencies in units of 100 Hz (0 = no channel), then CFListType.
/// Type 1: five 2-byte little-endian ChMasks (ch 0–15, 16–31, 32–47, 48–63, 64–71), 5 RFU bytes, then CFListType.
/// </summary>
public static class CfList
{
    public const int Length = 16;

    public const int MaxFrequencies = 5;

    public static byte[] FromFrequencies(IReadOnlyList<Hz> frequencies)
    {
        ArgumentNullException.ThrowIfNull(frequencies);
        if (frequencies.Count > MaxFrequencies)
        {
            throw new ArgumentException($"CFList: {frequencies.Count} frequencies given, at most {MaxFrequencies} fit", nameof(frequencies));
        }

        var bytes = new byte[Length];
        for (var i = 0; i < frequencies.Count; i++)
        {
            var hz = frequencies[i].Value;
            if (hz % 100 != 0 || hz <= 0 || hz / 100 > 0xFFFFFF)
            {
                throw new ArgumentException($"CFList: frequency {hz} Hz must be a positive multiple of 100 Hz below 1.6777216 GHz", nameof(frequencies));
            }

            var units = (uint)(hz / 100);
            bytes[3 * i] = (byte)units;
            bytes[(3 * i) + 1] = (byte)(units >> 8);
            bytes[(3 * i) + 2] = (byte)(units >> 16);
        }

        bytes[15] = (byte)CfListType.Frequencies;
        return bytes;
    }

    public static byte[] FromChannelMask(ChannelMask72 mask)
    {
        var bytes = new byte[Length];
        for (var block = 0; block < 5; block++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * block), mask.Block(block));
        }

        bytes[15] = (byte)CfListType.ChannelMask;
        return bytes;
    }

    public static CfListType TypeOf(ReadOnlySpan<byte> cfList)
    {
        RequireLength(cfList);
        return cfList[15] switch
        {
            0 => CfListType.Frequencies,
            1 => CfListType.ChannelMask,
            var t => throw new FormatException($"CFList: CFListType {t} is not 0 (frequencies) or 1 (channel mask)"),
        };
    }

    /// <summary>The non-zero frequencies of a type-0 CFList.</summary>
    public static IReadOnlyList<Hz> ReadFrequencies(ReadOnlySpan<byte> cfList)
    {
        if (TypeOf(cfList) != CfListType.Frequencies)
        {
            throw new FormatException("CFList: expected CFListType 0 (frequencies)");
        }

        var result = new List<Hz>(MaxFrequencies);
        for (var i = 0; i < MaxFrequencies; i++)
        {
            var units = cfList[3 * i] | (cfList[(3 * i) + 1] << 8) | (cfList[(3 * i) + 2] << 16);
            if (units != 0)
            {
                result.Add(new Hz(units * 100L));
            }
        }

        return result;
    }

    public static ChannelMask72 ReadChannelMask(ReadOnlySpan<byte> cfList)
    {
        if (TypeOf(cfList) != CfListType.ChannelMask)
        {
            throw new FormatException("CFList: expected CFListType 1 (channel mask)");
        }

        var mask = ChannelMask72.None;
        for (var block = 0; block < 5; block++)
        {
            mask = mask.WithBlock(block, BinaryPrimitives.ReadUInt16LittleEndian(cfList[(2 * block)..]));
        }

        return mask;
    }

    private static void RequireLength(ReadOnlySpan<byte> cfList)
    {
        if (cfList.Length != Length)
        {
            throw new FormatException($"CFList: expected {Length} bytes, got {cfList.Length}");
        }
    }
}
