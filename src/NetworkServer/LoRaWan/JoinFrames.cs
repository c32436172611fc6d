using System.Buffers.Binary;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.NetworkServer.LoRaWan;

/// <summary>JoinRequest = MHDR | JoinEUI(8) | DevEUI(8) | DevNonce(2) | MIC (LoRaWAN 1.0.4 §6.2.4), all little-endian on air.</summary>
public readonly ref struct JoinRequestFrame
{
    public const int Size = 23;

    private JoinRequestFrame(ReadOnlySpan<byte> bytes) => Bytes = bytes;

    public ReadOnlySpan<byte> Bytes { get; }

    public Eui64 JoinEui => Eui64.ReadLittleEndian(Bytes[1..9]);

    public Eui64 DevEui => Eui64.ReadLittleEndian(Bytes[9..17]);

    public ushort DevNonce => BinaryPrimitives.ReadUInt16LittleEndian(Bytes[17..19]);

    /// <summary>MHDR | JoinEUI | DevEUI | DevNonce: what the MIC covers.</summary>
    public ReadOnlySpan<byte> Signed => Bytes[..^Mic.Size];

    public Mic Mic => Mic.Read(Bytes[^Mic.Size..]);

    public static JoinRequestFrame Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 1 || new Mhdr(bytes[0]).MType != MType.JoinRequest)
        {
            throw new LoRaWanFormatException("MHDR.MType", "not a JoinRequest");
        }

        var problem = CheckLength(bytes.Length);
        return problem is null ? new JoinRequestFrame(bytes) : throw problem;
    }

    internal static LoRaWanFormatException? CheckLength(int length) => length == Size
        ? null
        : new LoRaWanFormatException("PHYPayload", $"a JoinRequest is exactly {Size} bytes, got {length}");
}

/// <summary>
/// A decrypted JoinAccept = MHDR | JoinNonce(3) | NetID(3) | DevAddr(4) | DLSettings(1) | RxDelay(1) | [CFList(16)] | MIC
/// (LoRaWAN 1.0.4 §6.2.6). On air the part after MHDR is encrypted; decrypt it first.
/// </summary>
public readonly ref struct JoinAcceptFrame
{
    public const int SizeWithoutCfList = 17;
    public const int SizeWithCfList = 33;

    private JoinAcceptFrame(ReadOnlySpan<byte> bytes) => Bytes = bytes;

    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>AppNonce in 1.0.x, JoinNonce in 1.0.4/1.1: 24 bits.</summary>
    public uint JoinNonce => ReadUInt24(Bytes[1..4]);

    public NetId NetId => new(ReadUInt24(Bytes[4..7]));

    public DevAddr DevAddr => DevAddr.ReadLittleEndian(Bytes[7..11]);

    /// <summary>DLSettings: OptNeg(7) | RX1DRoffset(6..4) | RX2DataRate(3..0).</summary>
    public byte DlSettings => Bytes[11];

    public bool OptNeg => (DlSettings & 0x80) != 0;

    public int Rx1DrOffset => (DlSettings >> 4) & 0x07;

    public int Rx2DataRate => DlSettings & 0x0F;

    /// <summary>RxDelay byte; the delay in seconds is its low nibble, 0 meaning 1 s (§5.7).</summary>
    public byte RxDelay => Bytes[12];

    public ReadOnlySpan<byte> CfList => Bytes.Length == SizeWithCfList ? Bytes[13..29] : ReadOnlySpan<byte>.Empty;

    public ReadOnlySpan<byte> Signed => Bytes[..^Mic.Size];

    public Mic Mic => Mic.Read(Bytes[^Mic.Size..]);

    public static JoinAcceptFrame Parse(ReadOnlySpan<byte> plain)
    {
        if (plain.Length < 1 || new Mhdr(plain[0]).MType != MType.JoinAccept)
        {
            throw new LoRaWanFormatException("MHDR.MType", "not a JoinAccept");
        }

        var problem = CheckLength(plain.Length);
        return problem is null ? new JoinAcceptFrame(plain) : throw problem;
    }

    internal static LoRaWanFormatException? CheckLength(int length) => length is SizeWithoutCfList or SizeWithCfList
        ? null
        : new LoRaWanFormatException("PHYPayload", $"a JoinAccept is {SizeWithoutCfList} bytes (or {SizeWithCfList} with CFList), got {length}");

    internal static uint ReadUInt24(ReadOnlySpan<byte> b) => (uint)(b[0] | (b[1] << 8) | (b[2] << 16));
}

/// <summary>
/// A LoRaWAN 1.1 RejoinRequest (MType 6, parse only; §6.2.4.2 of 1.1): type 0/2 = MHDR | Type | NetID(3) | DevEUI(8) | RJcount0(2) | MIC,
/// type 1 = MHDR | Type | JoinEUI(8) | DevEUI(8) | RJcount1(2) | MIC.
/// </summary>
public readonly ref struct RejoinRequestFrame
{
    public const int SizeType0Or2 = 19;
    public const int SizeType1 = 24;

    private RejoinRequestFrame(ReadOnlySpan<byte> bytes) => Bytes = bytes;

    public ReadOnlySpan<byte> Bytes { get; }

    public byte RejoinType => Bytes[1];

    /// <summary>NetID for types 0 and 2; null for type 1.</summary>
    public NetId? NetId => RejoinType == 1 ? null : new NetId(JoinAcceptFrame.ReadUInt24(Bytes[2..5]));

    /// <summary>JoinEUI for type 1; null for types 0 and 2.</summary>
    public Eui64? JoinEui => RejoinType == 1 ? Eui64.ReadLittleEndian(Bytes[2..10]) : null;

    public Eui64 DevEui => RejoinType == 1 ? Eui64.ReadLittleEndian(Bytes[10..18]) : Eui64.ReadLittleEndian(Bytes[5..13]);

    /// <summary>RJcount0 (types 0/2) or RJcount1 (type 1).</summary>
    public ushort RejoinCount => BinaryPrimitives.ReadUInt16LittleEndian(RejoinType == 1 ? Bytes[18..20] : Bytes[13..15]);

    public Mic Mic => Mic.Read(Bytes[^Mic.Size..]);

    public static RejoinRequestFrame Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 1 || new Mhdr(bytes[0]).MType != MType.RejoinRequest)
        {
            throw new LoRaWanFormatException("MHDR.MType", "not a RejoinRequest");
        }

        var problem = CheckLength(bytes);
        return problem is null ? new RejoinRequestFrame(bytes) : throw problem;
    }

    internal static LoRaWanFormatException? CheckLength(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 2)
        {
            return new LoRaWanFormatException("PHYPayload", "a RejoinRequest needs a rejoin type byte");
        }

        return bytes[1] switch
        {
            0 or 2 when bytes.Length != SizeType0Or2 => new LoRaWanFormatException("PHYPayload", $"a type {bytes[1]} RejoinRequest is {SizeType0Or2} bytes, got {bytes.Length}"),
            1 when bytes.Length != SizeType1 => new LoRaWanFormatException("PHYPayload", $"a type 1 RejoinRequest is {SizeType1} bytes, got {bytes.Length}"),
            0 or 1 or 2 => null,
            _ => new LoRaWanFormatException("RejoinType", $"{bytes[1]} is not a rejoin type (0, 1 or 2)"),
        };
    }
}
