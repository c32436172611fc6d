namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>
/// <c>txpk_ack.error</c> values (PROTOCOL.TXT §6 "TX_ACK"; sx1302_hal PROTOCOL.md). TX_POWER was an error
/// before v1.5 of the spec and became a warning afterwards; both spellings are understood.
/// </summary>
public enum TxAckError
{
    None,
    TooLate,
    TooEarly,
    CollisionPacket,
    CollisionBeacon,
    TxFrequency,
    TxPower,
    GpsUnlocked,
}

/// <summary><c>txpk_ack.warn</c> values (sx1302_hal PROTOCOL.md): the packet is sent, with an adjustment.</summary>
public enum TxAckWarning
{
    None,

    /// <summary>The requested power is not supported; <see cref="TxAck.WarningValue"/> is the power used instead.</summary>
    TxPower,
}

/// <summary>The gateway's answer to a PULL_RESP. An empty TX_ACK means success.</summary>
public readonly record struct TxAck(TxAckError Error, TxAckWarning Warning = TxAckWarning.None, int? WarningValue = null)
{
    public static TxAck Ok { get; } = new(TxAckError.None);

    public bool IsSuccess => Error == TxAckError.None;

    public static ReadOnlySpan<byte> ErrorText(TxAckError error) => error switch
    {
        TxAckError.None => "NONE"u8,
        TxAckError.TooLate => "TOO_LATE"u8,
        TxAckError.TooEarly => "TOO_EARLY"u8,
        TxAckError.CollisionPacket => "COLLISION_PACKET"u8,
        TxAckError.CollisionBeacon => "COLLISION_BEACON"u8,
        TxAckError.TxFrequency => "TX_FREQ"u8,
        TxAckError.TxPower => "TX_POWER"u8,
        _ => "GPS_UNLOCKED"u8,
    };

    public static bool TryParseError(ReadOnlySpan<byte> text, out TxAckError error)
    {
        for (var e = TxAckError.None; e <= TxAckError.GpsUnlocked; e++)
        {
            if (text.SequenceEqual(ErrorText(e)))
            {
                error = e;
                return true;
            }
        }

        error = default;
        return false;
    }

    public static ReadOnlySpan<byte> WarningText(TxAckWarning warning) => warning == TxAckWarning.TxPower ? "TX_POWER"u8 : "NONE"u8;

    public static bool TryParseWarning(ReadOnlySpan<byte> text, out TxAckWarning warning)
    {
        warning = text.SequenceEqual("TX_POWER"u8) ? TxAckWarning.TxPower : TxAckWarning.None;
        return warning != TxAckWarning.None || text.SequenceEqual("NONE"u8);
    }

    public override string ToString() =>
        Warning == TxAckWarning.None
            ? System.Text.Encoding.ASCII.GetString(ErrorText(Error))
            : $"{System.Text.Encoding.ASCII.GetString(ErrorText(Error))} (warn {System.Text.Encoding.ASCII.GetString(WarningText(Warning))} {WarningValue})";
}
