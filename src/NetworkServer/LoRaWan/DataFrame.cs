using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.NetworkServer.LoRaWan;

/// <summary>
/// A data frame (MType 2..5): MHDR | FHDR(DevAddr(4) FCtrl(1) FCnt(2) FOpts(0..15)) | [FPort(1) | FRMPayload] | MIC
/// (LoRaWAN 1.0.4 §4.3). The view holds offsets into the original bytes; payloads stay encrypted until decrypted
/// with <see cref="LoRaWanCrypto.CryptFrmPayload"/>.
/// </summary>
public readonly ref struct DataFrame
{
    public const int FhdrMinimumSize = 7;
    public const int MinimumSize = PhyFrame.MhdrSize + FhdrMinimumSize + Mic.Size;

    private DataFrame(ReadOnlySpan<byte> bytes)
    {
        Bytes = bytes;
    }

    public ReadOnlySpan<byte> Bytes { get; }

    public Mhdr Mhdr => new(Bytes[0]);

    public MType MType => Mhdr.MType;

    public Direction Direction => MType.Direction();

    public bool IsConfirmed => MType.IsConfirmed();

    public DevAddr DevAddr => DevAddr.ReadLittleEndian(Bytes[1..5]);

    public FCtrl FCtrl => new(Bytes[5]);

    /// <summary>The 16 low bits of the frame counter, as sent on air.</summary>
    public ushort FCnt16 => (ushort)(Bytes[6] | (Bytes[7] << 8));

    public ReadOnlySpan<byte> FOpts => Bytes.Slice(8, FCtrl.FOptsLength);

    private int FPortOffset => 8 + FCtrl.FOptsLength;

    public bool HasFPort => FPortOffset < Bytes.Length - Mic.Size;

    /// <summary>FPort, or null when the frame carries no port and no payload.</summary>
    public byte? FPort => HasFPort ? Bytes[FPortOffset] : null;

    /// <summary>The (encrypted) FRMPayload; empty when absent.</summary>
    public ReadOnlySpan<byte> FrmPayload => HasFPort ? Bytes[(FPortOffset + 1)..^Mic.Size] : ReadOnlySpan<byte>.Empty;

    /// <summary>MHDR | FHDR | FPort | FRMPayload — the msg of the B0 MIC.</summary>
    public ReadOnlySpan<byte> Signed => Bytes[..^Mic.Size];

    public Mic Mic => Mic.Read(Bytes[^Mic.Size..]);

    public static DataFrame Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < PhyFrame.MinimumSize)
        {
            throw new LoRaWanFormatException("PHYPayload", $"{bytes.Length} bytes is too short for a data frame (minimum {MinimumSize})");
        }

        var type = new Mhdr(bytes[0]).MType;
        if (!type.IsData())
        {
            throw new LoRaWanFormatException("MHDR.MType", $"{type} is not a data frame");
        }

        var problem = CheckStructure(bytes);
        return problem is null ? new DataFrame(bytes) : throw problem;
    }

    /// <summary>Length and field rules of §4.3; returns the first violation or null.</summary>
    internal static LoRaWanFormatException? CheckStructure(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < MinimumSize)
        {
            return new LoRaWanFormatException("PHYPayload", $"{bytes.Length} bytes is too short for a data frame: MHDR(1) + FHDR(7) + MIC(4) needs {MinimumSize}");
        }

        var fOptsLength = bytes[5] & 0x0F;
        var available = bytes.Length - MinimumSize;
        if (fOptsLength > available)
        {
            return new LoRaWanFormatException("FCtrl.FOptsLen", $"declares {fOptsLength} bytes of FOpts but only {available} bytes remain before the MIC");
        }

        var fPortOffset = 8 + fOptsLength;
        if (fPortOffset < bytes.Length - Mic.Size && bytes[fPortOffset] == 0 && fOptsLength > 0)
        {
            return new LoRaWanFormatException("FPort", $"FPort 0 (MAC commands in FRMPayload) with {fOptsLength} bytes of FOpts present is invalid (LoRaWAN 1.0.4 §4.3.1.6)");
        }

        return null;
    }
}
