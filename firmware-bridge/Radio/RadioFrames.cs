namespace DePin.Wireless.FirmwareBridge.Radio;

/// <summary>Outcome of the payload CRC check of a received frame.</summary>
public enum RxCrcStatus
{
    Ok,
    Bad,
    NoCrc,
}

/// <summary>A LoRa frame received by a radio, with the metadata a packet report needs.</summary>
/// <param name="CounterTimestampUs">Radio counter (µs, wraps at 2^32) at the end of reception, like GWMP "tmst".</param>
/// <param name="FineTimestampNs">Nanosecond timestamp within the GPS second, when the hardware has one.</param>
public sealed record RxFrame(
    byte[] Payload,
    long FrequencyHz,
    LoRaModulation Modulation,
    LoRaCodingRate CodingRate,
    double RssiDbm,
    double SnrDb,
    uint CounterTimestampUs,
    RxCrcStatus Crc,
    long? FineTimestampNs = null);

/// <summary>A frame to transmit.</summary>
/// <param name="CounterTimeUs">Radio counter value (µs) at which to start; null = as soon as possible.</param>
/// <param name="InvertIq">True for LoRaWAN downlinks (devices listen with inverted IQ).</param>
/// <param name="CrcEnabled">LoRaWAN downlinks carry no payload CRC.</param>
public sealed record TxRequest(
    byte[] Payload,
    long FrequencyHz,
    LoRaModulation Modulation,
    LoRaCodingRate CodingRate,
    int PowerDbm,
    uint? CounterTimeUs = null,
    bool InvertIq = true,
    bool CrcEnabled = false,
    int PreambleLength = 8);

/// <summary>Why a transmission did or did not happen; mirrors the GWMP TX_ACK "error" values plus driver failures.</summary>
public enum TxStatus
{
    Ok,
    TooLate,
    TooEarly,
    CollisionPacket,
    CollisionBeacon,
    FrequencyError,
    PowerError,
    GpsUnlocked,
    Timeout,
    RadioError,
}

/// <summary>Result of <see cref="IRadio.TransmitAsync"/>; <paramref name="Detail"/> explains failures.</summary>
/// <param name="ActualPowerDbm">
/// The power the radio really used when it reports one that differs from the request (GWMP TX_ACK warning
/// TX_POWER, sx1302_hal PROTOCOL.md); null when the requested power was used.
/// </param>
public readonly record struct TxResult(TxStatus Status, string? Detail = null, int? ActualPowerDbm = null)
{
    public static TxResult Ok => new(TxStatus.Ok);

    public bool IsOk => Status == TxStatus.Ok;
}
