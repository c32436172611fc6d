using System.Security.Cryptography;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Proto;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>SHA-256 of a PHYPayload: the key under which copies from different hotspots are collected and charged.</summary>
public readonly record struct PacketHash(UInt128 High, UInt128 Low)
{
    public const int Size = 32;

    public static PacketHash Of(ReadOnlySpan<byte> phyPayload)
    {
        Span<byte> hash = stackalloc byte[Size];
        SHA256.HashData(phyPayload, hash);
        return FromBytes(hash);
    }

    public static PacketHash FromBytes(ReadOnlySpan<byte> bytes) =>
        new(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes), System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes[16..]));

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, High);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes.AsSpan(16), Low);
        return bytes;
    }

    public override string ToString() => Convert.ToHexStringLower(ToArray());
}

/// <summary>One hotspot's verified copy of an uplink, with its radio metadata in engineering units.</summary>
public sealed record UplinkCopy(PublicKey Hotspot, PacketReport Report)
{
    /// <summary>SNR in dB (the report carries centi-dB).</summary>
    public double Snr => Report.SnrCdb / 100.0;

    /// <summary>RSSI in dBm (the report carries deci-dBm).</summary>
    public double Rssi => Report.SignalDdbm / 10.0;

    public Hz Frequency => new((long)Report.FrequencyHz);

    public DateTimeOffset ReceivedAt => DateTimeOffset.UnixEpoch.AddTicks((long)(Report.ReceivedNs / 100));
}
