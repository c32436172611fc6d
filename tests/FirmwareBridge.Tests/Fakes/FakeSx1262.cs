using DePin.Wireless.FirmwareBridge.Devices.Sx1262;

namespace DePin.Wireless.FirmwareBridge.Tests.Fakes;

/// <summary>
/// Transaction-level model of an SX1262 (datasheet rev 2.1): status byte, BUSY after every command and
/// during boot, NRESET, 256-byte data buffer with TX/RX base addresses, register file, IRQ register
/// routed to DIO1 through SetDioIrqParams, continuous/single RX and TX. Commands sent while BUSY is
/// high are ignored and recorded as protocol violations, as the real chip would miss them.
/// </summary>
public sealed class FakeSx1262 : ISpiPeripheral
{
    private readonly FakeGpioChip _gpio;
    private readonly int _resetPin, _busyPin, _dio1Pin;
    private readonly Lock _gate = new();
    private readonly byte[] _buffer = new byte[256];
    private readonly Dictionary<ushort, byte> _registers = [];
    private readonly List<(byte Opcode, byte[] Parameters)> _commands = [];
    private readonly List<string> _violations = [];
    private readonly List<FakeAirFrame> _transmitted = [];
    private bool _inReset;
    private int _busySamplesLeft;
    private Sx1262ChipMode _mode = Sx1262ChipMode.StandbyRc;
    private Sx1262CommandStatus _commandStatus = Sx1262CommandStatus.Reserved;
    private byte _packetType, _sf, _bwCode, _crCode, _ldro, _txBase, _rxBase, _payloadLength, _power;
    private bool _crcOn, _invertIq, _continuousRx;
    private int _preamble;
    private uint _frequencySteps;
    private ushort _irq, _irqMask, _dio1Mask, _deviceErrors;
    private byte _rxLength, _rxStart, _rssiPkt, _snrPkt, _signalRssiPkt;

    public FakeSx1262(FakeGpioChip gpio, int resetPin, int busyPin, int dio1Pin, TimeProvider? time = null)
    {
        _gpio = gpio;
        _resetPin = resetPin;
        _busyPin = busyPin;
        _dio1Pin = dio1Pin;
        Time = time ?? TimeProvider.System;
        gpio.HostDrove += OnHostDrove;
        gpio.Sampled += OnSampled;
        PowerOn();
    }

    public TimeProvider Time { get; }

    /// <summary>Host samples of BUSY that still read high after each command (the chip's processing time).</summary>
    public int BusySamplesPerCommand { get; set; } = 2;

    /// <summary>Host samples of BUSY that read high after NRESET is released (boot).</summary>
    public int BusySamplesAfterReset { get; set; } = 5;

    /// <summary>Fault injection: BUSY never falls.</summary>
    public bool BusyStuckHigh { get; set; }

    public FakeTxBehaviour TxBehaviour { get; set; } = FakeTxBehaviour.Complete;

    /// <summary>Fault injection: error bits Calibrate raises (e.g. XOSC start failure on a module whose TCXO is not powered).</summary>
    public Sx1262DeviceErrors CalibrationErrors { get; set; }

    public int ResetCount { get; private set; }

    public IReadOnlyList<(byte Opcode, byte[] Parameters)> Commands { get { lock (_gate) return [.. _commands]; } }

    public IReadOnlyList<string> ProtocolViolations { get { lock (_gate) return [.. _violations]; } }

    public IReadOnlyList<FakeAirFrame> Transmitted { get { lock (_gate) return [.. _transmitted]; } }

    public Sx1262ChipMode Mode { get { lock (_gate) return _mode; } }

    public ushort IrqStatus { get { lock (_gate) return _irq; } }

    public long FrequencyHz => (long)Math.Round(_frequencySteps * 32_000_000.0 / (1 << 25));

    public bool LowDataRateOptimize { get { lock (_gate) return _ldro != 0; } }

    public byte Register(ushort address) { lock (_gate) return _registers.GetValueOrDefault(address); }

    public void ClearLog()
    {
        lock (_gate)
            _commands.Clear();
    }

    private void PowerOn()
    {
        _registers[Sx1262Register.LoRaSyncWord] = 0x14; // reset value: private sync word 0x1424 (datasheet table 12-1)
        _registers[Sx1262Register.LoRaSyncWord + 1] = 0x24;
        _registers[Sx1262Register.IqPolarity] = 0x0D;
        _registers[Sx1262Register.TxModulation] = 0x04;
        _mode = Sx1262ChipMode.StandbyRc;
        _irq = _irqMask = _dio1Mask = 0;
        _packetType = 0;
        SetBusy(BusySamplesAfterReset);
        UpdateDio1();
    }

    /// <summary>A frame arrives over the air. Returns false when the chip is not listening on that channel.</summary>
    public bool Receive(byte[] payload, long frequencyHz, int spreadingFactor, int bandwidthCode, double rssiDbm, double snrDb, bool crcOk = true, bool invertIq = false, ushort syncWord = 0x3444)
    {
        lock (_gate)
        {
            if (_mode != Sx1262ChipMode.Receive || _packetType != 1 || Math.Abs(frequencyHz - FrequencyHz) > 1_000
                || spreadingFactor != _sf || bandwidthCode != _bwCode || invertIq != _invertIq
                || syncWord != (_registers[Sx1262Register.LoRaSyncWord] << 8 | _registers[Sx1262Register.LoRaSyncWord + 1]))
                return false;
            for (var i = 0; i < payload.Length; i++)
                _buffer[(byte)(_rxBase + i)] = payload[i];
            _rxLength = (byte)payload.Length;
            _rxStart = _rxBase;
            _rssiPkt = (byte)Math.Clamp(Math.Round(-rssiDbm * 2), 0, 255);
            _snrPkt = (byte)(sbyte)Math.Clamp(Math.Round(snrDb * 4), -128, 127);
            _signalRssiPkt = (byte)Math.Clamp(Math.Round(-(rssiDbm - Math.Min(snrDb, 0)) * 2), 0, 255);
            _irq |= (ushort)(Sx1262Irq.PreambleDetected | Sx1262Irq.SyncWordValid | Sx1262Irq.HeaderValid | Sx1262Irq.RxDone);
            if (!crcOk)
                _irq |= (ushort)Sx1262Irq.CrcError;
            if (!_continuousRx)
                _mode = Sx1262ChipMode.StandbyRc;
            _commandStatus = Sx1262CommandStatus.DataAvailable;
        }
        UpdateDio1();
        return true;
    }

    /// <summary>The single-mode RX timer runs out: Timeout IRQ, back to STDBY_RC. False when not in single RX.</summary>
    public bool ExpireRxTimeout()
    {
        lock (_gate)
        {
            if (_mode != Sx1262ChipMode.Receive || _continuousRx)
                return false;
            _irq |= (ushort)Sx1262Irq.Timeout;
            _mode = Sx1262ChipMode.StandbyRc;
        }
        UpdateDio1();
        return true;
    }

    public bool ContinuousReceive { get { lock (_gate) return _continuousRx; } }

    /// <summary>A header with a bad checksum arrives: HeaderErr, no RxDone.</summary>
    public void ReceiveCorruptHeader()
    {
        lock (_gate)
            _irq |= (ushort)(Sx1262Irq.PreambleDetected | Sx1262Irq.SyncWordValid | Sx1262Irq.HeaderError);
        UpdateDio1();
    }

    public void Transfer(ReadOnlySpan<byte> mosi, Span<byte> miso)
    {
        lock (_gate)
        {
            if (_inReset)
            {
                miso.Clear(); // held in reset: MISO is not driven
                _violations.Add($"SPI frame 0x{mosi[0]:X2} while NRESET is low");
                return;
            }
            var status = Sx1262Status.Encode(_mode, _commandStatus);
            miso.Fill(status);
            if (_gpio.Level(_busyPin))
            {
                _violations.Add($"{Sx1262Opcode.NameOf(mosi[0])} sent while BUSY was high");
                return;
            }
            var parameters = mosi[1..].ToArray();
            _commands.Add((mosi[0], parameters));
            var response = miso.ToArray();
            Execute(mosi[0], parameters, response);
            response.CopyTo(miso);
            SetBusy(BusySamplesPerCommand);
        }
        UpdateDio1();
    }

    private void Execute(byte opcode, byte[] p, byte[] miso)
    {
        var ok = opcode switch
        {
            Sx1262Opcode.SetStandby => Expect(p, 1) && Do(() => { _mode = p[0] == 0 ? Sx1262ChipMode.StandbyRc : Sx1262ChipMode.StandbyXosc; }),
            Sx1262Opcode.SetPacketType => Expect(p, 1) && p[0] <= 1 && Standby() && Do(() => _packetType = p[0]),
            Sx1262Opcode.GetPacketType => Expect(p, 2) && Respond(miso, 2, _packetType),
            Sx1262Opcode.SetRfFrequency => Expect(p, 4) && Do(() => _frequencySteps = (uint)(p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3])),
            Sx1262Opcode.SetModulationParams => Expect(p, 4) && LoRa() && ValidModulation(p) && Do(() => (_sf, _bwCode, _crCode, _ldro) = (p[0], p[1], p[2], p[3])),
            Sx1262Opcode.SetPacketParams => Expect(p, 6) && LoRa() && Do(() =>
            {
                _preamble = p[0] << 8 | p[1];
                _payloadLength = p[3];
                _crcOn = p[4] != 0;
                _invertIq = p[5] != 0;
            }),
            Sx1262Opcode.SetTxParams => Expect(p, 2) && (sbyte)p[0] is >= -9 and <= 22 && Do(() => _power = p[0]),
            Sx1262Opcode.SetPaConfig => Expect(p, 4),
            Sx1262Opcode.SetBufferBaseAddress => Expect(p, 2) && Do(() => (_txBase, _rxBase) = (p[0], p[1])),
            Sx1262Opcode.WriteBuffer => p.Length >= 1 && Do(() => WriteBuffer(p[0], p.AsSpan(1))),
            Sx1262Opcode.ReadBuffer => p.Length >= 2 && Do(() => ReadBuffer(p[0], miso.AsSpan(3))),
            Sx1262Opcode.WriteRegister => p.Length >= 2 && Do(() => WriteRegisters((ushort)(p[0] << 8 | p[1]), p.AsSpan(2))),
            Sx1262Opcode.ReadRegister => p.Length >= 3 && Do(() => ReadRegisters((ushort)(p[0] << 8 | p[1]), miso.AsSpan(4))),
            Sx1262Opcode.SetDioIrqParams => Expect(p, 8) && Do(() => (_irqMask, _dio1Mask) = ((ushort)(p[0] << 8 | p[1]), (ushort)(p[2] << 8 | p[3]))),
            Sx1262Opcode.GetIrqStatus => Expect(p, 3) && Respond(miso, 2, (byte)(_irq >> 8), (byte)_irq),
            Sx1262Opcode.ClearIrqStatus => Expect(p, 2) && Do(() => _irq &= (ushort)~(p[0] << 8 | p[1])),
            Sx1262Opcode.GetRxBufferStatus => Expect(p, 3) && Respond(miso, 2, _rxLength, _rxStart),
            Sx1262Opcode.GetPacketStatus => Expect(p, 4) && Respond(miso, 2, _rssiPkt, _snrPkt, _signalRssiPkt),
            Sx1262Opcode.GetStatus => Expect(p, 1),
            Sx1262Opcode.GetDeviceErrors => Expect(p, 3) && Respond(miso, 2, (byte)(_deviceErrors >> 8), (byte)_deviceErrors),
            Sx1262Opcode.ClearDeviceErrors => Expect(p, 2) && Do(() => _deviceErrors = 0),
            Sx1262Opcode.Calibrate => Expect(p, 1) && Standby() && Do(() => _deviceErrors |= (ushort)CalibrationErrors),
            Sx1262Opcode.CalibrateImage => Expect(p, 2) && Standby() && p[0] < p[1],
            Sx1262Opcode.SetRegulatorMode => Expect(p, 1) && p[0] <= 1,
            Sx1262Opcode.SetDio2AsRfSwitchCtrl => Expect(p, 1),
            Sx1262Opcode.SetDio3AsTcxoCtrl => Expect(p, 4),
            Sx1262Opcode.SetRx => Expect(p, 3) && LoRa() && Do(() => StartRx(p)),
            Sx1262Opcode.SetTx => Expect(p, 3) && LoRa() && Do(StartTx),
            _ => false,
        };
        if (ok && opcode != Sx1262Opcode.SetTx)
            _commandStatus = Sx1262CommandStatus.Reserved;
        if (!ok)
        {
            _commandStatus = Sx1262CommandStatus.CommandProcessingError;
            _violations.Add($"{Sx1262Opcode.NameOf(opcode)} rejected (parameters {Convert.ToHexString(p)}, mode {_mode}, packet type {_packetType})");
        }
    }

    private static bool Do(Action action)
    {
        action();
        return true;
    }

    private static bool Expect(ReadOnlySpan<byte> parameters, int length) => parameters.Length == length;

    private bool Standby() => _mode is Sx1262ChipMode.StandbyRc or Sx1262ChipMode.StandbyXosc;

    private bool LoRa() => _packetType == 1;

    private static bool ValidModulation(ReadOnlySpan<byte> p) =>
        p[0] is >= 5 and <= 12 && p[1] is <= 0x06 or (>= 0x08 and <= 0x0A) && p[2] is >= 1 and <= 4 && p[3] <= 1;

    private static bool Respond(Span<byte> miso, int at, params byte[] data)
    {
        data.CopyTo(miso[at..]);
        return true;
    }

    private void WriteBuffer(byte offset, ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
            _buffer[(byte)(offset + i)] = data[i];
    }

    private void ReadBuffer(byte offset, Span<byte> destination)
    {
        for (var i = 0; i < destination.Length; i++)
            destination[i] = _buffer[(byte)(offset + i)];
    }

    private void WriteRegisters(ushort address, ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
            _registers[(ushort)(address + i)] = data[i];
    }

    private void ReadRegisters(ushort address, Span<byte> destination)
    {
        for (var i = 0; i < destination.Length; i++)
            destination[i] = _registers.GetValueOrDefault((ushort)(address + i));
    }

    private void StartRx(ReadOnlySpan<byte> timeout)
    {
        var steps = timeout[0] << 16 | timeout[1] << 8 | timeout[2];
        _continuousRx = steps == 0xFFFFFF;
        _mode = Sx1262ChipMode.Receive;
    }

    private void StartTx()
    {
        _mode = Sx1262ChipMode.Transmit;
        switch (TxBehaviour)
        {
            case FakeTxBehaviour.Complete:
                _transmitted.Add(new FakeAirFrame(
                    _buffer.AsSpan(_txBase, Math.Min(_payloadLength, 256 - _txBase)).ToArray(),
                    FrequencyHz, _sf, BandwidthHz(_bwCode), _crCode, _invertIq, _crcOn, _preamble, (sbyte)_power,
                    _registers[Sx1262Register.LoRaSyncWord] << 8 | _registers[Sx1262Register.LoRaSyncWord + 1],
                    Time.GetTimestamp()));
                _irq |= (ushort)Sx1262Irq.TxDone;
                _mode = Sx1262ChipMode.StandbyRc;
                _commandStatus = Sx1262CommandStatus.TxDone;
                break;
            case FakeTxBehaviour.RaiseTimeoutIrq:
                _irq |= (ushort)Sx1262Irq.Timeout;
                _mode = Sx1262ChipMode.StandbyRc;
                break;
            case FakeTxBehaviour.NeverComplete:
                break;
        }
    }

    private static int BandwidthHz(byte code) => code switch
    {
        0x04 => 125_000,
        0x05 => 250_000,
        0x06 => 500_000,
        0x03 => 62_500,
        _ => 0,
    };

    private void SetBusy(int samples)
    {
        _busySamplesLeft = samples;
        _gpio.DriveInput(_busyPin, samples > 0 || BusyStuckHigh || _inReset);
    }

    private void OnSampled(int offset)
    {
        if (offset != _busyPin)
            return;
        lock (_gate)
        {
            if (_busySamplesLeft > 0)
                _busySamplesLeft--;
            _gpio.DriveInput(_busyPin, _busySamplesLeft > 0 || BusyStuckHigh || _inReset);
        }
    }

    private void OnHostDrove(int offset, bool level)
    {
        if (offset != _resetPin)
            return;
        lock (_gate)
        {
            if (!level)
            {
                _inReset = true;
                _gpio.DriveInput(_busyPin, true);
                return;
            }
            if (!_inReset)
                return;
            _inReset = false;
            ResetCount++;
            PowerOn();
        }
        UpdateDio1();
    }

    private void UpdateDio1()
    {
        bool level;
        lock (_gate)
            level = (_irq & _irqMask & _dio1Mask) != 0;
        _gpio.DriveInput(_dio1Pin, level);
    }
}
