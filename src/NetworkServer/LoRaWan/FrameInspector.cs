using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.NetworkServer.LoRaWan;

/// <summary>Keys and counter context for inspecting a frame; every member is optional.</summary>
public sealed record InspectionKeys
{
    public AesKey? NwkSKey { get; init; }

    public AesKey? AppSKey { get; init; }

    public AesKey? AppKey { get; init; }

    /// <summary>The upper 16 bits of the 32-bit frame counter; 0 is assumed for MIC and decryption when absent.</summary>
    public ushort? FCntMsb { get; init; }
}

/// <summary>What a frame says, as plain values (hex strings for byte fields); null members do not apply to the frame's type.</summary>
public sealed record FrameReport(MType MType)
{
    public DevAddr? DevAddr { get; init; }

    public FCtrl? FCtrl { get; init; }

    public ushort? FCnt { get; init; }

    public uint? FCnt32 { get; init; }

    public byte? FPort { get; init; }

    public string? FOpts { get; init; }

    /// <summary>Null when no key for this frame type was given.</summary>
    public bool? MicValid { get; init; }

    public string Mic { get; init; } = "";

    /// <summary>FRMPayload (decrypted when the key was given), proprietary payload, or decrypted JoinAccept body.</summary>
    public string? Payload { get; init; }

    public bool PayloadDecrypted { get; init; }

    /// <summary>FOpts or FPort-0 payload decoded as MAC commands, when readable.</summary>
    public IReadOnlyList<MacCommand>? MacCommands { get; init; }

    public string? MacCommandError { get; init; }

    public Eui64? JoinEui { get; init; }

    public Eui64? DevEui { get; init; }

    public ushort? DevNonce { get; init; }

    public uint? JoinNonce { get; init; }

    public NetId? NetId { get; init; }

    public byte? DlSettings { get; init; }

    public byte? RxDelay { get; init; }

    public string? CfList { get; init; }

    public byte? RejoinType { get; init; }
}

/// <summary>Parses a PHYPayload and, given keys, checks its MIC and decrypts what it can: the logic of the `decode` command.</summary>
public static class FrameInspector
{
    /// <exception cref="LoRaWanFormatException">The frame is malformed.</exception>
    public static FrameReport Inspect(ReadOnlySpan<byte> phy, InspectionKeys keys)
    {
        var frame = PhyFrame.Parse(phy);
        return frame.MType switch
        {
            MType.JoinRequest => InspectJoinRequest(frame.AsJoinRequest(), keys),
            MType.JoinAccept => InspectJoinAccept(phy, keys),
            MType.RejoinRequest => InspectRejoin(frame.AsRejoinRequest()),
            MType.Proprietary => new FrameReport(MType.Proprietary) { Payload = Convert.ToHexStringLower(frame.ProprietaryPayload), Mic = frame.Mic.ToString() },
            _ => InspectData(frame.AsDataFrame(), keys),
        };
    }

    private static FrameReport InspectData(DataFrame data, InspectionKeys keys)
    {
        var fCnt32 = FrameCounter.Combine(keys.FCntMsb ?? 0, data.FCnt16);
        bool? micValid = null;
        if (keys.NwkSKey is { } nwk)
        {
            using var cipher = new LoRaCipher(nwk);
            micValid = LoRaWanCrypto.ComputeDataMic(cipher, data.Signed, data.Direction, data.DevAddr, fCnt32) == data.Mic;
        }

        var payload = data.FrmPayload.ToArray();
        var payloadKey = data.FPort switch
        {
            0 => keys.NwkSKey,
            null => null,
            _ => keys.AppSKey,
        };
        if (payloadKey is { } key && payload.Length > 0)
        {
            using var cipher = new LoRaCipher(key);
            LoRaWanCrypto.CryptFrmPayload(cipher, data.Direction, data.DevAddr, fCnt32, payload, payload);
        }

        // MAC commands travel in clear in FOpts (1.0.x) or encrypted with NwkSKey on FPort 0.
        ReadOnlySpan<byte> macStream = data.FPort == 0 ? (payloadKey is null ? ReadOnlySpan<byte>.Empty : payload) : data.FOpts;
        IReadOnlyList<MacCommand>? commands = null;
        string? macError = null;
        if (!macStream.IsEmpty)
        {
            try
            {
                commands = MacCommandCodec.Parse(macStream, data.Direction);
            }
            catch (LoRaWanFormatException e)
            {
                macError = e.Message;
            }
        }

        return new FrameReport(data.MType)
        {
            DevAddr = data.DevAddr,
            FCtrl = data.FCtrl,
            FCnt = data.FCnt16,
            FCnt32 = keys.FCntMsb is null ? null : fCnt32,
            FPort = data.FPort,
            FOpts = Convert.ToHexStringLower(data.FOpts),
            MicValid = micValid,
            Mic = data.Mic.ToString(),
            Payload = Convert.ToHexStringLower(payload),
            PayloadDecrypted = payloadKey is not null,
            MacCommands = commands,
            MacCommandError = macError,
        };
    }

    private static FrameReport InspectJoinRequest(JoinRequestFrame join, InspectionKeys keys)
    {
        bool? micValid = null;
        if (keys.AppKey is { } appKey)
        {
            using var cipher = new LoRaCipher(appKey);
            micValid = LoRaWanCrypto.ComputeJoinRequestMic(cipher, join.Signed) == join.Mic;
        }

        return new FrameReport(MType.JoinRequest)
        {
            JoinEui = join.JoinEui,
            DevEui = join.DevEui,
            DevNonce = join.DevNonce,
            MicValid = micValid,
            Mic = join.Mic.ToString(),
        };
    }

    private static FrameReport InspectJoinAccept(ReadOnlySpan<byte> wire, InspectionKeys keys)
    {
        if (keys.AppKey is not { } appKey)
        {
            // Without the AppKey only the encrypted body can be shown.
            return new FrameReport(MType.JoinAccept) { Payload = Convert.ToHexStringLower(wire[1..]), Mic = Mic.Read(wire[^4..]).ToString() };
        }

        using var cipher = new LoRaCipher(appKey);
        Span<byte> plain = stackalloc byte[wire.Length];
        LoRaWanCrypto.DecryptJoinAccept(cipher, wire, plain);
        var accept = JoinAcceptFrame.Parse(plain);
        return new FrameReport(MType.JoinAccept)
        {
            JoinNonce = accept.JoinNonce,
            NetId = accept.NetId,
            DevAddr = accept.DevAddr,
            DlSettings = accept.DlSettings,
            RxDelay = accept.RxDelay,
            CfList = accept.CfList.IsEmpty ? null : Convert.ToHexStringLower(accept.CfList),
            MicValid = LoRaWanCrypto.ComputeJoinAcceptMic(cipher, accept.Signed) == accept.Mic,
            Mic = accept.Mic.ToString(),
            Payload = Convert.ToHexStringLower(plain[1..]),
            PayloadDecrypted = true,
        };
    }

    private static FrameReport InspectRejoin(RejoinRequestFrame rejoin) => new(MType.RejoinRequest)
    {
        RejoinType = rejoin.RejoinType,
        NetId = rejoin.NetId,
        JoinEui = rejoin.JoinEui,
        DevEui = rejoin.DevEui,
        Mic = rejoin.Mic.ToString(),
    };
}
