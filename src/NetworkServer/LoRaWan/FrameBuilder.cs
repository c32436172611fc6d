using System.Buffers.Binary;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.NetworkServer.LoRaWan;

/// <summary>The fields of a data frame to build; <see cref="Payload"/> is plaintext and <see cref="FCnt32"/> the full counter.</summary>
public sealed record DataFrameFields(MType MType, DevAddr DevAddr, uint FCnt32)
{
    public bool Adr { get; init; }

    public bool AdrAckReq { get; init; }

    public bool Ack { get; init; }

    /// <summary>FPending on a downlink, ClassB on an uplink (FCtrl bit 4).</summary>
    public bool FPendingOrClassB { get; init; }

    /// <summary>MAC commands piggybacked in FHDR (sent in clear in 1.0.x), at most 15 bytes.</summary>
    public ReadOnlyMemory<byte> FOpts { get; init; }

    /// <summary>Null for a frame without port and payload.</summary>
    public byte? FPort { get; init; }

    public ReadOnlyMemory<byte> Payload { get; init; }
}

/// <summary>The fields of a JoinAccept (LoRaWAN 1.0.4 §6.2.6).</summary>
public sealed record JoinAcceptFields(uint JoinNonce, NetId NetId, DevAddr DevAddr)
{
    public byte DlSettings { get; init; }

    public byte RxDelay { get; init; }

    /// <summary>Empty or exactly 16 bytes.</summary>
    public ReadOnlyMemory<byte> CfList { get; init; }
}

/// <summary>Builds PHYPayloads: encrypts FRMPayload, computes the MIC, encrypts JoinAccepts (inverse of the parsers).</summary>
public static class FrameBuilder
{
    /// <summary>Writes a data frame into <paramref name="destination"/> and returns its length.</summary>
    public static int WriteDataFrame(DataFrameFields fields, LoRaCipher nwkSKey, LoRaCipher? appSKey, Span<byte> destination)
    {
        if (!fields.MType.IsData())
        {
            throw new ArgumentException($"MType: {fields.MType} is not a data frame type", nameof(fields));
        }

        var fOpts = fields.FOpts.Span;
        var payload = fields.Payload.Span;
        if (fOpts.Length > 15)
        {
            throw new ArgumentException($"FOpts: {fOpts.Length} bytes exceeds 15", nameof(fields));
        }

        if (fields.FPort is null && !payload.IsEmpty)
        {
            throw new ArgumentException("FPort: a payload needs a port", nameof(fields));
        }

        if (fields.FPort == 0 && !fOpts.IsEmpty)
        {
            throw new ArgumentException("FPort: 0 (MAC commands in payload) cannot be combined with FOpts", nameof(fields));
        }

        var length = 1 + 7 + fOpts.Length + (fields.FPort is null ? 0 : 1 + payload.Length) + Mic.Size;
        if (length > PhyFrame.MaximumSize)
        {
            throw new ArgumentException($"PHYPayload: {length} bytes exceeds {PhyFrame.MaximumSize}", nameof(fields));
        }

        if (destination.Length < length)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes, the frame needs {length}", nameof(destination));
        }

        destination[0] = Mhdr.Create(fields.MType).Value;
        fields.DevAddr.WriteLittleEndian(destination[1..5]);
        destination[5] = FCtrl.Create(fields.Adr, fields.AdrAckReq, fields.Ack, fields.FPendingOrClassB, fOpts.Length).Value;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..8], (ushort)fields.FCnt32);
        fOpts.CopyTo(destination[8..]);
        var offset = 8 + fOpts.Length;
        var direction = fields.MType.Direction();
        if (fields.FPort is { } port)
        {
            destination[offset++] = port;
            var key = port == 0 ? nwkSKey : appSKey ?? throw new ArgumentNullException(nameof(appSKey), $"AppSKey is needed to encrypt a payload on FPort {port}");
            LoRaWanCrypto.CryptFrmPayload(key, direction, fields.DevAddr, fields.FCnt32, payload, destination[offset..]);
            offset += payload.Length;
        }

        var mic = LoRaWanCrypto.ComputeDataMic(nwkSKey, destination[..offset], direction, fields.DevAddr, fields.FCnt32);
        mic.Write(destination[offset..]);
        return offset + Mic.Size;
    }

    public static byte[] BuildDataFrame(DataFrameFields fields, LoRaCipher nwkSKey, LoRaCipher? appSKey)
    {
        Span<byte> buffer = stackalloc byte[PhyFrame.MaximumSize];
        var length = WriteDataFrame(fields, nwkSKey, appSKey, buffer);
        return buffer[..length].ToArray();
    }

    public static byte[] BuildJoinRequest(Eui64 joinEui, Eui64 devEui, ushort devNonce, LoRaCipher appKey)
    {
        var frame = new byte[JoinRequestFrame.Size];
        frame[0] = Mhdr.Create(MType.JoinRequest).Value;
        joinEui.WriteLittleEndian(frame.AsSpan(1, 8));
        devEui.WriteLittleEndian(frame.AsSpan(9, 8));
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(17, 2), devNonce);
        LoRaWanCrypto.ComputeJoinRequestMic(appKey, frame.AsSpan(0, 19)).Write(frame.AsSpan(19));
        return frame;
    }

    /// <summary>Builds a 1.0.x JoinAccept with its MIC; encrypted for the air unless <paramref name="encrypt"/> is false.</summary>
    public static byte[] BuildJoinAccept(JoinAcceptFields fields, LoRaCipher appKey, bool encrypt = true)
    {
        if (fields.JoinNonce > 0xFF_FFFF)
        {
            throw new ArgumentException($"JoinNonce: {fields.JoinNonce} does not fit in 24 bits", nameof(fields));
        }

        var cfList = fields.CfList.Span;
        if (cfList.Length is not (0 or 16))
        {
            throw new ArgumentException($"CFList: must be empty or 16 bytes, got {cfList.Length}", nameof(fields));
        }

        var plain = new byte[cfList.IsEmpty ? JoinAcceptFrame.SizeWithoutCfList : JoinAcceptFrame.SizeWithCfList];
        plain[0] = Mhdr.Create(MType.JoinAccept).Value;
        WriteUInt24(plain.AsSpan(1), fields.JoinNonce);
        WriteUInt24(plain.AsSpan(4), fields.NetId.Value);
        fields.DevAddr.WriteLittleEndian(plain.AsSpan(7, 4));
        plain[11] = fields.DlSettings;
        plain[12] = fields.RxDelay;
        cfList.CopyTo(plain.AsSpan(13));
        LoRaWanCrypto.ComputeJoinAcceptMic(appKey, plain.AsSpan(0, plain.Length - Mic.Size)).Write(plain.AsSpan(plain.Length - Mic.Size));
        if (!encrypt)
        {
            return plain;
        }

        var wire = new byte[plain.Length];
        LoRaWanCrypto.EncryptJoinAccept(appKey, plain, wire);
        return wire;
    }

    private static void WriteUInt24(Span<byte> destination, uint value)
    {
        destination[0] = (byte)value;
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)(value >> 16);
    }
}
