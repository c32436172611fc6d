namespace DePin.Wireless.FirmwareBridge.Tests.Fakes;

/// <summary>A LoRa frame as a fake chip put it on (or took it off) the air, decoded from the chip's own registers.</summary>
public sealed record FakeAirFrame(
    byte[] Payload,
    long FrequencyHz,
    int SpreadingFactor,
    int BandwidthHz,
    int CodingRateCode,
    bool InvertIq,
    bool CrcOn,
    int PreambleLength,
    int PowerDbm,
    int SyncWord,
    long TimestampTicks);

/// <summary>What a fake chip does when told to transmit.</summary>
public enum FakeTxBehaviour
{
    /// <summary>Frame goes out, TxDone interrupt.</summary>
    Complete,

    /// <summary>The chip's own TX timeout fires (SX1262 Timeout IRQ).</summary>
    RaiseTimeoutIrq,

    /// <summary>No interrupt ever arrives (PA/PLL fault, broken IRQ wire).</summary>
    NeverComplete,
}
