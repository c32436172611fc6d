namespace DePin.Wireless.FirmwareBridge.Radio;

/// <summary>
/// A LoRa radio as the hotspot host sees it: a stream of received frames and timed transmissions.
/// Implemented by the SPI chip drivers (SX1262, SX1276), by the GWMP bridge to a packet forwarder,
/// and by the devnet's simulated air.
/// </summary>
public interface IRadio : IAsyncDisposable
{
    /// <summary>Brings the radio up and starts receiving.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Frames received since start with a good (or absent) CRC, in arrival order.</summary>
    IAsyncEnumerable<RxFrame> ReceiveAllAsync(CancellationToken cancellationToken);

    /// <summary>Transmits at <see cref="TxRequest.CounterTimeUs"/> (or now) and reports the outcome.</summary>
    Task<TxResult> TransmitAsync(TxRequest request, CancellationToken cancellationToken);
}
