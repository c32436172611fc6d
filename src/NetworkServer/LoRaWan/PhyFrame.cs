using System.Diagnostics.CodeAnalysis;

namespace DePin.Wireless.NetworkServer.LoRaWan;

/// <summary>
/// A zero-copy view of a PHYPayload = MHDR | MACPayload | MIC (LoRaWAN 1.0.4 §4). Parsing checks the MHDR and the
/// length rules of the frame's type; type-specific views (<see cref="DataFrame"/>, <see cref="JoinRequestFrame"/>,
/// <see cref="JoinAcceptFrame"/>, <see cref="RejoinRequestFrame"/>) give the fields.
/// </summary>
public readonly ref struct PhyFrame
{
    public const int MhdrSize = 1;
    public const int MinimumSize = MhdrSize + Mic.Size;

    /// <summary>LoRaWAN never carries more than 255 bytes of PHYPayload (the LoRa PHY length byte).</summary>
    public const int MaximumSize = 255;

    private PhyFrame(ReadOnlySpan<byte> bytes) => Bytes = bytes;

    public ReadOnlySpan<byte> Bytes { get; }

    public Mhdr Mhdr => new(Bytes[0]);

    public MType MType => Mhdr.MType;

    /// <summary>Everything between MHDR and MIC.</summary>
    public ReadOnlySpan<byte> MacPayload => Bytes[MhdrSize..^Mic.Size];

    /// <summary>MHDR | MACPayload: the bytes a MIC covers (after the B0 block for data frames).</summary>
    public ReadOnlySpan<byte> Signed => Bytes[..^Mic.Size];

    public Mic Mic => Mic.Read(Bytes[^Mic.Size..]);

    public static PhyFrame Parse(ReadOnlySpan<byte> bytes) =>
        TryParse(bytes, out var frame, out var error) ? frame : throw error;

    /// <summary>Validates MHDR and the type's length rules; a JoinAccept is accepted in either encrypted or plain form (same length).</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out PhyFrame frame, [NotNullWhen(false)] out LoRaWanFormatException? error)
    {
        frame = default;
        if (bytes.Length < MinimumSize)
        {
            error = new LoRaWanFormatException("PHYPayload", $"{bytes.Length} bytes is too short; a frame needs at least MHDR(1) + MIC(4) = {MinimumSize}");
            return false;
        }

        if (bytes.Length > MaximumSize)
        {
            error = new LoRaWanFormatException("PHYPayload", $"{bytes.Length} bytes exceeds the LoRa maximum of {MaximumSize}");
            return false;
        }

        var mhdr = new Mhdr(bytes[0]);
        if (mhdr.Major != Mhdr.MajorLoRaWanR1)
        {
            error = new LoRaWanFormatException("MHDR.Major", $"unknown major version {mhdr.Major}; only 0 (LoRaWAN R1) is defined");
            return false;
        }

        error = mhdr.MType switch
        {
            MType.JoinRequest => JoinRequestFrame.CheckLength(bytes.Length),
            MType.JoinAccept => JoinAcceptFrame.CheckLength(bytes.Length),
            MType.RejoinRequest => RejoinRequestFrame.CheckLength(bytes),
            MType.Proprietary => null,
            _ => DataFrame.CheckStructure(bytes),
        };
        if (error is not null)
        {
            return false;
        }

        frame = new PhyFrame(bytes);
        return true;
    }

    public DataFrame AsDataFrame() => DataFrame.Parse(Bytes);

    public JoinRequestFrame AsJoinRequest() => JoinRequestFrame.Parse(Bytes);

    /// <summary>Reads a JoinAccept that is already decrypted (see <see cref="LoRaWanCrypto.DecryptJoinAccept"/>).</summary>
    public JoinAcceptFrame AsPlainJoinAccept() => JoinAcceptFrame.Parse(Bytes);

    public RejoinRequestFrame AsRejoinRequest() => RejoinRequestFrame.Parse(Bytes);

    /// <summary>For proprietary frames: the opaque bytes between MHDR and MIC.</summary>
    public ReadOnlySpan<byte> ProprietaryPayload => MType == MType.Proprietary
        ? MacPayload
        : throw new InvalidOperationException($"a {MType} frame has no proprietary payload");
}
