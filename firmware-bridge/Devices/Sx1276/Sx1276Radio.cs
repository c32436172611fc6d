using DePin.Wireless.FirmwareBridge.Linux;
using DePin.Wireless.FirmwareBridge.Radio;

namespace DePin.Wireless.FirmwareBridge.Devices.Sx1276;

/// <summary>An SX1276 on spidev + GPIO v2 as an <see cref="IRadio"/> (host-timed TX, continuous RX, DIO0 interrupts).</summary>
public sealed class Sx1276Radio : IRadio
{
    private readonly HalfDuplexRadio _radio;

    public Sx1276Radio(ISpiDevice spi, IGpioLine reset, IGpioLine dio0, Sx1276RadioOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _radio = new HalfDuplexRadio(new Sx1276Chip(spi, reset, options, time), dio0, new HalfDuplexRadioOptions
        {
            IrqPollInterval = options.IrqPollInterval,
            TxTimeoutMargin = options.TxTimeoutMargin,
            Timing = options.Timing,
            ReceiveQueueCapacity = options.ReceiveQueueCapacity,
        }, time);
    }

    /// <summary>Opens the spidev node and requests NRESET (output, high) and DIO0 (input, rising edges).</summary>
    public static Sx1276Radio Open(ILinuxIoctl io, Sx1276RadioOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var opened = new List<IDisposable>();
        try
        {
            using var chip = GpioChip.Open(io, options.GpioChipPath, time);
            var spi = Track(opened, SpiDevice.Open(io, options.SpiDevicePath, options.Spi));
            var reset = Track(opened, chip.RequestOutput(options.ResetPin, initialValue: true, "sx1276-reset"));
            var dio0 = Track(opened, chip.RequestInput(options.Dio0Pin, GpioEdge.Rising, GpioBias.AsIs, "sx1276-dio0"));
            return new Sx1276Radio(spi, reset, dio0, options, time);
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

    public RadioStatistics Statistics => _radio.Statistics;

    public uint CounterNowUs => _radio.CounterNowUs;

    public string? LastError => _radio.LastError;

    public Task StartAsync(CancellationToken cancellationToken) => _radio.StartAsync(cancellationToken);

    public IAsyncEnumerable<RxFrame> ReceiveAllAsync(CancellationToken cancellationToken) => _radio.ReceiveAllAsync(cancellationToken);

    public Task<TxResult> TransmitAsync(TxRequest request, CancellationToken cancellationToken) => _radio.TransmitAsync(request, cancellationToken);

    public ValueTask DisposeAsync() => _radio.DisposeAsync();
}
