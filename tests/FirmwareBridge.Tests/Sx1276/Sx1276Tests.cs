using DePin.Wireless.FirmwareBridge.Devices.Sx1276;
using DePin.Wireless.FirmwareBridge.Linux;
using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.FirmwareBridge.Tests.Fakes;

namespace DePin.Wireless.FirmwareBridge.Tests.Sx1276;

public class Sx1276EncodingTests
{
    // RegFrf = f * 2^19 / 32 MHz; 868.1 MHz -> 0xD90666 (reference/radio-hardware-and-images.md section 2).
    [Theory]
    [InlineData(868_100_000, new byte[] { 0xD9, 0x06, 0x66 })]
    [InlineData(915_000_000, new byte[] { 0xE4, 0xC0, 0x00 })]
    [InlineData(433_175_000, new byte[] { 0x6C, 0x4B, 0x33 })]
    public void Frf_matches_the_datasheet_formula(long hz, byte[] frf)
    {
        Assert.Equal(frf, Sx1276Encoding.Frf(hz));
        Assert.InRange(Sx1276Encoding.FrequencyHz(frf[0], frf[1], frf[2]), hz - 62, hz + 62); // 61 Hz step
    }

    [Fact]
    public void Modem_config_registers_encode_bandwidth_coding_rate_sf_crc_and_ldro()
    {
        Assert.Equal(0x72, Sx1276Encoding.ModemConfig1(new LoRaModulation(7, 125_000), LoRaCodingRate.Cr4_5));
        Assert.Equal(0x98, Sx1276Encoding.ModemConfig1(new LoRaModulation(7, 500_000), LoRaCodingRate.Cr4_8));
        Assert.Equal(0x74, Sx1276Encoding.ModemConfig2(new LoRaModulation(7, 125_000), crcOn: true));
        Assert.Equal(0xC0, Sx1276Encoding.ModemConfig2(new LoRaModulation(12, 125_000), crcOn: false));
        Assert.Equal(0x04, Sx1276Encoding.ModemConfig3(new LoRaModulation(7, 125_000)));
        Assert.Equal(0x0C, Sx1276Encoding.ModemConfig3(new LoRaModulation(12, 125_000)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sx1276Encoding.ModemConfig2(new LoRaModulation(6, 125_000), true));
    }

    [Fact]
    public void Power_settings_follow_the_pa_boost_and_rfo_formulas()
    {
        Assert.Equal(((byte)0xFF, (byte)0x84, (byte)0x2B), Sx1276Encoding.PowerSettings(17, paBoost: true));
        Assert.Equal(((byte)0xFC, (byte)0x84, (byte)0x2B), Sx1276Encoding.PowerSettings(14, paBoost: true));
        Assert.Equal(((byte)0xF0, (byte)0x84, (byte)0x2B), Sx1276Encoding.PowerSettings(2, paBoost: true));
        Assert.Equal(((byte)0xFF, (byte)0x87, (byte)0x31), Sx1276Encoding.PowerSettings(20, paBoost: true));
        Assert.Equal(((byte)0x7E, (byte)0x84, (byte)0x2B), Sx1276Encoding.PowerSettings(14, paBoost: false));
        Assert.Null(Sx1276Encoding.PowerSettings(1, paBoost: true));
        Assert.Null(Sx1276Encoding.PowerSettings(21, paBoost: true));
        Assert.Null(Sx1276Encoding.PowerSettings(15, paBoost: false));
    }

    [Fact]
    public void Iq_inversion_uses_invertiq_bit_0_for_tx_bit_6_for_rx_and_invertiq2()
    {
        Assert.Equal(((byte)0x27, (byte)0x1D), Sx1276Encoding.IqSettings(0x27, invertRx: false, invertTx: false));
        Assert.Equal(((byte)0x26, (byte)0x19), Sx1276Encoding.IqSettings(0x27, invertRx: false, invertTx: true));
        Assert.Equal(((byte)0x67, (byte)0x19), Sx1276Encoding.IqSettings(0x27, invertRx: true, invertTx: false));
    }

    // Datasheet 5.5.5: SNR = PktSnr/4; RSSI = -157 + 16/15*PktRssi (SNR >= 0) or -157 + PktRssi + SNR (SNR < 0); LF port -164.
    [Theory]
    [InlineData(60, 32, 868_100_000, -93.0, 8.0)]
    [InlineData(40, -26, 868_100_000, -123.5, -6.5)]
    [InlineData(60, 0, 433_175_000, -100.0, 0.0)]
    public void Packet_rssi_and_snr_follow_the_datasheet(byte pktRssi, sbyte pktSnr, long hz, double rssiDbm, double snrDb)
    {
        var snr = Sx1276Encoding.PacketSnrDb((byte)pktSnr);
        Assert.Equal(snrDb, snr);
        Assert.Equal(rssiDbm, Sx1276Encoding.PacketRssiDbm(pktRssi, snr, hz), 6);
    }
}

public sealed class Sx1276Rig : IAsyncDisposable
{
    public const int ResetPin = 25, Dio0Pin = 22;

    public Sx1276Rig(Func<Sx1276RadioOptions, Sx1276RadioOptions>? configure = null)
    {
        Kernel = new FakeLinuxKernel();
        Gpio = new FakeGpioChip(Kernel, "/dev/gpiochip0");
        Chip = new FakeSx1276(Gpio, ResetPin, Dio0Pin);
        Spidev = new FakeSpidev(Chip);
        Kernel.AddDeviceNode("/dev/spidev0.1", () => Spidev);
        var options = new Sx1276RadioOptions
        {
            SpiDevicePath = "/dev/spidev0.1",
            ResetPin = ResetPin,
            Dio0Pin = Dio0Pin,
            IrqPollInterval = TimeSpan.FromMilliseconds(20),

            // As in Sx1262Rig: a scheduling stall under parallel test load must not look like a TX timeout.
            TxTimeoutMargin = TimeSpan.FromSeconds(1),
        };
        Options = configure?.Invoke(options) ?? options;
        Radio = Sx1276Radio.Open(Kernel, Options, TimeProvider.System);
    }

    public FakeLinuxKernel Kernel { get; }
    public FakeGpioChip Gpio { get; }
    public FakeSx1276 Chip { get; }
    public FakeSpidev Spidev { get; }
    public Sx1276RadioOptions Options { get; }
    public Sx1276Radio Radio { get; }

    public static async Task<Sx1276Rig> StartedAsync(Func<Sx1276RadioOptions, Sx1276RadioOptions>? configure = null)
    {
        var rig = new Sx1276Rig(configure);
        await rig.Radio.StartAsync(CancellationToken.None);
        return rig;
    }

    /// <summary>Register accesses as "W 0x01 81" / "R 0x42".</summary>
    public List<string> AccessLog() => Chip.Accesses
        .Select(a => a.Write ? $"W {a.Address:X2} {Convert.ToHexString(a.Data)}" : $"R {a.Address:X2}").ToList();

    public static TxRequest Downlink(byte[] payload, int power = 14, uint? at = null) =>
        new(payload, 869_525_000, new LoRaModulation(9, 125_000), LoRaCodingRate.Cr4_5, power, at);

    public async ValueTask DisposeAsync() => await Radio.DisposeAsync();
}

public class Sx1276RadioTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Start_enters_lora_mode_in_sleep_and_configures_continuous_rx_register_by_register()
    {
        await using var rig = await Sx1276Rig.StartedAsync();

        Assert.Equal(1, rig.Chip.ResetCount);
        Assert.Equal(
        [
            "R 42",             // RegVersion = 0x12
            "W 01 00",          // Sleep (FSK) ...
            "W 01 80",          // ... LongRangeMode set while sleeping
            "W 01 81",          // LoRa standby
            "R 01",
            "W 39 34",          // public sync word
            "W 0E 0000",        // FifoTxBaseAddr, FifoRxBaseAddr
            "W 0C 23",          // LNA max gain + HF boost
            "W 23 FF",          // max payload length
            "W 01 81",
            "W 06 D90666",      // Frf 868.1 MHz
            "W 1D 7274",        // ModemConfig1 (BW125, 4/5, explicit), ModemConfig2 (SF7, CRC on)
            "W 26 04",          // ModemConfig3 (AGC auto)
            "W 20 0008",        // preamble 8
            "R 33",
            "W 33 27",          // IQ normal
            "W 3B 1D",
            "W 40 00",          // DIO0 = RxDone
            "W 11 8F",          // unmask RxDone, PayloadCrcError, ValidHeader
            "W 12 FF",          // clear all IRQ flags
            "W 0D 00",          // FifoAddrPtr = RX base
            "W 01 85",          // LoRa RX continuous
        ], rig.AccessLog());
        Assert.True(rig.Chip.LoRaMode);
        Assert.Equal(Sx1276OpMode.ReceiveContinuous, rig.Chip.Mode);
        Assert.Empty(rig.Chip.ProtocolViolations);
    }

    [Fact]
    public async Task Consecutive_frames_are_read_from_fifo_rx_current_addr_with_datasheet_rssi_snr()
    {
        await using var rig = await Sx1276Rig.StartedAsync();
        using var cts = new CancellationTokenSource(Patience);
        await using var frames = rig.Radio.ReceiveAllAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        byte[] first = [0x40, 0x01, 0x02, 0x03, 0x04, 0x00, 0x05, 0x00, 0x01, 0xAA, 0xBB, 0xCC, 0xDD];
        byte[] second = [0x80, 0x09, 0x08, 0x07, 0x06, 0x00, 0x06, 0x00];

        Assert.True(rig.Chip.Receive(first, 868_100_000, 7, 125_000, packetRssi: 60, packetSnrQuarterDb: 32));
        Assert.True(await frames.MoveNextAsync());
        Assert.True(await Eventually.TrueAsync(() => !rig.Gpio.Level(Sx1276Rig.Dio0Pin)));
        Assert.True(rig.Chip.Receive(second, 868_100_000, 7, 125_000, packetRssi: 40, packetSnrQuarterDb: -26));
        var firstFrame = frames.Current;
        Assert.True(await frames.MoveNextAsync());

        Assert.Equal(first, firstFrame.Payload);
        Assert.Equal(-93.0, firstFrame.RssiDbm, 6);
        Assert.Equal(8.0, firstFrame.SnrDb);
        Assert.Equal(RxCrcStatus.Ok, firstFrame.Crc);
        Assert.Equal(second, frames.Current.Payload);          // read from FifoRxCurrentAddr = 13, not from 0
        Assert.Equal(-123.5, frames.Current.RssiDbm, 6);
        Assert.Equal(-6.5, frames.Current.SnrDb);
        Assert.Equal(13, rig.Chip.Register(Sx1276Register.FifoRxCurrentAddr));
        Assert.Equal(2, rig.Radio.Statistics.RxOk);
    }

    [Fact]
    public async Task Crc_error_frame_is_dropped_and_counted_and_a_frame_without_crc_is_flagged()
    {
        await using var rig = await Sx1276Rig.StartedAsync();
        using var cts = new CancellationTokenSource(Patience);
        await using var frames = rig.Radio.ReceiveAllAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        rig.Chip.Receive([0xBA, 0xD0], 868_100_000, 7, 125_000, 30, -40, crcOk: false);
        Assert.True(await Eventually.TrueAsync(() => rig.Radio.Statistics.RxCrcErrors == 1 && !rig.Gpio.Level(Sx1276Rig.Dio0Pin)));
        rig.Chip.Receive([0x01], 868_100_000, 7, 125_000, 70, 20, crcPresent: false);

        Assert.True(await frames.MoveNextAsync());
        Assert.Equal(new byte[] { 0x01 }, frames.Current.Payload);
        Assert.Equal(RxCrcStatus.NoCrc, frames.Current.Crc);
        Assert.Equal(1, rig.Radio.Statistics.RxCrcErrors);
        Assert.Equal(1, rig.Radio.Statistics.RxOk);
    }

    [Fact]
    public async Task Frames_with_other_sync_word_or_inverted_iq_are_not_heard()
    {
        await using var rig = await Sx1276Rig.StartedAsync();
        Assert.False(rig.Chip.Receive([1], 868_100_000, 7, 125_000, 60, 20, syncWord: 0x12));
        Assert.False(rig.Chip.Receive([1], 868_100_000, 7, 125_000, 60, 20, invertIq: true));
        Assert.False(rig.Chip.Receive([1], 868_100_000, 8, 125_000, 60, 20));
    }

    [Fact]
    public async Task Transmit_loads_the_fifo_sends_with_inverted_iq_and_returns_to_rx()
    {
        await using var rig = await Sx1276Rig.StartedAsync();
        rig.Chip.ClearLog();
        byte[] payload = [0x20, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x01];

        var result = await rig.Radio.TransmitAsync(Sx1276Rig.Downlink(payload), CancellationToken.None);

        Assert.Equal(TxResult.Ok, result);
        var sent = Assert.Single(rig.Chip.Transmitted);
        Assert.Equal(payload, sent.Payload);
        Assert.InRange(sent.FrequencyHz, 869_524_950, 869_525_050);
        Assert.Equal((9, 125_000, 1, true, false, 14, 0x34, 8),
            (sent.SpreadingFactor, sent.BandwidthHz, sent.CodingRateCode, sent.InvertIq, sent.CrcOn, sent.PowerDbm, sent.SyncWord, sent.PreambleLength));
        var log = rig.AccessLog();
        Assert.Contains("W 00 " + Convert.ToHexString(payload), log);   // burst FIFO write
        Assert.Contains("W 40 40", log);                                 // DIO0 = TxDone
        Assert.Contains("W 01 83", log);                                 // LoRa TX
        Assert.True(log.IndexOf("W 0D 00") < log.IndexOf("W 00 " + Convert.ToHexString(payload)));
        Assert.True(await Eventually.TrueAsync(() => rig.Chip.Mode == Sx1276OpMode.ReceiveContinuous));
        Assert.Empty(rig.Chip.ProtocolViolations);
    }

    [Fact]
    public async Task Twenty_dbm_uses_the_high_power_pa_dac_setting()
    {
        await using var rig = await Sx1276Rig.StartedAsync();
        Assert.True((await rig.Radio.TransmitAsync(Sx1276Rig.Downlink([1, 2, 3], power: 20), CancellationToken.None)).IsOk);
        Assert.Equal(20, rig.Chip.Transmitted.Single().PowerDbm);
        Assert.Equal(0x87, rig.Chip.Register(Sx1276Register.PaDac));
    }

    [Fact]
    public async Task Missing_tx_done_times_out_on_the_host_and_rx_resumes()
    {
        await using var rig = await Sx1276Rig.StartedAsync(o => o with { TxTimeoutMargin = TimeSpan.FromMilliseconds(30) });
        rig.Chip.TxBehaviour = FakeTxBehaviour.NeverComplete;

        var result = await rig.Radio.TransmitAsync(Sx1276Rig.Downlink([7]), CancellationToken.None);

        Assert.Equal(TxStatus.Timeout, result.Status);
        Assert.Equal(1, rig.Radio.Statistics.TxTimeouts);
        Assert.Equal(Sx1276OpMode.ReceiveContinuous, rig.Chip.Mode);
    }

    [Fact]
    public async Task Requests_the_chip_cannot_serve_are_refused()
    {
        await using var rig = await Sx1276Rig.StartedAsync();
        Assert.Equal(TxStatus.PowerError, (await rig.Radio.TransmitAsync(Sx1276Rig.Downlink([1], power: 25), CancellationToken.None)).Status);
        Assert.Equal(TxStatus.RadioError, (await rig.Radio.TransmitAsync(Sx1276Rig.Downlink([1]) with { Modulation = new LoRaModulation(6, 125_000) }, CancellationToken.None)).Status);
        Assert.Equal(TxStatus.TooLate, (await rig.Radio.TransmitAsync(Sx1276Rig.Downlink([1], at: unchecked(rig.Radio.CounterNowUs - 10)), CancellationToken.None)).Status);
        Assert.Empty(rig.Chip.Transmitted);
    }

    [Fact]
    public async Task An_absent_chip_is_reported_by_its_version_register()
    {
        var rig = new Sx1276Rig();
        await using var _ = rig;
        rig.Chip.Absent = true;
        var ex = await Assert.ThrowsAsync<RadioHardwareException>(() => rig.Radio.StartAsync(CancellationToken.None));
        Assert.Contains("RegVersion reads 0x00, expected 0x12", ex.Message);
    }

    [Fact]
    public void Open_requests_reset_and_dio0_with_edges()
    {
        var rig = new Sx1276Rig();
        Assert.Equal("sx1276-dio0", rig.Gpio.ConsumerOf(Sx1276Rig.Dio0Pin));
        Assert.Equal(GpioV2LineFlags.Input | GpioV2LineFlags.EdgeRising, rig.Gpio.FlagsOf(Sx1276Rig.Dio0Pin));
        Assert.Equal(GpioV2LineFlags.Output, rig.Gpio.FlagsOf(Sx1276Rig.ResetPin));
    }

    [Fact]
    public void Options_are_validated_with_the_field_named()
    {
        Assert.Equal("Dio0Pin", Assert.Throws<ArgumentException>(() => new Sx1276RadioOptions { ResetPin = 25 }.Validate()).ParamName);
        Assert.Equal("ReceiveModulation", Assert.Throws<ArgumentException>(() =>
            new Sx1276RadioOptions { ResetPin = 25, Dio0Pin = 22, ReceiveModulation = new LoRaModulation(6, 125_000) }.Validate()).ParamName);
    }
}
