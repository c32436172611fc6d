using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Devnet.Medium;

/// <summary>A radio's request to put a LoRa packet on the air.</summary>
public sealed record TransmitRequest
{
    public required RadioId Sender { get; init; }

    /// <summary>When the first preamble symbol leaves the antenna.</summary>
    public required SimTime Start { get; init; }

    public required Hz Frequency { get; init; }

    public required DataRate DataRate { get; init; }

    /// <summary>Conducted transmit power; the sender's antenna gain is added for the EIRP.</summary>
    public required Dbm TxPower { get; init; }

    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>Framing (preamble, header, CRC, coding rate, I/Q polarity); default LoRaWAN uplink (normal I/Q: heard by hotspots, not by devices).</summary>
    public LoRaPacketShape Shape { get; init; } = LoRaPacketShape.LoRaWanUplink;
}

/// <summary>A packet on the air (accepted by <see cref="RadioMedium.Submit"/>).</summary>
public sealed record Transmission
{
    public required long Id { get; init; }

    public required RadioId Sender { get; init; }

    public required SimTime Start { get; init; }

    public required SimTime End { get; init; }

    public required Hz Frequency { get; init; }

    public required DataRate DataRate { get; init; }

    public required Dbm TxPower { get; init; }

    public required ReadOnlyMemory<byte> Payload { get; init; }

    public required AirtimeBreakdown Airtime { get; init; }

    /// <summary>Inverted I/Q (LoRaWAN downlink, <see cref="LoRaPacketShape.InvertedIq"/>): only devices can hear it; otherwise only hotspots.</summary>
    public bool InvertedIq { get; init; }

    /// <summary>
    /// Interference that ends before this instant only hits preamble symbols the receiver can spare: a LoRa receiver
    /// needs the last 5 of the preamble symbols to lock, so overlap limited to the first N_preamble − 5 symbols is
    /// harmless (Bor et al., MSWiM 2016, §3.3 "timing collision"; LoRaSim <c>timingCollision</c>).
    /// </summary>
    public required SimTime CriticalSectionStart { get; init; }

    public bool OverlapsInTime(SimTime start, SimTime end) => Start < end && start < End;

    /// <summary>Spectral overlap: centre frequencies closer than the mean of the two bandwidths.</summary>
    public bool OverlapsInSpectrum(Hz frequency, DataRate dataRate) =>
        Math.Abs(Frequency.Value - frequency.Value) * 2 < (long)DataRate.BandwidthHz + dataRate.BandwidthHz;
}

public enum SubmitOutcome
{
    Accepted,

    /// <summary>The region's duty cycle does not allow this airtime yet; see <see cref="SubmitResult.NextAllowed"/>.</summary>
    DutyCycleExceeded,

    /// <summary>The sender is still transmitting a previous packet at that time.</summary>
    SenderBusy,
}

public sealed record SubmitResult(SubmitOutcome Outcome, Transmission? Transmission, SimTime? NextAllowed)
{
    public bool Accepted => Outcome == SubmitOutcome.Accepted;
}

/// <summary>One copy of a transmission successfully demodulated by one receiver.</summary>
public sealed record Reception
{
    public required Transmission Transmission { get; init; }

    public required RadioId Receiver { get; init; }

    public required Dbm Rssi { get; init; }

    /// <summary>Signal over the thermal noise floor of the bandwidth, dB.</summary>
    public required double SnrDb { get; init; }

    public Hz Frequency => Transmission.Frequency;

    public DataRate DataRate => Transmission.DataRate;

    public ReadOnlyMemory<byte> Payload => Transmission.Payload;

    public required double DistanceMeters { get; init; }

    /// <summary>When the first symbol reached the receiver (transmission start + distance / c).</summary>
    public required SimTime ArrivalStart { get; init; }

    /// <summary>When the last symbol reached the receiver.</summary>
    public required SimTime ArrivalEnd { get; init; }

    /// <summary>The receiver's 32-bit microsecond counter at the end of reception (GWMP <c>rxpk.tmst</c>, "RX finished").</summary>
    public required uint CounterTimestampMicroseconds { get; init; }

    /// <summary>GPS-referenced time of arrival of the packet start, ns since the simulation epoch; null without GPS.</summary>
    public required long? FineTimestampNanoseconds { get; init; }
}

public enum LossReason
{
    /// <summary>RSSI below sensitivity or SNR below the SF's floor.</summary>
    TooWeak,

    /// <summary>A device tuned elsewhere, or a hotspot not listening on that channel.</summary>
    NotListening,

    /// <summary>The receiver was itself transmitting during the packet (half-duplex).</summary>
    ReceiverTransmitting,

    /// <summary>Overlapping transmissions on the channel left too little signal-to-interference ratio.</summary>
    Collision,
}

/// <summary>A transmission that reached a receiver above the tracking floor but was not demodulated, and why.</summary>
public sealed record LostReception(Transmission Transmission, RadioId Receiver, Dbm Rssi, LossReason Reason);
