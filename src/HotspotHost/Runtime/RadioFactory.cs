using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.FirmwareBridge.Devices.Sx1262;
using DePin.Wireless.FirmwareBridge.Devices.Sx1276;
using DePin.Wireless.FirmwareBridge.Gwmp;
using DePin.Wireless.FirmwareBridge.Linux;
using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.HotspotHost.Configuration;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.HotspotHost.Runtime;

/// <summary>Builds the configured <see cref="IRadio"/> for <c>hotspot run</c>.</summary>
public static class RadioFactory
{
    public static IRadio Create(HotspotOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        var radio = options.Radio;
        switch (radio.Type)
        {
            case RadioKind.Gwmp:
                return new GwmpRadio(
                    new GwmpRadioOptions
                    {
                        Server = new GwmpServerOptions { BindAddress = radio.ListenAddress, Port = radio.Port },
                        Gateway = radio.GatewayEui is { Length: > 0 } eui ? Eui64.Parse(eui) : null,
                    },
                    time,
                    null,
                    loggers);
            case RadioKind.Sx1262:
                return WithPower(radio, () => Sx1262Radio.Open(new LibcIoctl(), Sx1262Options(options), time));
            case RadioKind.Sx1276:
                return WithPower(radio, () => Sx1276Radio.Open(new LibcIoctl(), Sx1276Options(options), time));
            default:
                throw new HotspotConfigException("Radio.Type: 'simulated' radios are handed in by the host process (the devnet), not opened by `hotspot run`");
        }
    }

    /// <summary>Drives the module's power-enable pin high before the driver resets the chip, when one is configured.</summary>
    private static IRadio WithPower(RadioOptions radio, Func<IRadio> open)
    {
        if (radio.PowerPin is not { } pin)
        {
            return open();
        }

        var chip = GpioChip.Open(new LibcIoctl(), radio.GpioChip);
        var line = chip.RequestOutput(pin, initialValue: true, "depin-hotspot power");
        try
        {
            return new PoweredRadio(open(), line, chip);
        }
        catch
        {
            line.Dispose();
            chip.Dispose();
            throw;
        }
    }

    /// <summary>A radio whose power-enable GPIO line is held for as long as the radio lives.</summary>
    internal sealed class PoweredRadio(IRadio inner, IGpioLine power, GpioChip chip) : IRadio
    {
        /// <summary>The radio driver itself (its counter is what <see cref="ConcentratorClock"/> reads).</summary>
        public IRadio Inner => inner;

        public Task StartAsync(CancellationToken cancellationToken) => inner.StartAsync(cancellationToken);

        public IAsyncEnumerable<RxFrame> ReceiveAllAsync(CancellationToken cancellationToken) => inner.ReceiveAllAsync(cancellationToken);

        public Task<TxResult> TransmitAsync(TxRequest request, CancellationToken cancellationToken) => inner.TransmitAsync(request, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            power.Write(false);
            power.Dispose();
            chip.Dispose();
        }
    }

    /// <summary>A single-channel radio listens on one channel; by default the region's first beacon channel at the beacon data rate, so it hears beacons.</summary>
    private static (long Frequency, LoRaModulation Modulation) Listening(HotspotOptions options)
    {
        var beacon = RegionPlans.Get(options.Region).PocBeacon();
        var frequency = options.Radio.ReceiveFrequencyHz ?? beacon.Channels[0].Value;
        var modulation = options.Radio.ReceiveDataRate is { } dr
            ? LoRaModulation.Parse(dr)
            : new LoRaModulation(beacon.DataRate.SpreadingFactor, beacon.DataRate.BandwidthHz);
        return (frequency, modulation);
    }

    public static Sx1262RadioOptions Sx1262Options(HotspotOptions options)
    {
        var (frequency, modulation) = Listening(options);
        var r = options.Radio;
        return new Sx1262RadioOptions
        {
            SpiDevicePath = r.SpiDevice!,
            GpioChipPath = r.GpioChip,
            ResetPin = r.ResetPin ?? -1,
            BusyPin = r.BusyPin ?? -1,
            Dio1Pin = r.IrqPin ?? -1,
            TcxoVoltageCode = r.TcxoVoltageCode is { } code ? (byte)code : null,
            ReceiveFrequencyHz = frequency,
            ReceiveModulation = modulation,
        };
    }

    public static Sx1276RadioOptions Sx1276Options(HotspotOptions options)
    {
        var (frequency, modulation) = Listening(options);
        var r = options.Radio;
        return new Sx1276RadioOptions
        {
            SpiDevicePath = r.SpiDevice!,
            GpioChipPath = r.GpioChip,
            ResetPin = r.ResetPin ?? -1,
            Dio0Pin = r.IrqPin ?? -1,
            ReceiveFrequencyHz = frequency,
            ReceiveModulation = modulation,
        };
    }
}
