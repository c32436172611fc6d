using System.Diagnostics;
using DePin.Wireless.FirmwareBridge.Devices.Sx1262;
using DePin.Wireless.FirmwareBridge.Linux;
using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.FirmwareBridge.Tests.Fakes;

namespace DePin.Wireless.FirmwareBridge.Tests.Sx1262;

public class Sx1262RadioTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Start_resets_the_chip_and_runs_the_datasheet_setup_then_continuous_rx()
    {
        await using var rig = await Sx1262Rig.StartedAsync();

        Assert.Equal(1, rig.Chip.ResetCount);
        Assert.Equal(
        [
            "80 00",            // SetStandby(STDBY_RC)
            "8A 01",            // SetPacketType(LoRa)
            "11 0000",          // GetPacketType: the chip answers
            "07 0000",          // ClearDeviceErrors
            "96 01",            // SetRegulatorMode(DC-DC)
            "89 7F",            // Calibrate(all blocks)
            "98 D7DB",          // CalibrateImage(863-870 MHz)
            "17 000000",        // GetDeviceErrors: none
            "9D 01",            // SetDIO2AsRfSwitchCtrl
            "8F 0000",          // SetBufferBaseAddress(tx 0, rx 0)
            "95 04070001",      // SetPaConfig(+22 dBm table)
            "0D 07403444",      // WriteRegister(sync word 0x3444, public)
            "80 00",
            "86 3641999A",      // SetRfFrequency(868.1 MHz)
            "8B 07040100",      // SetModulationParams(SF7, 125 kHz, 4/5, LDRO off)
            "8C 000800FF0100",  // SetPacketParams(preamble 8, explicit, 255, CRC on, IQ standard)
            "1D 07360000",      // ReadRegister(0x0736): address, status NOP, one data NOP
            "0D 07360D",        // WriteRegister(0x0736, bit 2 set for standard IQ)
            "08 0262026200000000", // SetDioIrqParams(RxDone|HeaderErr|CrcErr|Timeout on DIO1)
            "02 03FF",          // ClearIrqStatus(all)
            "82 FFFFFF",        // SetRx(continuous)
        ], rig.CommandLog());
        Assert.Equal(Sx1262ChipMode.Receive, rig.Chip.Mode);
        Assert.Empty(rig.Chip.ProtocolViolations);
        Assert.Equal(new byte[] { 0x86, 0x36, 0x41, 0x99, 0x9A }, rig.Spidev.Frames.First(f => f.Mosi[0] == 0x86).Mosi);
    }

    [Fact]
    public async Task Received_frame_comes_out_with_payload_and_datasheet_rssi_snr()
    {
        await using var rig = await Sx1262Rig.StartedAsync();
        using var cts = new CancellationTokenSource(Patience);
        await using var frames = rig.Radio.ReceiveAllAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        rig.Chip.ClearLog();
        var before = rig.Radio.CounterNowUs;
        byte[] payload = [0x40, 0x11, 0x22, 0x33, 0x44, 0x80, 0x01, 0x00, 0x01, 0xA1, 0xB2, 0xC3, 0xD4];

        Assert.True(rig.Chip.Receive(payload, 868_100_000, 7, 0x04, rssiDbm: -97.5, snrDb: 7.25));
        Assert.True(await frames.MoveNextAsync());

        var frame = frames.Current;
        Assert.Equal(payload, frame.Payload);
        Assert.Equal(-97.5, frame.RssiDbm);
        Assert.Equal(7.25, frame.SnrDb);
        Assert.Equal(868_100_000, frame.FrequencyHz);
        Assert.Equal(new LoRaModulation(7, 125_000), frame.Modulation);
        Assert.Equal(RxCrcStatus.Ok, frame.Crc);
        Assert.InRange(RadioCounterClock.Difference(frame.CounterTimestampUs, before), 0, 5_000_000);
        // GetIrqStatus; ClearIrqStatus(exactly the bits read: PreambleDetected|SyncWordValid|HeaderValid|RxDone);
        // GetRxBufferStatus; ReadBuffer(start 0, status NOP, 13 data NOPs); GetPacketStatus.
        Assert.Equal(["12 000000", "02 001E", "13 000000", "1E " + new string('0', 30), "14 00000000"], rig.CommandLog().Take(5));
        Assert.Equal(1, rig.Radio.Statistics.RxOk);
        Assert.True(await Eventually.TrueAsync(() => !rig.Gpio.Level(Sx1262Rig.Dio1Pin)));
    }

    [Fact]
    public async Task Crc_error_frame_is_dropped_and_counted_and_the_next_frame_still_arrives()
    {
        await using var rig = await Sx1262Rig.StartedAsync();
        using var cts = new CancellationTokenSource(Patience);
        await using var frames = rig.Radio.ReceiveAllAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        rig.Chip.Receive([0xDE, 0xAD], 868_100_000, 7, 0x04, -110, -3, crcOk: false);
        Assert.True(await Eventually.TrueAsync(() => rig.Radio.Statistics.RxCrcErrors == 1 && rig.Chip.IrqStatus == 0));
        rig.Chip.Receive([0x01, 0x02, 0x03], 868_100_000, 7, 0x04, -80, 9);

        Assert.True(await frames.MoveNextAsync());
        Assert.Equal(new byte[] { 1, 2, 3 }, frames.Current.Payload);
        Assert.Equal(new RadioStatistics(RxOk: 1, RxCrcErrors: 1, 0, 0, 0, 0, 0), rig.Radio.Statistics);
    }

    [Fact]
    public async Task Header_error_is_counted_without_a_frame()
    {
        await using var rig = await Sx1262Rig.StartedAsync();
        rig.Chip.ReceiveCorruptHeader();
        Assert.True(await Eventually.TrueAsync(() => rig.Radio.Statistics.RxHeaderErrors == 1 && rig.Chip.IrqStatus == 0));
        Assert.Equal(0, rig.Radio.Statistics.RxOk);
    }

    [Fact]
    public async Task Frames_on_another_channel_or_spreading_factor_are_not_heard()
    {
        await using var rig = await Sx1262Rig.StartedAsync();
        Assert.False(rig.Chip.Receive([1], 868_300_000, 7, 0x04, -80, 5));
        Assert.False(rig.Chip.Receive([1], 868_100_000, 9, 0x04, -80, 5));
        Assert.False(rig.Chip.Receive([1], 868_100_000, 7, 0x04, -80, 5, syncWord: 0x1424));
    }

    [Fact]
    public async Task Single_receive_mode_re_arms_after_each_frame_and_after_a_timeout()
    {
        await using var rig = await Sx1262Rig.StartedAsync(o => o with { SingleReceiveTimeout = TimeSpan.FromSeconds(1) });
        using var cts = new CancellationTokenSource(Patience);
        await using var frames = rig.Radio.ReceiveAllAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.False(rig.Chip.ContinuousReceive);
        Assert.Contains("82 00FA00", rig.CommandLog());                 // SetRx(64000 steps = 1 s)

        Assert.True(rig.Chip.Receive([0x11], 868_100_000, 7, 0x04, -90, 5));
        Assert.True(await frames.MoveNextAsync());
        Assert.True(await Eventually.TrueAsync(() => rig.Chip.Mode == Sx1262ChipMode.Receive));
        Assert.True(rig.Chip.ExpireRxTimeout());
        Assert.True(await Eventually.TrueAsync(() => rig.Chip.Mode == Sx1262ChipMode.Receive && rig.Chip.IrqStatus == 0));
        Assert.True(rig.Chip.Receive([0x22], 868_100_000, 7, 0x04, -90, 5)); // heard: the driver re-armed twice
        Assert.True(await frames.MoveNextAsync());
        Assert.Equal(new byte[] { 0x22 }, frames.Current.Payload);
    }

    [Fact]
    public async Task Immediate_transmit_sends_the_frame_as_configured_and_returns_to_rx()
    {
        await using var rig = await Sx1262Rig.StartedAsync();
        rig.Chip.ClearLog();
        byte[] payload = [0x60, 0x04, 0x03, 0x02, 0x01, 0x00, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44];

        var result = await rig.Radio.TransmitAsync(Sx1262Rig.Downlink(payload), CancellationToken.None);

        Assert.Equal(TxResult.Ok, result);
        var sent = Assert.Single(rig.Chip.Transmitted);
        Assert.Equal(payload, sent.Payload);
        Assert.Equal(869_525_000, sent.FrequencyHz, 1.0);
        Assert.Equal((9, 125_000, 1), (sent.SpreadingFactor, sent.BandwidthHz, sent.CodingRateCode));
        Assert.True(sent.InvertIq);
        Assert.False(sent.CrcOn);
        Assert.Equal(14, sent.PowerDbm);
        Assert.Equal(0x3444, sent.SyncWord);
        Assert.Equal(8, sent.PreambleLength);

        var log = rig.CommandLog();
        Assert.Equal(["80 00", "86 36586666", "8B 09040100", "8E 0E04", "8C 0008000C0001"], log.Take(5));
        Assert.Contains("0D 073609", log);                                     // IQ workaround for inverted IQ
        Assert.Contains("0E 00" + Convert.ToHexString(payload), log);          // WriteBuffer at TX base 0
        Assert.Contains("08 0201020100000000", log);                            // TxDone|Timeout on DIO1
        var airtime = LoRaAirtime.Of(payload.Length, new LoRaModulation(9, 125_000), LoRaCodingRate.Cr4_5, 8, false);
        Assert.Contains("83 " + Convert.ToHexString(Sx1262Encoding.Timeout(airtime + rig.Options.TxTimeoutMargin)), log);
        Assert.True(await Eventually.TrueAsync(() => rig.Chip.Mode == Sx1262ChipMode.Receive));
        Assert.Equal(1, rig.Radio.Statistics.TxOk);
        Assert.Empty(rig.Chip.ProtocolViolations);
    }

    [Fact]
    public async Task Timed_transmit_starts_at_the_requested_counter_time_not_before()
    {
        // Test projects run in parallel on 2 cores: allow a late start of up to 1 s so scheduling noise does not turn
        // into TOO_LATE. What this test pins down is the lower bound: never before the requested time.
        await using var rig = await Sx1262Rig.StartedAsync(o => o with { Timing = new TransmitTimingOptions { LateTolerance = TimeSpan.FromSeconds(1) } });
        var requested = Stopwatch.GetTimestamp();
        var target = unchecked(rig.Radio.CounterNowUs + 80_000);

        var result = await rig.Radio.TransmitAsync(Sx1262Rig.Downlink([1, 2, 3], at: target), CancellationToken.None);

        Assert.Equal(TxStatus.Ok, result.Status);
        var startedAfter = Stopwatch.GetElapsedTime(requested, Assert.Single(rig.Chip.Transmitted).TimestampTicks);
        Assert.InRange(startedAfter.TotalMilliseconds, 79.0, 1500.0);
    }

    [Fact]
    public async Task Concurrent_transmissions_are_serialised_and_neither_overwrites_the_other()
    {
        await using var rig = await Sx1262Rig.StartedAsync();
        var first = rig.Radio.TransmitAsync(Sx1262Rig.Downlink([0xA1, 0xA2, 0xA3]), CancellationToken.None);
        var second = rig.Radio.TransmitAsync(Sx1262Rig.Downlink([0xB1]), CancellationToken.None);

        Assert.All(await Task.WhenAll(first, second), r => Assert.Equal(TxStatus.Ok, r.Status));
        Assert.Equal([new byte[] { 0xA1, 0xA2, 0xA3 }, new byte[] { 0xB1 }], rig.Chip.Transmitted.Select(f => f.Payload).OrderBy(p => p.Length).Reverse());
        Assert.Empty(rig.Chip.ProtocolViolations);
    }

    [Fact]
    public async Task Cancelling_a_scheduled_transmit_sends_nothing_and_keeps_receiving()
    {
        await using var rig = await Sx1262Rig.StartedAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var target = unchecked(rig.Radio.CounterNowUs + 2_000_000);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rig.Radio.TransmitAsync(Sx1262Rig.Downlink([1], at: target), cts.Token));

        Assert.Empty(rig.Chip.Transmitted);
        Assert.Equal(Sx1262ChipMode.Receive, rig.Chip.Mode);
        Assert.True((await rig.Radio.TransmitAsync(Sx1262Rig.Downlink([2]), CancellationToken.None)).IsOk);
    }

    [Fact]
    public async Task Start_times_already_past_or_too_far_ahead_are_refused_without_transmitting()
    {
        await using var rig = await Sx1262Rig.StartedAsync();
        var now = rig.Radio.CounterNowUs;

        Assert.Equal(TxStatus.TooLate, (await rig.Radio.TransmitAsync(Sx1262Rig.Downlink([1], at: unchecked(now - 1_000)), CancellationToken.None)).Status);
        Assert.Equal(TxStatus.TooEarly, (await rig.Radio.TransmitAsync(Sx1262Rig.Downlink([1], at: unchecked(now + 60_000_000)), CancellationToken.None)).Status);
        Assert.Empty(rig.Chip.Transmitted);
        Assert.Equal(2, rig.Radio.Statistics.TxRejected);
    }

    [Fact]
    public async Task Power_and_frequency_the_chip_cannot_do_are_reported_as_tx_errors()
    {
        await using var rig = await Sx1262Rig.StartedAsync();
        var tooStrong = await rig.Radio.TransmitAsync(Sx1262Rig.Downlink([1], power: 27), CancellationToken.None);
        var wrongBand = await rig.Radio.TransmitAsync(Sx1262Rig.Downlink([1]) with { FrequencyHz = 2_400_000_000 }, CancellationToken.None);

        Assert.Equal(TxStatus.PowerError, tooStrong.Status);
        Assert.Contains("27 dBm", tooStrong.Detail);
        Assert.Equal(TxStatus.FrequencyError, wrongBand.Status);
        Assert.Empty(rig.Chip.Transmitted);
    }

    [Fact]
    public async Task Oversized_payload_is_refused_naming_the_field()
    {
        await using var rig = await Sx1262Rig.StartedAsync();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => rig.Radio.TransmitAsync(Sx1262Rig.Downlink(new byte[256]), CancellationToken.None));
        Assert.Contains("Payload", ex.Message);
        var unset = await Assert.ThrowsAsync<ArgumentException>(() => rig.Radio.TransmitAsync(Sx1262Rig.Downlink([1]) with { Modulation = default }, CancellationToken.None));
        Assert.Contains("Modulation is unset", unset.Message);
        var badCr = await Assert.ThrowsAsync<ArgumentException>(() => rig.Radio.TransmitAsync(Sx1262Rig.Downlink([1]) with { CodingRate = (LoRaCodingRate)7 }, CancellationToken.None));
        Assert.Contains("CodingRate", badCr.Message);
        Assert.Empty(rig.Chip.Transmitted);
    }

    [Fact]
    public async Task Chip_tx_timeout_interrupt_gives_a_timeout_result_and_rx_resumes()
    {
        await using var rig = await Sx1262Rig.StartedAsync();
        rig.Chip.TxBehaviour = FakeTxBehaviour.RaiseTimeoutIrq;

        var result = await rig.Radio.TransmitAsync(Sx1262Rig.Downlink([1, 2]), CancellationToken.None);

        Assert.Equal(TxStatus.Timeout, result.Status);
        Assert.Contains("interrupt", result.Detail);
        Assert.Equal(1, rig.Radio.Statistics.TxTimeouts);
        Assert.Equal(Sx1262ChipMode.Receive, rig.Chip.Mode);
    }

    [Fact]
    public async Task Missing_tx_done_times_out_on_the_host_and_the_chip_is_forced_back_to_rx()
    {
        await using var rig = await Sx1262Rig.StartedAsync(o => o with { TxTimeoutMargin = TimeSpan.FromMilliseconds(30) });
        rig.Chip.TxBehaviour = FakeTxBehaviour.NeverComplete;

        var result = await rig.Radio.TransmitAsync(Sx1262Rig.Downlink([1, 2]), CancellationToken.None);

        Assert.Equal(TxStatus.Timeout, result.Status);
        Assert.Contains("no TX-done interrupt", result.Detail);
        Assert.Equal(Sx1262ChipMode.Receive, rig.Chip.Mode);
        Assert.Equal(["80 00", "02 03FF"], rig.CommandLog().SkipWhile(c => !c.StartsWith("83", StringComparison.Ordinal)).Skip(1).Take(2));
    }

    [Fact]
    public async Task Busy_stuck_high_at_start_fails_with_a_clear_error()
    {
        var rig = new Sx1262Rig();
        await using var _ = rig;
        rig.Chip.BusyStuckHigh = true;

        var ex = await Assert.ThrowsAsync<RadioHardwareException>(() => rig.Radio.StartAsync(CancellationToken.None));
        Assert.Contains("BUSY stayed high", ex.Message);
        Assert.Contains("after reset", ex.Message);
    }

    [Fact]
    public async Task Busy_stuck_high_during_transmit_gives_radio_error_and_the_radio_recovers()
    {
        await using var rig = await Sx1262Rig.StartedAsync();
        rig.Chip.BusyStuckHigh = true;

        var failed = await rig.Radio.TransmitAsync(Sx1262Rig.Downlink([9]), CancellationToken.None);
        Assert.Equal(TxStatus.RadioError, failed.Status);
        Assert.Contains("BUSY stayed high", failed.Detail);

        rig.Chip.BusyStuckHigh = false;
        var ok = await rig.Radio.TransmitAsync(Sx1262Rig.Downlink([9]), CancellationToken.None);
        Assert.True(ok.IsOk, $"{ok} {string.Join(" | ", rig.CommandLog())} {string.Join(" | ", rig.Chip.ProtocolViolations)}");
        Assert.Single(rig.Chip.Transmitted);
        Assert.Empty(rig.Chip.ProtocolViolations);
    }

    [Fact]
    public async Task Calibration_errors_stop_the_start_with_the_error_named()
    {
        var rig = new Sx1262Rig();
        await using var _ = rig;
        rig.Chip.CalibrationErrors = Sx1262DeviceErrors.XoscStart;

        var ex = await Assert.ThrowsAsync<RadioHardwareException>(() => rig.Radio.StartAsync(CancellationToken.None));
        Assert.Contains("XoscStart", ex.Message);
        Assert.Contains("TcxoVoltageCode", ex.Message);
    }

    [Fact]
    public async Task Tcxo_modules_get_dio3_configured_before_calibration()
    {
        await using var rig = await Sx1262Rig.StartedAsync(o => o with { TcxoVoltageCode = 0x02 });
        var log = rig.CommandLog();
        Assert.True(log.IndexOf("97 02000140") < log.IndexOf("89 7F"));   // 1.8 V, 5 ms = 320 RTC steps
    }

    [Fact]
    public void The_fake_chip_ignores_commands_sent_while_busy_so_a_driver_that_does_not_wait_is_caught()
    {
        var rig = new Sx1262Rig();
        Assert.True(rig.Gpio.Level(Sx1262Rig.BusyPin));       // still booting: BUSY high until sampled
        using var spi = SpiDevice.Open(rig.Kernel, "/dev/spidev0.0", new SpiSettings());
        spi.TransferFullDuplex([0x8A, 0x01], new byte[2]);     // SetPacketType without waiting for BUSY

        Assert.Contains(rig.Chip.ProtocolViolations, v => v.Contains("SetPacketType sent while BUSY was high"));
        Assert.Empty(rig.Chip.Commands);
    }

    [Fact]
    public async Task Wrong_spi_mode_is_caught_at_start_because_the_chip_cannot_be_read()
    {
        var rig = new Sx1262Rig(o => o with { Spi = new SpiSettings { Mode = SpiModeFlags.ClockPolarity | SpiModeFlags.ClockPhase } });
        await using var _ = rig;

        var ex = await Assert.ThrowsAsync<RadioHardwareException>(() => rig.Radio.StartAsync(CancellationToken.None));
        Assert.Contains("GetPacketType returned 0xFF", ex.Message);
        Assert.True(rig.Spidev.GarbledFrames > 0);
    }

    [Fact]
    public async Task A_bus_with_no_chip_is_detected_at_start()
    {
        var kernel = new FakeLinuxKernel();
        _ = new FakeGpioChip(kernel, "/dev/gpiochip0");
        kernel.AddDeviceNode("/dev/spidev0.0", () => new FakeSpidev(new SilentBus()));
        await using var radio = Sx1262Radio.Open(kernel, new Sx1262RadioOptions { ResetPin = 18, BusyPin = 20, Dio1Pin = 16 }, TimeProvider.System);

        var ex = await Assert.ThrowsAsync<RadioHardwareException>(() => radio.StartAsync(CancellationToken.None));
        Assert.Contains("did not answer on /dev/spidev0.0", ex.Message);
    }

    [Fact]
    public void Open_requests_the_lines_with_their_roles_and_configures_spi_mode_0_at_2_MHz()
    {
        var rig = new Sx1262Rig();
        Assert.Equal("sx1262-reset", rig.Gpio.ConsumerOf(Sx1262Rig.ResetPin));
        Assert.Equal(GpioV2LineFlags.Output, rig.Gpio.FlagsOf(Sx1262Rig.ResetPin));
        Assert.Equal(GpioV2LineFlags.Input, rig.Gpio.FlagsOf(Sx1262Rig.BusyPin));
        Assert.Equal(GpioV2LineFlags.Input | GpioV2LineFlags.EdgeRising, rig.Gpio.FlagsOf(Sx1262Rig.Dio1Pin));
        Assert.Equal(0, rig.Spidev.Mode);
        Assert.Equal(2_000_000u, rig.Spidev.MaxSpeedHz);
        Assert.True(rig.Gpio.Level(Sx1262Rig.ResetPin));
    }

    [Fact]
    public void Options_without_pins_are_refused_naming_the_pin()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Sx1262RadioOptions { ResetPin = 1, Dio1Pin = 2 }.Validate());
        Assert.Equal("BusyPin", ex.ParamName);
    }

    private sealed class SilentBus : ISpiPeripheral
    {
        public void Transfer(ReadOnlySpan<byte> mosi, Span<byte> miso) => miso.Clear();
    }
}

public class Sx1262OpenFailureTests
{
    [Fact]
    public void A_line_already_taken_fails_open_and_releases_everything_opened_so_far()
    {
        var kernel = new FakeLinuxKernel();
        var gpio = new FakeGpioChip(kernel, "/dev/gpiochip0");
        kernel.AddDeviceNode("/dev/spidev0.0", () => new FakeSpidev(new FakeSx1262(gpio, 18, 20, 16)));
        using var chip = GpioChip.Open(kernel, "/dev/gpiochip0");
        using var squatter = chip.RequestInput(16, GpioEdge.None, GpioBias.AsIs, "someone-else");
        var filesBefore = kernel.OpenFileCount;

        var ex = Assert.Throws<LinuxIoException>(() => Sx1262Radio.Open(kernel, new Sx1262RadioOptions { ResetPin = 18, BusyPin = 20, Dio1Pin = 16 }, TimeProvider.System));

        Assert.Equal(LinuxIoException.EBUSY, ex.Errno);
        Assert.Equal(filesBefore, kernel.OpenFileCount);
        Assert.Null(gpio.ConsumerOf(18));
        Assert.Null(gpio.ConsumerOf(20));
    }
}
