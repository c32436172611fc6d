using DePin.Wireless.FirmwareBridge.Linux;
using DePin.Wireless.FirmwareBridge.Radio;

namespace DePin.Wireless.FirmwareBridge.Devices.Sx1262;

/// <summary>An SX1262 on spidev + GPIO v2 as an <see cref="IRadio"/> (host-timed TX, continuous RX, DIO1 interrupts).</summary>
public sealed class Sx1262Radio : IRadio
{
    private readonly HalfDuplexRadio _radio;

    public Sx1262Radio(ISpiDevice spi, IGpioLine reset, IGpioLine busy, IGpioLine dio1, Sx1262RadioOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Chip = new Sx1262Chip(spi, reset, busy, options, time);
        _radio = new HalfDuplexRadio(Chip, dio1, new HalfDuplexRadioOptions
        {
            IrqPollInterval = options.IrqPollInterval,
            TxTimeoutMargin = options.TxTimeoutMargin,
            Timing = options.Timing,
            ReceiveQueueCapacity = options.ReceiveQueueCapacity,
        }, time);
    }

    /// <summary>Opens the spidev node and requests RESET (output, high), BUSY (input) and DIO1 (input, rising edges).</summary>
    public static Sx1262Radio Open(ILinuxIoctl io, Sx1262RadioOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var opened = new List<IDisposable>();
        try
        {
            using var chip = GpioChip.Open(io, options.GpioChipPath, time);
            var spi = Track(opened, SpiDevice.Open(io, options.SpiDevicePath, options.Spi));
            var reset = Track(opened, chip.RequestOutput(options.ResetPin, initialValue: true, "sx1262-reset"));
            var busy = Track(opened, chip.RequestInput(options.BusyPin, GpioEdge.None, GpioBias.AsIs, "sx1262-busy"));
            var dio1 = Track(opened, chip.RequestInput(options.Dio1Pin, GpioEdge.Rising, GpioBias.AsIs, "sx1262-dio1"));
            return new Sx1262Radio(spi, reset, busy, dio1, options, time);
        }
        catch
        {
            opened.ForEach(handle => handle.Dispose()); // no half-opened device or requested line left behind
            throw;
        }
    }

    private static T Track<T>(List<IDisposable> opened, T handle) where T : IDisposable
    {
        opened.Add(handle);
        return handle;
    }

    public Sx1262Chip Chip { get; }

    public RadioStatistics Statistics => _radio.Statistics;

    /// <summary>The µs counter RX timestamps and TX start times refer to.</summary>
    public uint CounterNowUs => _radio.CounterNowUs;

    public string? LastError => _radio.LastError;

    public Task StartAsync(CancellationToken cancellationToken) => _radio.StartAsync(cancellationToken);

    public IAsyncEnumerable<RxFrame> ReceiveAllAsync(CancellationToken cancellationToken) => _radio.ReceiveAllAsync(cancellationToken);

    public Task<TxResult> TransmitAsync(TxRequest request, CancellationToken cancellationToken) => _radio.TransmitAsync(request, cancellationToken);

    public ValueTask DisposeAsync() => _radio.DisposeAsync();
}
