using DePin.Wireless.FirmwareBridge.Devices.Sx1262;
using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.FirmwareBridge.Tests.Fakes;

namespace DePin.Wireless.FirmwareBridge.Tests.Sx1262;

/// <summary>A fake Pi with a fake SX1262 on spidev0.0 and GPIO 18 (NRESET), 20 (BUSY), 16 (DIO1).</summary>
public sealed class Sx1262Rig : IAsyncDisposable
{
    public const int ResetPin = 18, BusyPin = 20, Dio1Pin = 16;

    public Sx1262Rig(Func<Sx1262RadioOptions, Sx1262RadioOptions>? configure = null)
    {
        Kernel = new FakeLinuxKernel();
        Gpio = new FakeGpioChip(Kernel, "/dev/gpiochip0");
        Chip = new FakeSx1262(Gpio, ResetPin, BusyPin, Dio1Pin);
        Spidev = new FakeSpidev(Chip, requiredMode: 0, maxClockHz: 16_000_000); // SX1262: mode 0, up to 16 MHz
        Kernel.AddDeviceNode("/dev/spidev0.0", () => Spidev);
        var options = new Sx1262RadioOptions
        {
            ResetPin = ResetPin,
            BusyPin = BusyPin,
            Dio1Pin = Dio1Pin,
            BusyTimeout = TimeSpan.FromMilliseconds(50),
            IrqPollInterval = TimeSpan.FromMilliseconds(20),

            // The fake raises TxDone after the real airtime; test projects run in parallel on two cores, so a stall of
            // a few hundred ms must not turn a good transmission into TX timeout. Timeout tests set their own margin.
            TxTimeoutMargin = TimeSpan.FromSeconds(1),
        };
        Options = configure?.Invoke(options) ?? options;
        Radio = Sx1262Radio.Open(Kernel, Options, TimeProvider.System);
    }

    public FakeLinuxKernel Kernel { get; }
    public FakeGpioChip Gpio { get; }
    public FakeSx1262 Chip { get; }
    public FakeSpidev Spidev { get; }
    public Sx1262RadioOptions Options { get; }
    public Sx1262Radio Radio { get; }

    public static async Task<Sx1262Rig> StartedAsync(Func<Sx1262RadioOptions, Sx1262RadioOptions>? configure = null)
    {
        var rig = new Sx1262Rig(configure);
        await rig.Radio.StartAsync(CancellationToken.None);
        return rig;
    }

    /// <summary>Opcodes (with parameters as hex) the chip executed since the last <see cref="FakeSx1262.ClearLog"/>.</summary>
    public List<string> CommandLog() => Chip.Commands.Select(c => $"{c.Opcode:X2} {Convert.ToHexString(c.Parameters)}".TrimEnd()).ToList();

    public static TxRequest Downlink(byte[] payload, uint? at = null, int power = 14) =>
        new(payload, 869_525_000, new LoRaModulation(9, 125_000), LoRaCodingRate.Cr4_5, power, at);

    public async ValueTask DisposeAsync() => await Radio.DisposeAsync();
}
