namespace DePin.Wireless.HotspotHost.Configuration;

/// <summary>Radio type and wiring of a known hotspot board.</summary>
public sealed record BoardProfile(string Name, RadioKind Radio, string? SpiDevice, int? ResetPin, int? BusyPin, int? IrqPin, string Notes);

/// <summary>
/// Built-in boards. Pins match firmware-bridge/Devices/Sx1262/README.md and Sx1276/README.md: RAK2287 and SenseCAP M1
/// carry SX1302 concentrators run by lora_pkt_fwd (reset on BCM 17, Nebra hm-pyhelper hardware_definitions.py), so the
/// daemon talks GWMP to the forwarder; the generic SX1262 HAT (Waveshare layout) and the Adafruit RFM95W bonnet are
/// driven directly over SPI.
/// </summary>
public static class BoardProfiles
{
    public static IReadOnlyList<BoardProfile> All { get; } =
    [
        new("rak2287", RadioKind.Gwmp, "/dev/spidev0.0", 17, null, null, "SX1302 concentrator: run lora_pkt_fwd (reset_lgw.sh on GPIO 17) pointed at the GWMP port"),
        new("sensecap-m1", RadioKind.Gwmp, "/dev/spidev0.0", 17, null, null, "SX1302 concentrator: run lora_pkt_fwd (reset on GPIO 17) pointed at the GWMP port"),
        new("generic-sx1262", RadioKind.Sx1262, "/dev/spidev0.0", 18, 20, 16, "Waveshare-style SX1262 HAT, NSS on GPIO 21 via dtoverlay=spi0-1cs,cs0_pin=21"),
        new("rfm95-bonnet", RadioKind.Sx1276, "/dev/spidev0.1", 25, null, 22, "Adafruit LoRa Radio Bonnet (RFM95W, SX1276) on CE1"),
    ];

    public static BoardProfile? Find(string name) =>
        All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Fills unset radio fields from the board profile named in <see cref="RadioOptions.Board"/>.</summary>
    public static void Apply(RadioOptions radio, BoardProfile board, bool typeExplicit)
    {
        if (!typeExplicit)
        {
            radio.Type = board.Radio;
        }

        radio.SpiDevice ??= board.SpiDevice;
        radio.ResetPin ??= board.ResetPin;
        radio.BusyPin ??= board.BusyPin;
        radio.IrqPin ??= board.IrqPin;
    }
}
