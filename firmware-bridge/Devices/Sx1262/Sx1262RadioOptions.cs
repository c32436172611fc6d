using DePin.Wireless.FirmwareBridge.Linux;
using DePin.Wireless.FirmwareBridge.Radio;

namespace DePin.Wireless.FirmwareBridge.Devices.Sx1262;

/// <summary>Wiring and radio settings for an SX1262 on a Raspberry Pi SPI bus. See README.md for pin maps.</summary>
public sealed record Sx1262RadioOptions
{
    /// <summary>spidev node; "/dev/spidev0.0" is SPI0 with CE0 as NSS (dtparam=spi=on).</summary>
    public string SpiDevicePath { get; init; } = "/dev/spidev0.0";

    public SpiSettings Spi { get; init; } = new();

    /// <summary>GPIO chip of the 40-pin header ("/dev/gpiochip0" on Pi 3/4, where offsets are BCM numbers).</summary>
    public string GpioChipPath { get; init; } = "/dev/gpiochip0";

    /// <summary>BCM GPIO wired to NRESET (output, active low).</summary>
    public int ResetPin { get; init; } = -1;

    /// <summary>BCM GPIO wired to BUSY (input).</summary>
    public int BusyPin { get; init; } = -1;

    /// <summary>BCM GPIO wired to DIO1, the IRQ output (input, rising edge).</summary>
    public int Dio1Pin { get; init; } = -1;

    public long ReceiveFrequencyHz { get; init; } = 868_100_000;

    public LoRaModulation ReceiveModulation { get; init; } = new(7, 125_000);

    public LoRaCodingRate ReceiveCodingRate { get; init; } = LoRaCodingRate.Cr4_5;

    public int PreambleLength { get; init; } = 8;

    /// <summary>
    /// Null (default): continuous receive (SetRx 0xFFFFFF), the gateway case. Otherwise single receive with this
    /// timeout; the driver re-arms after every RxDone or Timeout.
    /// </summary>
    public TimeSpan? SingleReceiveTimeout { get; init; }

    /// <summary>True: LoRaWAN public sync word 0x3444; false: private 0x1424.</summary>
    public bool PublicNetwork { get; init; } = true;

    /// <summary>Most SX1262 modules switch their RF switch with DIO2 (SetDIO2AsRfSwitchCtrl).</summary>
    public bool UseDio2AsRfSwitch { get; init; } = true;

    /// <summary>SetDIO3AsTcxoCtrl voltage code (0x00 = 1.6 V … 0x07 = 3.3 V) for modules with a TCXO; null for a crystal.</summary>
    public byte? TcxoVoltageCode { get; init; }

    /// <summary>DC-DC regulator (SetRegulatorMode 1) when the module has the inductor; LDO otherwise.</summary>
    public bool UseDcDcRegulator { get; init; } = true;

    /// <summary>How long BUSY may stay high before a command (datasheet: ≤ 3.5 ms after calibration).</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>NRESET low time; the datasheet asks for at least 100 µs (section 8.1).</summary>
    public TimeSpan ResetPulse { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Added to the computed time on air for the chip's TX timeout and the host's wait for TxDone.</summary>
    public TimeSpan TxTimeoutMargin { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the IRQ loop wakes up to notice cancellation while waiting for DIO1.</summary>
    public TimeSpan IrqPollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public TransmitTimingOptions Timing { get; init; } = new();

    /// <summary>Received frames buffered for a slow consumer; the oldest is dropped beyond this.</summary>
    public int ReceiveQueueCapacity { get; init; } = 256;

    public void Validate()
    {
        RequirePin(ResetPin, nameof(ResetPin));
        RequirePin(BusyPin, nameof(BusyPin));
        RequirePin(Dio1Pin, nameof(Dio1Pin));
        if (ReceiveFrequencyHz is < Sx1262Encoding.MinFrequencyHz or > Sx1262Encoding.MaxFrequencyHz)
            throw new ArgumentException($"{nameof(ReceiveFrequencyHz)} {ReceiveFrequencyHz} is outside the SX1262 range 150-960 MHz", nameof(ReceiveFrequencyHz));
        if (PreambleLength is < 1 or > ushort.MaxValue)
            throw new ArgumentException($"{nameof(PreambleLength)} must be 1..65535 symbols", nameof(PreambleLength));
        if (SingleReceiveTimeout is { } single && (single <= TimeSpan.Zero || single >= TimeSpan.FromSeconds(262)))
            throw new ArgumentException($"{nameof(SingleReceiveTimeout)} must be between 0 and 262 s", nameof(SingleReceiveTimeout));
        if (TcxoVoltageCode is > 0x07)
            throw new ArgumentException($"{nameof(TcxoVoltageCode)} must be 0x00..0x07", nameof(TcxoVoltageCode));
        if (BusyTimeout <= TimeSpan.Zero || IrqPollInterval <= TimeSpan.Zero || ResetPulse <= TimeSpan.Zero)
            throw new ArgumentException($"{nameof(BusyTimeout)}, {nameof(IrqPollInterval)} and {nameof(ResetPulse)} must be positive");
        if (ReceiveQueueCapacity < 1)
            throw new ArgumentException($"{nameof(ReceiveQueueCapacity)} must be at least 1", nameof(ReceiveQueueCapacity));
    }

    private static void RequirePin(int pin, string name)
    {
        if (pin < 0)
            throw new ArgumentException($"{name} is not set (BCM GPIO number of the module pin)", name);
    }
}
