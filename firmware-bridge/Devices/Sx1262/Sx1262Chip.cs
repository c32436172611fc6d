using DePin.Wireless.FirmwareBridge.Linux;
using DePin.Wireless.FirmwareBridge.Radio;

namespace DePin.Wireless.FirmwareBridge.Devices.Sx1262;

/// <summary>
/// The SX1262 command sequences (datasheet section 14 "Operational modes"; framing as in
/// LoRaMac-node sx126x-board drivers): reset, setup, continuous RX, TX and IRQ servicing.
/// </summary>
public sealed class Sx1262Chip : IRadioChip
{
    private const Sx1262Irq ReceiveIrqs = Sx1262Irq.RxDone | Sx1262Irq.CrcError | Sx1262Irq.HeaderError | Sx1262Irq.Timeout;
    private const Sx1262Irq TransmitIrqs = Sx1262Irq.TxDone | Sx1262Irq.Timeout;
    private const byte PacketTypeLoRa = 0x01;
    private const byte StandbyRc = 0x00;
    private const byte CalibrateAllBlocks = 0x7F;
    private static readonly uint TcxoStartupSteps = 320; // 5 ms in 15.625 µs steps

    private readonly ISpiDevice _spi;
    private readonly IGpioLine _reset;
    private readonly IGpioLine _busy;
    private readonly Sx1262RadioOptions _options;
    private readonly TimeProvider _time;
    private readonly Sx1262CommandBus _bus;
    private bool _transmitting;

    public Sx1262Chip(ISpiDevice spi, IGpioLine reset, IGpioLine busy, Sx1262RadioOptions options, TimeProvider time)
    {
        _spi = spi ?? throw new ArgumentNullException(nameof(spi));
        _reset = reset ?? throw new ArgumentNullException(nameof(reset));
        _busy = busy ?? throw new ArgumentNullException(nameof(busy));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _bus = new Sx1262CommandBus(spi, busy, time, options.BusyTimeout);
    }

    public string Name => "SX1262";

    public Sx1262CommandBus Bus => _bus;

    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        _reset.Write(false);
        await Task.Delay(_options.ResetPulse, _time, cancellationToken).ConfigureAwait(false);
        _reset.Write(true);
        _bus.WaitWhileBusy("the first command after reset");
    }

    public void Initialise()
    {
        _bus.Write(Sx1262Opcode.SetStandby, [StandbyRc]);
        _bus.Write(Sx1262Opcode.SetPacketType, [PacketTypeLoRa]);
        VerifyPacketType();
        if (_options.TcxoVoltageCode is { } voltage)
            _bus.Write(Sx1262Opcode.SetDio3AsTcxoCtrl, [voltage, (byte)(TcxoStartupSteps >> 16), (byte)(TcxoStartupSteps >> 8), (byte)TcxoStartupSteps]);
        // A TCXO module reports XOSC_START_ERR until DIO3 powers the TCXO: clear, then calibrate and check (datasheet 13.3.6).
        _bus.Write(Sx1262Opcode.ClearDeviceErrors, [0x00, 0x00]);
        _bus.Write(Sx1262Opcode.SetRegulatorMode, [(byte)(_options.UseDcDcRegulator ? 1 : 0)]);
        _bus.Write(Sx1262Opcode.Calibrate, [CalibrateAllBlocks]);
        var (low, high) = Sx1262Encoding.ImageCalibrationBand(_options.ReceiveFrequencyHz);
        _bus.Write(Sx1262Opcode.CalibrateImage, [low, high]);
        VerifyNoDeviceErrors();
        if (_options.UseDio2AsRfSwitch)
            _bus.Write(Sx1262Opcode.SetDio2AsRfSwitchCtrl, [0x01]);
        _bus.Write(Sx1262Opcode.SetBufferBaseAddress, [0x00, 0x00]);
        _bus.Write(Sx1262Opcode.SetPaConfig, Sx1262Encoding.PaConfigHighPower());
        _bus.WriteRegister(Sx1262Register.LoRaSyncWord, Sx1262Encoding.SyncWord(_options.PublicNetwork));
    }

    private void VerifyNoDeviceErrors()
    {
        Span<byte> raw = stackalloc byte[2];
        _bus.Read(Sx1262Opcode.GetDeviceErrors, [], raw);
        var errors = (Sx1262DeviceErrors)(raw[0] << 8 | raw[1]);
        if (errors != Sx1262DeviceErrors.None)
            throw new RadioHardwareException($"SX1262 reports device errors after calibration: {errors} (0x{(ushort)errors:X4}); check TcxoVoltageCode and the supply");
    }

    /// <summary>A missing or unpowered chip reads back 0x00 or 0xFF; a live one echoes the LoRa packet type.</summary>
    private void VerifyPacketType()
    {
        Span<byte> type = stackalloc byte[1];
        _bus.Read(Sx1262Opcode.GetPacketType, [], type);
        if (type[0] != PacketTypeLoRa)
            throw new RadioHardwareException($"SX1262 did not answer on {_options.SpiDevicePath}: GetPacketType returned 0x{type[0]:X2}, expected 0x01 (LoRa); status {_bus.LastStatus}");
    }

    public void StartReceive()
    {
        _transmitting = false;
        _bus.Write(Sx1262Opcode.SetStandby, [StandbyRc]);
        SetChannel(_options.ReceiveFrequencyHz, _options.ReceiveModulation, _options.ReceiveCodingRate);
        SetPacket(_options.PreambleLength, 255, crcOn: true, invertIq: false);
        MapInterrupts(ReceiveIrqs);
        _bus.Write(Sx1262Opcode.ClearIrqStatus, Sx1262Encoding.U16((ushort)Sx1262Irq.All));
        ArmReceive();
    }

    private void ArmReceive() => _bus.Write(Sx1262Opcode.SetRx, _options.SingleReceiveTimeout is { } timeout
        ? Sx1262Encoding.Timeout(timeout)
        : Sx1262Encoding.ContinuousReceive());

    public TxResult? CheckTransmit(TxRequest request)
    {
        if (request.FrequencyHz is < Sx1262Encoding.MinFrequencyHz or > Sx1262Encoding.MaxFrequencyHz)
            return new TxResult(TxStatus.FrequencyError, $"{request.FrequencyHz} Hz is outside the SX1262 range 150-960 MHz");
        if (request.PowerDbm is < Sx1262Encoding.MinPowerDbm or > Sx1262Encoding.MaxPowerDbm)
            return new TxResult(TxStatus.PowerError, $"{request.PowerDbm} dBm is outside the SX1262 range {Sx1262Encoding.MinPowerDbm}..{Sx1262Encoding.MaxPowerDbm} dBm");
        return null;
    }

    public void LoadTransmit(TxRequest request)
    {
        _bus.Write(Sx1262Opcode.SetStandby, [StandbyRc]);
        SetChannel(request.FrequencyHz, request.Modulation, request.CodingRate);
        _bus.Write(Sx1262Opcode.SetTxParams, Sx1262Encoding.TxParams(request.PowerDbm));
        SetPacket(request.PreambleLength, request.Payload.Length, request.CrcEnabled, request.InvertIq);
        ApplyBandwidth500Workaround(request.Modulation.BandwidthHz);
        _bus.WriteBuffer(0x00, request.Payload);
        MapInterrupts(TransmitIrqs);
        _bus.Write(Sx1262Opcode.ClearIrqStatus, Sx1262Encoding.U16((ushort)Sx1262Irq.All));
    }

    public void StartTransmit(TimeSpan timeout)
    {
        _transmitting = true;
        _bus.Write(Sx1262Opcode.SetTx, Sx1262Encoding.Timeout(timeout));
    }

    public void AbortTransmit()
    {
        _transmitting = false;
        _bus.Write(Sx1262Opcode.SetStandby, [StandbyRc]);
        _bus.Write(Sx1262Opcode.ClearIrqStatus, Sx1262Encoding.U16((ushort)Sx1262Irq.All));
    }

    public RadioInterrupt ServiceInterrupt(uint counterTimestampUs)
    {
        Span<byte> irqBytes = stackalloc byte[2];
        _bus.Read(Sx1262Opcode.GetIrqStatus, [], irqBytes);
        var irq = (Sx1262Irq)((irqBytes[0] << 8) | irqBytes[1]);
        if (irq != Sx1262Irq.None)
            _bus.Write(Sx1262Opcode.ClearIrqStatus, irqBytes);
        if (_transmitting)
            return new RadioInterrupt(TxDone: irq.HasFlag(Sx1262Irq.TxDone), TxTimeout: irq.HasFlag(Sx1262Irq.Timeout));
        var interrupt = ReceiveInterrupt(irq, counterTimestampUs);
        // In single mode the chip falls back to STDBY_RC after RxDone or Timeout (datasheet 13.1.5): listen again.
        if (_options.SingleReceiveTimeout is not null && (irq & (Sx1262Irq.RxDone | Sx1262Irq.Timeout)) != 0)
            ArmReceive();
        return interrupt;
    }

    private RadioInterrupt ReceiveInterrupt(Sx1262Irq irq, uint counterTimestampUs)
    {
        if (!irq.HasFlag(Sx1262Irq.RxDone))
            return new RadioInterrupt(HeaderError: irq.HasFlag(Sx1262Irq.HeaderError));
        if (irq.HasFlag(Sx1262Irq.CrcError))
            return new RadioInterrupt(CrcError: true);
        return new RadioInterrupt(Frame: ReadFrame(counterTimestampUs));
    }

    private RxFrame ReadFrame(uint counterTimestampUs)
    {
        Span<byte> bufferStatus = stackalloc byte[2];
        _bus.Read(Sx1262Opcode.GetRxBufferStatus, [], bufferStatus);
        var payload = _bus.ReadBuffer(bufferStatus[1], bufferStatus[0]);
        Span<byte> packetStatus = stackalloc byte[3];
        _bus.Read(Sx1262Opcode.GetPacketStatus, [], packetStatus);
        var status = Sx1262PacketStatus.Decode(packetStatus[0], packetStatus[1], packetStatus[2]);
        return new RxFrame(payload, _options.ReceiveFrequencyHz, _options.ReceiveModulation, _options.ReceiveCodingRate,
            status.RssiDbm, status.SnrDb, counterTimestampUs, RxCrcStatus.Ok);
    }

    private void SetChannel(long frequencyHz, LoRaModulation modulation, LoRaCodingRate codingRate)
    {
        var steps = Sx1262Encoding.FrequencySteps(frequencyHz);
        _bus.Write(Sx1262Opcode.SetRfFrequency, [(byte)(steps >> 24), (byte)(steps >> 16), (byte)(steps >> 8), (byte)steps]);
        _bus.Write(Sx1262Opcode.SetModulationParams, Sx1262Encoding.ModulationParams(modulation, codingRate));
    }

    private void SetPacket(int preambleLength, int payloadLength, bool crcOn, bool invertIq)
    {
        _bus.Write(Sx1262Opcode.SetPacketParams, Sx1262Encoding.PacketParams(preambleLength, payloadLength, crcOn, invertIq));
        var iq = _bus.ReadRegister(Sx1262Register.IqPolarity);
        _bus.WriteRegister(Sx1262Register.IqPolarity, [Sx1262Encoding.IqPolarityRegister(iq, invertIq)]);
    }

    /// <summary>Datasheet 15.1: register 0x0889 bit 2 cleared for 500 kHz LoRa TX, set for every other bandwidth.</summary>
    private void ApplyBandwidth500Workaround(int bandwidthHz)
    {
        var value = _bus.ReadRegister(Sx1262Register.TxModulation);
        var updated = bandwidthHz == 500_000 ? (byte)(value & ~0x04) : (byte)(value | 0x04);
        _bus.WriteRegister(Sx1262Register.TxModulation, [updated]);
    }

    private void MapInterrupts(Sx1262Irq irqs)
    {
        var mask = Sx1262Encoding.U16((ushort)irqs);
        _bus.Write(Sx1262Opcode.SetDioIrqParams, [mask[0], mask[1], mask[0], mask[1], 0, 0, 0, 0]);
    }

    public void Dispose()
    {
        _spi.Dispose();
        _reset.Dispose();
        _busy.Dispose();
    }
}
