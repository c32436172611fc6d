using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>The two Class A receive windows (LoRaWAN 1.0.4 §3.3).</summary>
public enum DownlinkWindow
{
    Rx1,
    Rx2,
}

/// <summary>
/// A Class A downlink answering an uplink received at <see cref="UplinkTmst"/>. RX1 opens
/// <see cref="Rx1Delay"/> after the uplink (RECEIVE_DELAY1, 1 s by default; 5 s for a join accept) on the
/// RX1 channel and data rate; RX2 opens one second later on the region's RX2 channel and data rate.
/// Timestamps use unchecked 32-bit arithmetic because <c>tmst</c> wraps.
/// </summary>
public sealed record ClassADownlink(
    Eui64 Gateway,
    uint UplinkTmst,
    byte[] Payload,
    Hz Rx1Frequency,
    DataRate Rx1DataRate,
    Hz Rx2Frequency,
    DataRate Rx2DataRate,
    int PowerDbm)
{
    public TimeSpan Rx1Delay { get; init; } = TimeSpan.FromSeconds(1);

    public GwmpCodingRate CodingRate { get; init; } = GwmpCodingRate.Cr4_5;

    public uint TmstFor(DownlinkWindow window)
    {
        var delayUs = (uint)(Rx1Delay.Ticks / TimeSpan.TicksPerMicrosecond);
        var extra = window == DownlinkWindow.Rx2 ? 1_000_000u : 0u;
        return unchecked(UplinkTmst + delayUs + extra);
    }

    public TxPacket ForWindow(DownlinkWindow window) => window == DownlinkWindow.Rx1
        ? TxPacket.LoraAt(TmstFor(window), Rx1Frequency, Rx1DataRate, PowerDbm, Payload, CodingRate)
        : TxPacket.LoraAt(TmstFor(window), Rx2Frequency, Rx2DataRate, PowerDbm, Payload, CodingRate);
}

/// <summary>
/// Outcome of a Class A downlink: the window it was accepted for (null if neither), and the TX_ACK of each attempt.
/// </summary>
public sealed record ClassADownlinkResult(DownlinkWindow? SentIn, TxAck Rx1Ack, TxAck? Rx2Ack)
{
    public bool Sent => SentIn is not null;
}
