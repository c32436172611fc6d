namespace DePin.Wireless.FirmwareBridge.Devices.Sx1276;

/// <summary>SX1276 LoRa-mode register addresses (SX1276/77/78/79 datasheet rev 7 table 41; LoRaMac-node sx1276Regs-LoRa.h).</summary>
public static class Sx1276Register
{
    public const byte Fifo = 0x00;
    public const byte OpMode = 0x01;
    public const byte FrfMsb = 0x06;
    public const byte FrfMid = 0x07;
    public const byte FrfLsb = 0x08;
    public const byte PaConfig = 0x09;
    public const byte PaRamp = 0x0A;
    public const byte Ocp = 0x0B;
    public const byte Lna = 0x0C;
    public const byte FifoAddrPtr = 0x0D;
    public const byte FifoTxBaseAddr = 0x0E;
    public const byte FifoRxBaseAddr = 0x0F;
    public const byte FifoRxCurrentAddr = 0x10;
    public const byte IrqFlagsMask = 0x11;
    public const byte IrqFlags = 0x12;
    public const byte RxNbBytes = 0x13;
    public const byte PktSnrValue = 0x19;
    public const byte PktRssiValue = 0x1A;
    public const byte HopChannel = 0x1C;
    public const byte ModemConfig1 = 0x1D;
    public const byte ModemConfig2 = 0x1E;
    public const byte PreambleMsb = 0x20;
    public const byte PreambleLsb = 0x21;
    public const byte PayloadLength = 0x22;
    public const byte MaxPayloadLength = 0x23;
    public const byte ModemConfig3 = 0x26;
    public const byte InvertIq = 0x33;
    public const byte SyncWord = 0x39;
    public const byte InvertIq2 = 0x3B;
    public const byte DioMapping1 = 0x40;
    public const byte Version = 0x42;
    public const byte PaDac = 0x4D;

    /// <summary>Address bit 7 selects a write access (datasheet 4.3 "SPI Interface").</summary>
    public const byte WriteFlag = 0x80;

    /// <summary>RegVersion of an SX1276 (silicon revision 1.2).</summary>
    public const byte ExpectedVersion = 0x12;
}

/// <summary>RegIrqFlags bits; write 1 to clear (datasheet table 41).</summary>
[Flags]
public enum Sx1276Irq : byte
{
    None = 0,
    CadDetected = 0x01,
    FhssChangeChannel = 0x02,
    CadDone = 0x04,
    TxDone = 0x08,
    ValidHeader = 0x10,
    PayloadCrcError = 0x20,
    RxDone = 0x40,
    RxTimeout = 0x80,
}

/// <summary>RegOpMode: bit 7 LongRangeMode (LoRa), bits 2:0 the transceiver mode.</summary>
public static class Sx1276OpMode
{
    public const byte LongRangeMode = 0x80;
    public const byte ModeMask = 0x07;
    public const byte Sleep = 0x00;
    public const byte Standby = 0x01;
    public const byte FsTx = 0x02;
    public const byte Transmit = 0x03;
    public const byte FsRx = 0x04;
    public const byte ReceiveContinuous = 0x05;
    public const byte ReceiveSingle = 0x06;
    public const byte Cad = 0x07;
}

/// <summary>RegDioMapping1 bits 7:6 select what DIO0 signals in LoRa mode.</summary>
public static class Sx1276Dio0
{
    public const byte RxDone = 0x00;
    public const byte TxDone = 0x40;
    public const byte CadDone = 0x80;
}
