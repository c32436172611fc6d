using DePin.Wireless.FirmwareBridge.Linux;
using DePin.Wireless.FirmwareBridge.Radio;

namespace DePin.Wireless.FirmwareBridge.Devices.Sx1276;

/// <summary>
/// SX1276 LoRa sequences over its register file (datasheet rev 7 section 4.1.6 "LoRa Modem State Machine
/// Sequences"): reset, LoRa mode entry in Sleep, continuous RX with DIO0 = RxDone, TX with DIO0 = TxDone.
/// </summary>
public sealed class Sx1276Chip : IRadioChip
{
    private const byte FifoBase = 0x00;
    private const byte LnaMaxGainBoost = 0x23;   // RegLna: G1 (max gain), LnaBoostHf 150 %
    private const byte CrcOnPayloadFlag = 0x40;  // RegHopChannel bit 6: the received header announced a payload CRC

    private readonly ISpiDevice _spi;
    private readonly IGpioLine _reset;
    private readonly Sx1276RadioOptions _options;
    private readonly TimeProvider _time;
    private readonly Sx1276RegisterBus _bus;
    private bool _transmitting;

    public Sx1276Chip(ISpiDevice spi, IGpioLine reset, Sx1276RadioOptions options, TimeProvider time)
    {
        _spi = spi ?? throw new ArgumentNullException(nameof(spi));
        _reset = reset ?? throw new ArgumentNullException(nameof(reset));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _bus = new Sx1276RegisterBus(spi);
    }

    public string Name => "SX1276";

    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        _reset.Write(false);
        await Task.Delay(_options.ResetPulse, _time, cancellationToken).ConfigureAwait(false);
        _reset.Write(true);
        if (_options.ResetSettle > TimeSpan.Zero)
            await Task.Delay(_options.ResetSettle, _time, cancellationToken).ConfigureAwait(false);
    }

    public void Initialise()
    {
        var version = _bus.Read(Sx1276Register.Version);
        if (version != Sx1276Register.ExpectedVersion)
            throw new RadioHardwareException($"SX1276 did not answer on {_options.SpiDevicePath}: RegVersion reads 0x{version:X2}, expected 0x{Sx1276Register.ExpectedVersion:X2}");
        // LongRangeMode can only be changed in Sleep (datasheet table 41, RegOpMode bit 7).
        _bus.Write(Sx1276Register.OpMode, Sx1276OpMode.Sleep);
        _bus.Write(Sx1276Register.OpMode, Sx1276OpMode.LongRangeMode | Sx1276OpMode.Sleep);
        SetMode(Sx1276OpMode.Standby);
        var mode = _bus.Read(Sx1276Register.OpMode);
        if ((mode & Sx1276OpMode.LongRangeMode) == 0)
            throw new RadioHardwareException($"SX1276 refused LoRa mode: RegOpMode reads 0x{mode:X2}");
        _bus.Write(Sx1276Register.SyncWord, _options.PublicNetwork ? (byte)0x34 : (byte)0x12);
        _bus.Write(Sx1276Register.FifoTxBaseAddr, FifoBase, FifoBase); // TX and RX base (0x0E, 0x0F)
        _bus.Write(Sx1276Register.Lna, LnaMaxGainBoost);
        _bus.Write(Sx1276Register.MaxPayloadLength, 0xFF);
    }

    public void StartReceive()
    {
        _transmitting = false;
        SetMode(Sx1276OpMode.Standby);
        SetChannel(_options.ReceiveFrequencyHz, _options.ReceiveModulation, _options.ReceiveCodingRate, crcOn: true);
        SetPreamble(_options.PreambleLength);
        SetIq(invertRx: false, invertTx: false);
        _bus.Write(Sx1276Register.DioMapping1, Sx1276Dio0.RxDone);
        _bus.Write(Sx1276Register.IrqFlagsMask, (byte)~(Sx1276Irq.RxDone | Sx1276Irq.PayloadCrcError | Sx1276Irq.ValidHeader));
        _bus.Write(Sx1276Register.IrqFlags, 0xFF);
        _bus.Write(Sx1276Register.FifoAddrPtr, FifoBase);
        SetMode(Sx1276OpMode.ReceiveContinuous);
    }

    public TxResult? CheckTransmit(TxRequest request)
    {
        if (request.FrequencyHz is < Sx1276Encoding.MinFrequencyHz or > Sx1276Encoding.MaxFrequencyHz)
            return new TxResult(TxStatus.FrequencyError, $"{request.FrequencyHz} Hz is outside the SX1276 range 137-1020 MHz");
        if (Sx1276Encoding.PowerSettings(request.PowerDbm, _options.UsePaBoost) is null)
            return new TxResult(TxStatus.PowerError, $"{request.PowerDbm} dBm is outside the SX1276 {(_options.UsePaBoost ? "PA_BOOST range 2..20" : "RFO range 0..14")} dBm");
        if (request.Modulation.SpreadingFactor < 7)
            return new TxResult(TxStatus.RadioError, $"SF{request.Modulation.SpreadingFactor} is not supported by the SX1276 driver (SF7..SF12)");
        return null;
    }

    public void LoadTransmit(TxRequest request)
    {
        SetMode(Sx1276OpMode.Standby);
        SetChannel(request.FrequencyHz, request.Modulation, request.CodingRate, request.CrcEnabled);
        SetPreamble(request.PreambleLength);
        var (paConfig, paDac, ocp) = Sx1276Encoding.PowerSettings(request.PowerDbm, _options.UsePaBoost)
            ?? throw new ArgumentOutOfRangeException(nameof(request), request.PowerDbm, "TX power out of range");
        _bus.Write(Sx1276Register.PaConfig, paConfig);
        _bus.Write(Sx1276Register.Ocp, ocp);
        _bus.Write(Sx1276Register.PaDac, paDac);
        SetIq(invertRx: false, invertTx: request.InvertIq);
        _bus.Write(Sx1276Register.PayloadLength, (byte)request.Payload.Length);
        _bus.Write(Sx1276Register.FifoAddrPtr, FifoBase);
        if (request.Payload.Length > 0)
            _bus.Write(Sx1276Register.Fifo, request.Payload);
        _bus.Write(Sx1276Register.DioMapping1, Sx1276Dio0.TxDone);
        _bus.Write(Sx1276Register.IrqFlagsMask, (byte)~Sx1276Irq.TxDone);
        _bus.Write(Sx1276Register.IrqFlags, 0xFF);
    }

    /// <summary>The SX1276 has no TX timer; <see cref="HalfDuplexRadio"/> enforces the timeout on the host.</summary>
    public void StartTransmit(TimeSpan timeout)
    {
        _transmitting = true;
        SetMode(Sx1276OpMode.Transmit);
    }

    public void AbortTransmit()
    {
        _transmitting = false;
        SetMode(Sx1276OpMode.Standby);
        _bus.Write(Sx1276Register.IrqFlags, 0xFF);
    }

    public RadioInterrupt ServiceInterrupt(uint counterTimestampUs)
    {
        var flags = (Sx1276Irq)_bus.Read(Sx1276Register.IrqFlags);
        if (flags != Sx1276Irq.None)
            _bus.Write(Sx1276Register.IrqFlags, (byte)flags);
        if (_transmitting)
            return new RadioInterrupt(TxDone: flags.HasFlag(Sx1276Irq.TxDone));
        if (!flags.HasFlag(Sx1276Irq.RxDone))
            return default;
        if (flags.HasFlag(Sx1276Irq.PayloadCrcError))
            return new RadioInterrupt(CrcError: true);
        return new RadioInterrupt(Frame: ReadFrame(counterTimestampUs));
    }

    private RxFrame ReadFrame(uint counterTimestampUs)
    {
        var length = _bus.Read(Sx1276Register.RxNbBytes);
        var start = _bus.Read(Sx1276Register.FifoRxCurrentAddr);
        _bus.Write(Sx1276Register.FifoAddrPtr, start);
        var payload = length == 0 ? [] : _bus.Read(Sx1276Register.Fifo, length);
        var quality = _bus.Read(Sx1276Register.PktSnrValue, 2); // PktSnrValue 0x19, PktRssiValue 0x1A
        var crcAnnounced = (_bus.Read(Sx1276Register.HopChannel) & CrcOnPayloadFlag) != 0;
        var snr = Sx1276Encoding.PacketSnrDb(quality[0]);
        var rssi = Sx1276Encoding.PacketRssiDbm(quality[1], snr, _options.ReceiveFrequencyHz);
        return new RxFrame(payload, _options.ReceiveFrequencyHz, _options.ReceiveModulation, _options.ReceiveCodingRate,
            rssi, snr, counterTimestampUs, crcAnnounced ? RxCrcStatus.Ok : RxCrcStatus.NoCrc);
    }

    private void SetMode(byte mode) => _bus.Write(Sx1276Register.OpMode, (byte)(Sx1276OpMode.LongRangeMode | mode));

    private void SetChannel(long frequencyHz, LoRaModulation modulation, LoRaCodingRate codingRate, bool crcOn)
    {
        _bus.Write(Sx1276Register.FrfMsb, Sx1276Encoding.Frf(frequencyHz));
        _bus.Write(Sx1276Register.ModemConfig1, Sx1276Encoding.ModemConfig1(modulation, codingRate), Sx1276Encoding.ModemConfig2(modulation, crcOn));
        _bus.Write(Sx1276Register.ModemConfig3, Sx1276Encoding.ModemConfig3(modulation));
    }

    private void SetPreamble(int symbols) =>
        _bus.Write(Sx1276Register.PreambleMsb, (byte)(symbols >> 8), (byte)symbols);

    private void SetIq(bool invertRx, bool invertTx)
    {
        var (iq, iq2) = Sx1276Encoding.IqSettings(_bus.Read(Sx1276Register.InvertIq), invertRx, invertTx);
        _bus.Write(Sx1276Register.InvertIq, iq);
        _bus.Write(Sx1276Register.InvertIq2, iq2);
    }

    public void Dispose()
    {
        _spi.Dispose();
        _reset.Dispose();
    }
}
