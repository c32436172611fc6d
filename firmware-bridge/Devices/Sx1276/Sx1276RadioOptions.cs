using DePin.Wireless.FirmwareBridge.Linux;
using DePin.Wireless.FirmwareBridge.Radio;

namespace DePin.Wireless.FirmwareBridge.Devices.Sx1276;

/// <summary>Wiring and radio settings for an SX1276 (RFM95W and similar) on a Raspberry Pi. See README.md.</summary>
public sealed record Sx1276RadioOptions
{
    /// <summary>spidev node; "/dev/spidev0.1" when NSS is wired to CE1 (Adafruit RFM9x bonnet).</summary>
    public string SpiDevicePath { get; init; } = "/dev/spidev0.0";

    /// <summary>The SX1276 accepts up to 10 MHz; 2 MHz leaves margin for hat wiring.</summary>
    public SpiSettings Spi { get; init; } = new();

    public string GpioChipPath { get; init; } = "/dev/gpiochip0";

    /// <summary>BCM GPIO wired to NRESET.</summary>
    public int ResetPin { get; init; } = -1;

    /// <summary>BCM GPIO wired to DIO0 (RxDone / TxDone).</summary>
    public int Dio0Pin { get; init; } = -1;

    public long ReceiveFrequencyHz { get; init; } = 868_100_000;

    public LoRaModulation ReceiveModulation { get; init; } = new(7, 125_000);

    public LoRaCodingRate ReceiveCodingRate { get; init; } = LoRaCodingRate.Cr4_5;

    public int PreambleLength { get; init; } = 8;

    /// <summary>True: LoRaWAN public sync word 0x34; false: private 0x12.</summary>
    public bool PublicNetwork { get; init; } = true;

    /// <summary>Most modules (RFM95W, HopeRF, Dragino) route the antenna from PA_BOOST; false selects the RFO pin.</summary>
    public bool UsePaBoost { get; init; } = true;

    /// <summary>NRESET low time (datasheet 7.2.2: more than 100 µs).</summary>
    public TimeSpan ResetPulse { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Wait after releasing NRESET before the first access (datasheet 7.2.2: 5 ms).</summary>
    public TimeSpan ResetSettle { get; init; } = TimeSpan.FromMilliseconds(5);

    public TimeSpan TxTimeoutMargin { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan IrqPollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public TransmitTimingOptions Timing { get; init; } = new();

    public int ReceiveQueueCapacity { get; init; } = 256;

    public void Validate()
    {
        if (ResetPin < 0)
            throw new ArgumentException($"{nameof(ResetPin)} is not set (BCM GPIO number wired to NRESET)", nameof(ResetPin));
        if (Dio0Pin < 0)
            throw new ArgumentException($"{nameof(Dio0Pin)} is not set (BCM GPIO number wired to DIO0)", nameof(Dio0Pin));
        if (ReceiveFrequencyHz is < Sx1276Encoding.MinFrequencyHz or > Sx1276Encoding.MaxFrequencyHz)
            throw new ArgumentException($"{nameof(ReceiveFrequencyHz)} {ReceiveFrequencyHz} is outside the SX1276 range 137-1020 MHz", nameof(ReceiveFrequencyHz));
        if (ReceiveModulation.SpreadingFactor < 7)
            throw new ArgumentException($"{nameof(ReceiveModulation)} SF{ReceiveModulation.SpreadingFactor}: the SX1276 driver supports SF7..SF12", nameof(ReceiveModulation));
        if (PreambleLength is < 6 or > ushort.MaxValue)
            throw new ArgumentException($"{nameof(PreambleLength)} must be 6..65535 symbols", nameof(PreambleLength));
        if (IrqPollInterval <= TimeSpan.Zero || ResetPulse <= TimeSpan.Zero || ResetSettle < TimeSpan.Zero)
            throw new ArgumentException($"{nameof(IrqPollInterval)} and {nameof(ResetPulse)} must be positive");
        if (ReceiveQueueCapacity < 1)
            throw new ArgumentException($"{nameof(ReceiveQueueCapacity)} must be at least 1", nameof(ReceiveQueueCapacity));
    }
}
