namespace DePin.Wireless.FirmwareBridge.Radio;

/// <summary>
/// The chip-specific half of a single-channel SPI radio (SX1262, SX1276). <see cref="HalfDuplexRadio"/>
/// supplies the rest: IRQ loop, host-timed TX, receive queue, counters. Calls are serialised by the caller.
/// </summary>
public interface IRadioChip : IDisposable
{
    string Name { get; }

    /// <summary>Pulses the reset line and waits until the chip accepts commands.</summary>
    Task ResetAsync(CancellationToken cancellationToken);

    /// <summary>One-time setup after reset (packet type, regulator, calibration, sync word); verifies the chip answers.</summary>
    void Initialise();

    /// <summary>Configures the receive channel and enters continuous receive with RX interrupts on the IRQ pin.</summary>
    void StartReceive();

    /// <summary>A verdict for requests the chip cannot send (frequency, power), or null.</summary>
    TxResult? CheckTransmit(TxRequest request);

    /// <summary>Leaves receive, loads channel, modulation, packet parameters and payload, and maps TX interrupts.</summary>
    void LoadTransmit(TxRequest request);

    /// <summary>Starts the loaded transmission with a chip-side timeout.</summary>
    void StartTransmit(TimeSpan timeout);

    /// <summary>Forces the chip out of a stuck transmission (standby, interrupts cleared).</summary>
    void AbortTransmit();

    /// <summary>Reads and clears the chip's interrupt flags; fetches the received frame, if any.</summary>
    RadioInterrupt ServiceInterrupt(uint counterTimestampUs);
}

/// <summary>What one IRQ-line edge meant.</summary>
public readonly record struct RadioInterrupt(
    bool TxDone = false,
    bool TxTimeout = false,
    RxFrame? Frame = null,
    bool CrcError = false,
    bool HeaderError = false);
