using DePin.Wireless.FirmwareBridge.Devices.Sx1262;
using DePin.Wireless.FirmwareBridge.Radio;

namespace DePin.Wireless.FirmwareBridge.Tests.Sx1262;

public class Sx1262EncodingTests
{
    // Frequency steps from reference/radio-hardware-and-images.md section 2 (f * 2^25 / 32 MHz).
    [Theory]
    [InlineData(868_100_000, 0x3641999Au)]
    [InlineData(915_000_000, 0x39300000u)]
    [InlineData(904_300_000, 0x3884CCCDu)]
    public void Frequency_steps_match_the_datasheet_formula(long hz, uint steps) =>
        Assert.Equal(steps, Sx1262Encoding.FrequencySteps(hz));

    [Fact]
    public void Frequencies_outside_150_to_960_MHz_are_refused_by_name()
    {
        Assert.Equal("frequencyHz", Assert.Throws<ArgumentOutOfRangeException>(() => Sx1262Encoding.FrequencySteps(2_400_000_000)).ParamName);
    }

    [Fact]
    public void Modulation_params_encode_sf_bandwidth_code_coding_rate_and_ldro()
    {
        Assert.Equal(new byte[] { 0x07, 0x04, 0x01, 0x00 }, Sx1262Encoding.ModulationParams(new LoRaModulation(7, 125_000), LoRaCodingRate.Cr4_5));
        Assert.Equal(new byte[] { 0x0C, 0x04, 0x04, 0x01 }, Sx1262Encoding.ModulationParams(new LoRaModulation(12, 125_000), LoRaCodingRate.Cr4_8));
        Assert.Equal(new byte[] { 0x0B, 0x06, 0x01, 0x00 }, Sx1262Encoding.ModulationParams(new LoRaModulation(11, 500_000), LoRaCodingRate.Cr4_5));
    }

    [Fact]
    public void Packet_params_match_the_reference_tx_sequence()
    {
        Assert.Equal(new byte[] { 0x00, 0x08, 0x00, 0x0D, 0x01, 0x00 }, Sx1262Encoding.PacketParams(8, 13, crcOn: true, invertIq: false));
        Assert.Equal(new byte[] { 0x00, 0x08, 0x00, 0x21, 0x00, 0x01 }, Sx1262Encoding.PacketParams(8, 33, crcOn: false, invertIq: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sx1262Encoding.PacketParams(8, 256, true, false));
    }

    [Fact]
    public void Timeouts_count_15_625_microsecond_rtc_steps()
    {
        Assert.Equal(new byte[] { 0x00, 0xFA, 0x00 }, Sx1262Encoding.Timeout(TimeSpan.FromSeconds(1)));   // 64000 steps
        Assert.Equal(new byte[] { 0x00, 0x00, 0x40 }, Sx1262Encoding.Timeout(TimeSpan.FromMilliseconds(1))); // 64 steps
    }

    [Fact]
    public void Tx_power_is_int8_dbm_within_the_high_power_pa_range()
    {
        Assert.Equal(new byte[] { 0x16, 0x04 }, Sx1262Encoding.TxParams(22));
        Assert.Equal(new byte[] { 0xF7, 0x04 }, Sx1262Encoding.TxParams(-9));
        Assert.Equal("powerDbm", Assert.Throws<ArgumentOutOfRangeException>(() => Sx1262Encoding.TxParams(23)).ParamName);
    }

    [Theory]
    [InlineData(868_100_000, 0xD7, 0xDB)]
    [InlineData(915_000_000, 0xE1, 0xE9)]
    [InlineData(433_175_000, 0x6B, 0x6F)]
    public void Image_calibration_uses_the_datasheet_band_table(long hz, byte low, byte high) =>
        Assert.Equal((low, high), Sx1262Encoding.ImageCalibrationBand(hz));

    // Datasheet 13.5.3: RssiPkt = -RssiPkt/2, SnrPkt = SnrPkt/4 (two's complement), SignalRssiPkt = -raw/2.
    [Theory]
    [InlineData(0x80, 0x28, 0x80, -64.0, 10.0, -64.0)]
    [InlineData(0xF1, 0xF6, 0xE8, -120.5, -2.5, -116.0)]
    [InlineData(0x00, 0x00, 0x00, 0.0, 0.0, 0.0)]
    public void Packet_status_converts_per_datasheet(byte rssi, byte snr, byte signal, double rssiDbm, double snrDb, double signalDbm) =>
        Assert.Equal(new Sx1262PacketStatus(rssiDbm, snrDb, signalDbm), Sx1262PacketStatus.Decode(rssi, snr, signal));

    [Fact]
    public void Status_byte_splits_into_chip_mode_and_command_status()
    {
        var status = new Sx1262Status(0x6C); // 0b0110_1100: mode 6 (TX), status 6 (TX done)
        Assert.Equal(Sx1262ChipMode.Transmit, status.ChipMode);
        Assert.Equal(Sx1262CommandStatus.TxDone, status.CommandStatus);
        Assert.Equal(0x6C, Sx1262Status.Encode(Sx1262ChipMode.Transmit, Sx1262CommandStatus.TxDone));
    }

    [Fact]
    public void Iq_polarity_workaround_clears_bit_2_only_for_inverted_iq()
    {
        Assert.Equal(0x09, Sx1262Encoding.IqPolarityRegister(0x0D, invertIq: true));
        Assert.Equal(0x0D, Sx1262Encoding.IqPolarityRegister(0x09, invertIq: false));
    }
}
