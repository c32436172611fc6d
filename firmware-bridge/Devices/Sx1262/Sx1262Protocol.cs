namespace DePin.Wireless.FirmwareBridge.Devices.Sx1262;

/// <summary>SX126x SPI command opcodes (SX1261/2 datasheet rev 2.1 section 11; Lora-net/sx126x_driver src/sx126x.c).</summary>
public static class Sx1262Opcode
{
    public const byte SetSleep = 0x84;
    public const byte SetStandby = 0x80;
    public const byte SetFs = 0xC1;
    public const byte SetTx = 0x83;
    public const byte SetRx = 0x82;
    public const byte SetPacketType = 0x8A;
    public const byte GetPacketType = 0x11;
    public const byte SetRfFrequency = 0x86;
    public const byte SetTxParams = 0x8E;
    public const byte SetPaConfig = 0x95;
    public const byte SetModulationParams = 0x8B;
    public const byte SetPacketParams = 0x8C;
    public const byte SetBufferBaseAddress = 0x8F;
    public const byte WriteBuffer = 0x0E;
    public const byte ReadBuffer = 0x1E;
    public const byte WriteRegister = 0x0D;
    public const byte ReadRegister = 0x1D;
    public const byte SetDioIrqParams = 0x08;
    public const byte GetIrqStatus = 0x12;
    public const byte ClearIrqStatus = 0x02;
    public const byte GetRxBufferStatus = 0x13;
    public const byte GetPacketStatus = 0x14;
    public const byte GetStatus = 0xC0;
    public const byte Calibrate = 0x89;
    public const byte CalibrateImage = 0x98;
    public const byte SetRegulatorMode = 0x96;
    public const byte SetDio2AsRfSwitchCtrl = 0x9D;
    public const byte SetDio3AsTcxoCtrl = 0x97;
    public const byte GetDeviceErrors = 0x17;
    public const byte ClearDeviceErrors = 0x07;

    public static string NameOf(byte opcode) => opcode switch
    {
        SetSleep => nameof(SetSleep),
        SetStandby => nameof(SetStandby),
        SetFs => nameof(SetFs),
        SetTx => nameof(SetTx),
        SetRx => nameof(SetRx),
        SetPacketType => nameof(SetPacketType),
        GetPacketType => nameof(GetPacketType),
        SetRfFrequency => nameof(SetRfFrequency),
        SetTxParams => nameof(SetTxParams),
        SetPaConfig => nameof(SetPaConfig),
        SetModulationParams => nameof(SetModulationParams),
        SetPacketParams => nameof(SetPacketParams),
        SetBufferBaseAddress => nameof(SetBufferBaseAddress),
        WriteBuffer => nameof(WriteBuffer),
        ReadBuffer => nameof(ReadBuffer),
        WriteRegister => nameof(WriteRegister),
        ReadRegister => nameof(ReadRegister),
        SetDioIrqParams => nameof(SetDioIrqParams),
        GetIrqStatus => nameof(GetIrqStatus),
        ClearIrqStatus => nameof(ClearIrqStatus),
        GetRxBufferStatus => nameof(GetRxBufferStatus),
        GetPacketStatus => nameof(GetPacketStatus),
        GetStatus => nameof(GetStatus),
        Calibrate => nameof(Calibrate),
        CalibrateImage => nameof(CalibrateImage),
        SetRegulatorMode => nameof(SetRegulatorMode),
        SetDio2AsRfSwitchCtrl => nameof(SetDio2AsRfSwitchCtrl),
        SetDio3AsTcxoCtrl => nameof(SetDio3AsTcxoCtrl),
        GetDeviceErrors => nameof(GetDeviceErrors),
        ClearDeviceErrors => nameof(ClearDeviceErrors),
        _ => $"0x{opcode:X2}",
    };
}

/// <summary>SX126x IRQ register bits (datasheet table 13-29).</summary>
[Flags]
public enum Sx1262Irq : ushort
{
    None = 0,
    TxDone = 0x001,
    RxDone = 0x002,
    PreambleDetected = 0x004,
    SyncWordValid = 0x008,
    HeaderValid = 0x010,
    HeaderError = 0x020,
    CrcError = 0x040,
    CadDone = 0x080,
    CadDetected = 0x100,
    Timeout = 0x200,
    All = 0x3FF,
}

/// <summary>GetDeviceErrors bits (datasheet table 13-85).</summary>
[Flags]
public enum Sx1262DeviceErrors : ushort
{
    None = 0,
    Rc64kCalibration = 0x001,
    Rc13mCalibration = 0x002,
    PllCalibration = 0x004,
    AdcCalibration = 0x008,
    ImageCalibration = 0x010,
    XoscStart = 0x020,
    PllLock = 0x040,
    PaRamp = 0x100,
}

/// <summary>SX126x register addresses used by the driver (datasheet table 12-1 and section 15 errata).</summary>
public static class Sx1262Register
{
    /// <summary>LoRa sync word, 2 bytes: 0x3444 public (LoRaWAN), 0x1424 private.</summary>
    public const ushort LoRaSyncWord = 0x0740;

    /// <summary>IQ polarity setup; bit 2 must be cleared with inverted IQ and set otherwise (datasheet 15.4).</summary>
    public const ushort IqPolarity = 0x0736;

    /// <summary>TX modulation quality workaround: bit 2 cleared for BW 500 kHz, set otherwise (datasheet 15.1).</summary>
    public const ushort TxModulation = 0x0889;
}

/// <summary>Chip mode field of the status byte, bits 6:4 (datasheet table 13-76).</summary>
public enum Sx1262ChipMode : byte
{
    Unused = 0,
    StandbyRc = 2,
    StandbyXosc = 3,
    FrequencySynthesis = 4,
    Receive = 5,
    Transmit = 6,
}

/// <summary>Command status field of the status byte, bits 3:1 (datasheet table 13-76).</summary>
public enum Sx1262CommandStatus : byte
{
    Reserved = 0,
    DataAvailable = 2,
    CommandTimeout = 3,
    CommandProcessingError = 4,
    FailureToExecute = 5,
    TxDone = 6,
}

/// <summary>The status byte every command clocks back first.</summary>
public readonly record struct Sx1262Status(byte Raw)
{
    public Sx1262ChipMode ChipMode => (Sx1262ChipMode)((Raw >> 4) & 0x7);

    public Sx1262CommandStatus CommandStatus => (Sx1262CommandStatus)((Raw >> 1) & 0x7);

    public static byte Encode(Sx1262ChipMode mode, Sx1262CommandStatus status) => (byte)(((byte)mode << 4) | ((byte)status << 1));

    public override string ToString() => $"0x{Raw:X2} ({ChipMode}, {CommandStatus})";
}
