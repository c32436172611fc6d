using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.NetworkServer.Storage;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>The session a data frame belongs to, with its 32-bit counter and counter verdict.</summary>
public sealed record SessionMatch(DeviceSession Session, FrameCounterResult Counter);

/// <summary>
/// Stage 5 (pure part): among the sessions sharing the frame's DevAddr, the one whose NwkSKey verifies the MIC over
/// the reconstructed 32-bit FCnt (LoRaWAN 1.0.4 §4.4). Frames whose counter is behind or too far ahead are refused.
/// </summary>
public static class SessionResolver
{

    public static StageResult<SessionMatch> Resolve(ReadOnlySpan<byte> phyPayload, IReadOnlyList<DeviceSession> candidates, FrameCounterResetPolicy policy, LoRaCipherPool? ciphers = null)
    {
        var frame = DataFrame.Parse(phyPayload);
        string? counterProblem = null;
        foreach (var session in candidates)
        {
            var counter = FrameCounter.Reconstruct(frame.FCnt16, session.FCntUp, policy);
            if (counter.Verdict == FrameCounterVerdict.Rejected)
            {
                counterProblem = counter.Reason;
                continue;
            }

            using var nwkSKey = (ciphers ?? LoRaCipherPool.Unpooled()).Rent(session.NwkSKey);
            if (LoRaWanCrypto.ComputeDataMic(nwkSKey.Cipher, frame.Signed, Direction.Uplink, frame.DevAddr, counter.FCnt32) == frame.Mic)
            {
                return StageResult.Pass(new SessionMatch(session, counter));
            }
        }

        return candidates.Count == 0
            ? StageResult.Reject<SessionMatch>("unknown_devaddr", $"devAddr: no session has {frame.DevAddr}")
            : counterProblem is not null && candidates.Count == 1
                ? StageResult.Reject<SessionMatch>("fcnt_rejected", $"fCnt: {counterProblem}")
                : StageResult.Reject<SessionMatch>("mic_invalid", $"mic: no session of {frame.DevAddr} verifies it");
    }
}

/// <summary>The decrypted content of an accepted data frame.</summary>
public sealed record DecryptedUplink(byte? FPort, byte[] Payload, IReadOnlyList<MacCommand> MacCommands, bool Confirmed, bool Adr, bool AdrAckReq, string? MacProblem)
{
    /// <summary>FCtrl.ACK: the device acknowledges the last confirmed downlink (LoRaWAN 1.0.4 §4.3.1.2).</summary>
    public bool Ack { get; init; }
}

/// <summary>Stage 6 (pure): FRMPayload decryption (AppSKey, or NwkSKey on port 0) and MAC command parsing from FOpts or port 0.</summary>
public static class PayloadDecryptor
{
    public static DecryptedUplink Decrypt(ReadOnlySpan<byte> phyPayload, DeviceSession session, uint fCnt32, LoRaCipherPool? ciphers = null)
    {
        var frame = DataFrame.Parse(phyPayload);
        var plain = new byte[frame.FrmPayload.Length];
        if (frame.FPort is { } port)
        {
            using var key = (ciphers ?? LoRaCipherPool.Unpooled()).Rent(port == 0 ? session.NwkSKey : session.AppSKey);
            LoRaWanCrypto.CryptFrmPayload(key.Cipher, Direction.Uplink, frame.DevAddr, fCnt32, frame.FrmPayload, plain);
        }

        IReadOnlyList<MacCommand> commands = [];
        string? macProblem = null;
        try
        {
            commands = MacCommandCodec.Parse(frame.FPort == 0 ? plain : frame.FOpts, Direction.Uplink);
        }
        catch (LoRaWanFormatException e)
        {
            // A malformed MAC stream must not cost the device its application payload; the problem is reported.
            macProblem = $"{e.Field}: {e.Problem}";
        }

        return new DecryptedUplink(frame.FPort, frame.FPort == 0 ? [] : plain, commands, frame.IsConfirmed, frame.FCtrl.Adr, frame.FCtrl.AdrAckReq, macProblem)
        {
            Ack = frame.FCtrl.Ack,
        };
    }
}
