namespace DePin.Wireless.NetworkServer.LoRaWan;

/// <summary>Message type, MHDR bits 7..5 (LoRaWAN 1.0.4 §4.2.1, Table 1). Value 6 is RFU in 1.0.x and RejoinRequest in 1.1.</summary>
public enum MType : byte
{
    JoinRequest = 0,
    JoinAccept = 1,
    UnconfirmedDataUp = 2,
    UnconfirmedDataDown = 3,
    ConfirmedDataUp = 4,
    ConfirmedDataDown = 5,
    RejoinRequest = 6,
    Proprietary = 7,
}

/// <summary>Direction of a frame; the Dir byte of the B0/Ai blocks (LoRaWAN 1.0.4 §4.3.3, §4.4).</summary>
public enum Direction : byte
{
    Uplink = 0,
    Downlink = 1,
}

/// <summary>The MAC header byte: MType (7..5), RFU (4..2), Major (1..0). Major 0 is "LoRaWAN R1", the only defined value.</summary>
public readonly record struct Mhdr(byte Value)
{
    public const byte MajorLoRaWanR1 = 0;

    public MType MType => (MType)(Value >> 5);

    public int Major => Value & 0x03;

    public static Mhdr Create(MType type) => new((byte)((byte)type << 5));

    public override string ToString() => $"{MType} (major {Major})";
}

/// <summary>Helpers over <see cref="MType"/>.</summary>
public static class MTypeExtensions
{
    public static bool IsData(this MType type) => type is >= MType.UnconfirmedDataUp and <= MType.ConfirmedDataDown;

    public static bool IsConfirmed(this MType type) => type is MType.ConfirmedDataUp or MType.ConfirmedDataDown;

    /// <summary>Direction of a data, join or rejoin frame; proprietary frames have no defined direction and report uplink.</summary>
    public static Direction Direction(this MType type) =>
        type is MType.UnconfirmedDataDown or MType.ConfirmedDataDown or MType.JoinAccept ? LoRaWan.Direction.Downlink : LoRaWan.Direction.Uplink;
}

/// <summary>
/// The frame-control byte of FHDR (LoRaWAN 1.0.4 §4.3.1). Uplink: ADR(7) ADRACKReq(6) ACK(5) ClassB(4) FOptsLen(3..0);
/// downlink: ADR(7) RFU(6) ACK(5) FPending(4) FOptsLen(3..0). Bit 4 is ClassB up and FPending down.
/// </summary>
public readonly record struct FCtrl(byte Value)
{
    public bool Adr => (Value & 0x80) != 0;

    public bool AdrAckReq => (Value & 0x40) != 0;

    public bool Ack => (Value & 0x20) != 0;

    /// <summary>Bit 4 on a downlink: the network has more data pending.</summary>
    public bool FPending => (Value & 0x10) != 0;

    /// <summary>Bit 4 on an uplink: the device has switched to Class B.</summary>
    public bool ClassB => (Value & 0x10) != 0;

    public int FOptsLength => Value & 0x0F;

    public static FCtrl Create(bool adr = false, bool adrAckReq = false, bool ack = false, bool fPendingOrClassB = false, int fOptsLength = 0)
    {
        if (fOptsLength is < 0 or > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(fOptsLength), $"FOptsLen: {fOptsLength} is not 0..15");
        }

        return new FCtrl((byte)((adr ? 0x80 : 0) | (adrAckReq ? 0x40 : 0) | (ack ? 0x20 : 0) | (fPendingOrClassB ? 0x10 : 0) | fOptsLength));
    }
}

/// <summary>The 4-byte message integrity code. <see cref="Value"/> reads the wire bytes most significant first, so its hex text is the wire order ("2b11ff0d").</summary>
public readonly record struct Mic(uint Value)
{
    public const int Size = 4;

    public static Mic Read(ReadOnlySpan<byte> wire) => new(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(wire));

    public void Write(Span<byte> wire) => System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(wire, Value);

    public override string ToString() => Value.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A frame, MAC command or key could not be read; the message names the field and the problem.</summary>
public sealed class LoRaWanFormatException : FormatException
{
    public LoRaWanFormatException(string field, string problem)
        : base($"{field}: {problem}")
    {
        Field = field;
        Problem = problem;
    }

    public LoRaWanFormatException()
        : this("frame", "malformed")
    {
    }

    public LoRaWanFormatException(string message)
        : this("frame", message)
    {
    }

    public LoRaWanFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "frame";
        Problem = message;
    }

    public string Field { get; }

    public string Problem { get; }
}
