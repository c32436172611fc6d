using DePin.Wireless.FirmwareBridge.Devices.Sx1276;

namespace DePin.Wireless.FirmwareBridge.Tests.Fakes;

/// <summary>
/// Register-level model of an SX1276 in LoRa mode (datasheet rev 7): register file with reset values,
/// address auto-increment, 256-byte FIFO walked by FifoAddrPtr, RX packets placed one after another from
/// FifoRxBaseAddr with FifoRxCurrentAddr/RxNbBytes, RegIrqFlags (write-1-to-clear, masked by RegIrqFlagsMask),
/// DIO0 per RegDioMapping1, OpMode with LongRangeMode changeable only in Sleep, automatic Standby after TxDone.
/// </summary>
public sealed class FakeSx1276 : ISpiPeripheral
{
    private readonly FakeGpioChip _gpio;
    private readonly int _resetPin, _dio0Pin;
    private readonly Lock _gate = new();
    private readonly byte[] _registers = new byte[0x80];
    private readonly byte[] _fifo = new byte[256];
    private readonly List<(byte Address, bool Write, byte[] Data)> _accesses = [];
    private readonly List<string> _violations = [];
    private readonly List<FakeAirFrame> _transmitted = [];
    private bool _inReset;
    private byte _rxWritePointer;

    public FakeSx1276(FakeGpioChip gpio, int resetPin, int dio0Pin, TimeProvider? time = null)
    {
        _gpio = gpio;
        _resetPin = resetPin;
        _dio0Pin = dio0Pin;
        Time = time ?? TimeProvider.System;
        gpio.HostDrove += OnHostDrove;
        PowerOn();
    }

    public TimeProvider Time { get; }

    public FakeTxBehaviour TxBehaviour { get; set; } = FakeTxBehaviour.Complete;

    /// <summary>Fault injection: the chip is absent/unpowered, MISO reads 0x00.</summary>
    public bool Absent { get; set; }

    public int ResetCount { get; private set; }

    public IReadOnlyList<(byte Address, bool Write, byte[] Data)> Accesses { get { lock (_gate) return [.. _accesses]; } }

    public IReadOnlyList<string> ProtocolViolations { get { lock (_gate) return [.. _violations]; } }

    public IReadOnlyList<FakeAirFrame> Transmitted { get { lock (_gate) return [.. _transmitted]; } }

    public byte Register(byte address) { lock (_gate) return _registers[address]; }

    public byte Mode => (byte)(Register(Sx1276Register.OpMode) & Sx1276OpMode.ModeMask);

    public bool LoRaMode => (Register(Sx1276Register.OpMode) & Sx1276OpMode.LongRangeMode) != 0;

    public void ClearLog()
    {
        lock (_gate)
            _accesses.Clear();
    }

    private void PowerOn()
    {
        Array.Clear(_registers);
        Array.Clear(_fifo);
        // Reset values from datasheet rev 7 table 41 (LoRa column where it differs from FSK).
        _registers[Sx1276Register.OpMode] = 0x09;
        _registers[Sx1276Register.FrfMsb] = 0x6C;
        _registers[Sx1276Register.FrfMid] = 0x80;
        _registers[Sx1276Register.PaConfig] = 0x4F;
        _registers[Sx1276Register.PaRamp] = 0x09;
        _registers[Sx1276Register.Ocp] = 0x2B;
        _registers[Sx1276Register.Lna] = 0x20;
        _registers[Sx1276Register.FifoTxBaseAddr] = 0x80;
        _registers[Sx1276Register.ModemConfig1] = 0x72;
        _registers[Sx1276Register.ModemConfig2] = 0x70;
        _registers[Sx1276Register.PreambleLsb] = 0x08;
        _registers[Sx1276Register.PayloadLength] = 0x01;
        _registers[Sx1276Register.MaxPayloadLength] = 0xFF;
        _registers[Sx1276Register.InvertIq] = 0x27;
        _registers[Sx1276Register.SyncWord] = 0x12;
        _registers[Sx1276Register.InvertIq2] = 0x1D;
        _registers[Sx1276Register.Version] = Sx1276Register.ExpectedVersion;
        _registers[Sx1276Register.PaDac] = 0x84;
        UpdateDio0();
    }

    public void Transfer(ReadOnlySpan<byte> mosi, Span<byte> miso)
    {
        lock (_gate)
        {
            miso.Clear();
            if (_inReset || Absent)
            {
                if (_inReset)
                    _violations.Add($"SPI access to 0x{mosi[0] & 0x7F:X2} while NRESET is low");
                return;
            }
            var address = (byte)(mosi[0] & 0x7F);
            var write = (mosi[0] & Sx1276Register.WriteFlag) != 0;
            _accesses.Add((address, write, write ? mosi[1..].ToArray() : new byte[mosi.Length - 1]));
            for (var i = 1; i < mosi.Length; i++)
            {
                var target = address == Sx1276Register.Fifo ? address : (byte)(address + i - 1);
                if (write)
                    WriteRegister(target, mosi[i]);
                else
                    miso[i] = ReadRegister(target);
            }
        }
        UpdateDio0();
    }

    private byte ReadRegister(byte address)
    {
        if (address != Sx1276Register.Fifo)
            return _registers[address & 0x7F];
        var value = _fifo[_registers[Sx1276Register.FifoAddrPtr]];
        _registers[Sx1276Register.FifoAddrPtr]++;
        return value;
    }

    private void WriteRegister(byte address, byte value)
    {
        switch (address)
        {
            case Sx1276Register.Fifo:
                if ((_registers[Sx1276Register.OpMode] & Sx1276OpMode.ModeMask) == Sx1276OpMode.Sleep)
                    _violations.Add("FIFO written in Sleep mode (the FIFO is only accessible in Standby and above)");
                _fifo[_registers[Sx1276Register.FifoAddrPtr]++] = value;
                return;
            case Sx1276Register.OpMode:
                WriteOpMode(value);
                return;
            case Sx1276Register.IrqFlags:
                _registers[Sx1276Register.IrqFlags] &= (byte)~value;
                return;
            case Sx1276Register.Version or Sx1276Register.FifoRxCurrentAddr or Sx1276Register.RxNbBytes
                or Sx1276Register.PktSnrValue or Sx1276Register.PktRssiValue or Sx1276Register.HopChannel:
                _violations.Add($"write to read-only register 0x{address:X2}");
                return;
        }
        if (address is >= 0x0D and <= 0x3F && !LoRaModeLocked())
            _violations.Add($"LoRa register 0x{address:X2} written while in FSK mode");
        _registers[address] = value;
    }

    private bool LoRaModeLocked() => (_registers[Sx1276Register.OpMode] & Sx1276OpMode.LongRangeMode) != 0;

    private void WriteOpMode(byte value)
    {
        var current = _registers[Sx1276Register.OpMode];
        var sleeping = (current & Sx1276OpMode.ModeMask) == Sx1276OpMode.Sleep;
        if (((current ^ value) & Sx1276OpMode.LongRangeMode) != 0 && !sleeping)
        {
            _violations.Add($"LongRangeMode changed outside Sleep (RegOpMode 0x{current:X2} -> 0x{value:X2}); ignored");
            value = (byte)(value & ~Sx1276OpMode.LongRangeMode | current & Sx1276OpMode.LongRangeMode);
        }
        _registers[Sx1276Register.OpMode] = value;
        var mode = value & Sx1276OpMode.ModeMask;
        if (mode == Sx1276OpMode.Sleep)
            Array.Clear(_fifo); // FIFO is cleared in Sleep (datasheet 4.1.2.3)
        if (mode is Sx1276OpMode.ReceiveContinuous or Sx1276OpMode.ReceiveSingle)
            _rxWritePointer = _registers[Sx1276Register.FifoRxBaseAddr];
        if (mode == Sx1276OpMode.Transmit && LoRaModeLocked())
            Transmit();
    }

    private void Transmit()
    {
        if (TxBehaviour != FakeTxBehaviour.Complete)
            return; // stays in TX; no TxDone (the SX1276 has no TX timeout of its own)
        var length = _registers[Sx1276Register.PayloadLength];
        var start = _registers[Sx1276Register.FifoTxBaseAddr];
        var payload = new byte[length];
        for (var i = 0; i < length; i++)
            payload[i] = _fifo[(byte)(start + i)];
        var config1 = _registers[Sx1276Register.ModemConfig1];
        var config2 = _registers[Sx1276Register.ModemConfig2];
        _transmitted.Add(new FakeAirFrame(payload, CurrentFrequencyHz(), config2 >> 4, BandwidthHz(config1 >> 4), config1 >> 1 & 0x7,
            InvertIq: (_registers[Sx1276Register.InvertIq] & 0x01) == 0 && _registers[Sx1276Register.InvertIq2] == 0x19,
            CrcOn: (config2 & 0x04) != 0,
            PreambleLength: _registers[Sx1276Register.PreambleMsb] << 8 | _registers[Sx1276Register.PreambleLsb],
            PowerDbm: OutputPowerDbm(),
            SyncWord: _registers[Sx1276Register.SyncWord],
            TimestampTicks: Time.GetTimestamp()));
        RaiseIrq(Sx1276Irq.TxDone);
        _registers[Sx1276Register.OpMode] = (byte)(_registers[Sx1276Register.OpMode] & ~Sx1276OpMode.ModeMask | Sx1276OpMode.Standby);
    }

    /// <summary>Datasheet 5.4.2/5.4.3: PA_BOOST Pout = 17-(15-OutputPower), +3 dB with PaDac 0x87; RFO Pout = Pmax-(15-OutputPower).</summary>
    private int OutputPowerDbm()
    {
        var pa = _registers[Sx1276Register.PaConfig];
        var outputPower = pa & 0x0F;
        if ((pa & 0x80) == 0)
            return (int)Math.Round(10.8 + 0.6 * (pa >> 4 & 0x7) - (15 - outputPower));
        return (_registers[Sx1276Register.PaDac] == 0x87 ? 20 : 17) - (15 - outputPower);
    }

    /// <summary>A frame arrives over the air. Returns false when the chip is not listening on that channel.</summary>
    public bool Receive(byte[] payload, long frequencyHz, int spreadingFactor, int bandwidthHz, byte packetRssi, sbyte packetSnrQuarterDb,
        bool crcOk = true, bool crcPresent = true, bool invertIq = false, byte syncWord = 0x34)
    {
        lock (_gate)
        {
            var mode = _registers[Sx1276Register.OpMode] & Sx1276OpMode.ModeMask;
            var rxInverted = (_registers[Sx1276Register.InvertIq] & 0x40) != 0;
            if (!LoRaModeLocked() || mode is not (Sx1276OpMode.ReceiveContinuous or Sx1276OpMode.ReceiveSingle)
                || Math.Abs(frequencyHz - CurrentFrequencyHz()) > 100 || spreadingFactor != _registers[Sx1276Register.ModemConfig2] >> 4
                || bandwidthHz != BandwidthHz(_registers[Sx1276Register.ModemConfig1] >> 4) || invertIq != rxInverted
                || syncWord != _registers[Sx1276Register.SyncWord])
                return false;
            var start = _rxWritePointer;
            foreach (var b in payload)
                _fifo[_rxWritePointer++] = b;
            _registers[Sx1276Register.FifoRxCurrentAddr] = start;
            _registers[Sx1276Register.RxNbBytes] = (byte)payload.Length;
            _registers[Sx1276Register.PktSnrValue] = (byte)packetSnrQuarterDb;
            _registers[Sx1276Register.PktRssiValue] = packetRssi;
            _registers[Sx1276Register.HopChannel] = (byte)(crcPresent ? 0x40 : 0x00);
            RaiseIrq(Sx1276Irq.ValidHeader | Sx1276Irq.RxDone | (crcOk ? Sx1276Irq.None : Sx1276Irq.PayloadCrcError));
            if (mode == Sx1276OpMode.ReceiveSingle)
                _registers[Sx1276Register.OpMode] = (byte)(_registers[Sx1276Register.OpMode] & ~Sx1276OpMode.ModeMask | Sx1276OpMode.Standby);
        }
        UpdateDio0();
        return true;
    }

    public long CurrentFrequencyHz() =>
        Sx1276Encoding.FrequencyHz(_registers[Sx1276Register.FrfMsb], _registers[Sx1276Register.FrfMid], _registers[Sx1276Register.FrfLsb]);

    private void RaiseIrq(Sx1276Irq irq) =>
        _registers[Sx1276Register.IrqFlags] |= (byte)((byte)irq & ~_registers[Sx1276Register.IrqFlagsMask]);

    private static int BandwidthHz(int code) => code switch
    {
        6 => 62_500,
        7 => 125_000,
        8 => 250_000,
        9 => 500_000,
        _ => 0,
    };

    private void OnHostDrove(int offset, bool level)
    {
        if (offset != _resetPin)
            return;
        lock (_gate)
        {
            if (!level)
            {
                _inReset = true;
                return;
            }
            if (!_inReset)
                return;
            _inReset = false;
            ResetCount++;
            PowerOn();
        }
    }

    private void UpdateDio0()
    {
        bool level;
        lock (_gate)
        {
            var flags = (Sx1276Irq)_registers[Sx1276Register.IrqFlags];
            level = (_registers[Sx1276Register.DioMapping1] & 0xC0) switch
            {
                Sx1276Dio0.RxDone => flags.HasFlag(Sx1276Irq.RxDone),
                Sx1276Dio0.TxDone => flags.HasFlag(Sx1276Irq.TxDone),
                Sx1276Dio0.CadDone => flags.HasFlag(Sx1276Irq.CadDone),
                _ => false,
            };
        }
        _gpio.DriveInput(_dio0Pin, level);
    }
}
