using System.Buffers.Binary;

namespace DePin.Wireless.NetworkServer.LoRaWan;

/// <summary>
/// A LoRaWAN 1.0.4 MAC command (§5, Table 4). The CID is shared by a request and its answer; which one a byte stream holds
/// follows from the direction of the frame that carries it. Each record knows its CID, direction and payload encoding.
/// </summary>
public abstract record MacCommand
{
    /// <summary>The command identifier (0x02..0x0D for the 1.0.4 commands implemented here).</summary>
    public abstract byte Cid { get; }

    /// <summary>Direction of the frame that carries this command: uplink for device-sent ones.</summary>
    public abstract Direction Direction { get; }

    /// <summary>Payload length after the CID byte.</summary>
    public abstract int PayloadLength { get; }

    public abstract void WritePayload(Span<byte> destination);

    /// <summary>Text form shows the command's fields only ("DevStatusAns { Battery = 255, Margin = 7 }"); CID and direction are implied by the name.</summary>
    protected virtual bool PrintMembers(System.Text.StringBuilder builder) => false;

    /// <summary>Frequencies in MAC commands are 24-bit little-endian multiples of 100 Hz (§5.6).</summary>
    internal static uint ReadFrequency(ReadOnlySpan<byte> b) => (uint)(b[0] | (b[1] << 8) | (b[2] << 16)) * 100u;

    internal static void WriteFrequency(Span<byte> b, uint hertz)
    {
        if (hertz % 100 != 0 || hertz / 100 > 0xFF_FFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(hertz), $"frequency {hertz} Hz is not a 24-bit multiple of 100 Hz");
        }

        var units = hertz / 100;
        b[0] = (byte)units;
        b[1] = (byte)(units >> 8);
        b[2] = (byte)(units >> 16);
    }

    internal static int Nibble(int value, string field) => value is >= 0 and <= 15
        ? value
        : throw new ArgumentOutOfRangeException(field, $"{field}: {value} does not fit in 4 bits");

    internal static int Signed6(int value, string field) => value is >= -32 and <= 31
        ? value
        : throw new ArgumentOutOfRangeException(field, $"{field}: {value} is outside the signed 6-bit range -32..31");

    internal static int Bits3(int value, string field) => value is >= 0 and <= 7
        ? value
        : throw new ArgumentOutOfRangeException(field, $"{field}: {value} does not fit in 3 bits");
}

/// <summary>Base for commands without payload.</summary>
public abstract record EmptyMacCommand : MacCommand
{
    public override int PayloadLength => 0;

    public override void WritePayload(Span<byte> destination)
    {
    }
}

/// <summary>0x02 up: the device asks for a link check.</summary>
public sealed record LinkCheckReq : EmptyMacCommand
{
    public override byte Cid => 0x02;

    public override Direction Direction => Direction.Uplink;
}

/// <summary>0x02 down: demodulation margin (dB above the demodulation floor, 0..254) and number of gateways that received the request.</summary>
public sealed record LinkCheckAns(byte Margin, byte GatewayCount) : MacCommand
{
    public override byte Cid => 0x02;

    public override Direction Direction => Direction.Downlink;

    public override int PayloadLength => 2;

    public override void WritePayload(Span<byte> d)
    {
        d[0] = Margin;
        d[1] = GatewayCount;
    }
}

/// <summary>0x03 down: DataRate_TXPower, ChMask (16 bits), Redundancy = ChMaskCntl(6..4) | NbTrans(3..0) (§5.3).</summary>
public sealed record LinkAdrReq(int DataRate, int TxPower, ushort ChannelMask, int ChannelMaskControl, int NbTrans) : MacCommand
{
    public override byte Cid => 0x03;

    public override Direction Direction => Direction.Downlink;

    public override int PayloadLength => 4;

    public override void WritePayload(Span<byte> d)
    {
        d[0] = (byte)((Nibble(DataRate, nameof(DataRate)) << 4) | Nibble(TxPower, nameof(TxPower)));
        BinaryPrimitives.WriteUInt16LittleEndian(d[1..3], ChannelMask);
        d[3] = (byte)((Bits3(ChannelMaskControl, nameof(ChannelMaskControl)) << 4) | Nibble(NbTrans, nameof(NbTrans)));
    }
}

/// <summary>0x03 up: Status = PowerACK(2) | DataRateACK(1) | ChannelMaskACK(0).</summary>
public sealed record LinkAdrAns(bool PowerAck, bool DataRateAck, bool ChannelMaskAck) : MacCommand
{
    public override byte Cid => 0x03;

    public override Direction Direction => Direction.Uplink;

    public override int PayloadLength => 1;

    public override void WritePayload(Span<byte> d) => d[0] = (byte)((PowerAck ? 4 : 0) | (DataRateAck ? 2 : 0) | (ChannelMaskAck ? 1 : 0));
}

/// <summary>0x04 down: MaxDCycle (3..0); aggregate duty cycle limit 1/2^MaxDCycle (§5.4).</summary>
public sealed record DutyCycleReq(int MaxDutyCycle) : MacCommand
{
    public override byte Cid => 0x04;

    public override Direction Direction => Direction.Downlink;

    public override int PayloadLength => 1;

    public override void WritePayload(Span<byte> d) => d[0] = (byte)Nibble(MaxDutyCycle, nameof(MaxDutyCycle));
}

/// <summary>0x04 up.</summary>
public sealed record DutyCycleAns : EmptyMacCommand
{
    public override byte Cid => 0x04;

    public override Direction Direction => Direction.Uplink;
}

/// <summary>0x05 down: DLSettings = RX1DRoffset(6..4) | RX2DataRate(3..0), then the RX2 frequency (§5.5).</summary>
public sealed record RxParamSetupReq(int Rx1DrOffset, int Rx2DataRate, uint FrequencyHz) : MacCommand
{
    public override byte Cid => 0x05;

    public override Direction Direction => Direction.Downlink;

    public override int PayloadLength => 4;

    public override void WritePayload(Span<byte> d)
    {
        d[0] = (byte)((Bits3(Rx1DrOffset, nameof(Rx1DrOffset)) << 4) | Nibble(Rx2DataRate, nameof(Rx2DataRate)));
        WriteFrequency(d[1..4], FrequencyHz);
    }
}

/// <summary>0x05 up: Status = RX1DRoffsetACK(2) | RX2DataRateACK(1) | ChannelACK(0).</summary>
public sealed record RxParamSetupAns(bool Rx1DrOffsetAck, bool Rx2DataRateAck, bool ChannelAck) : MacCommand
{
    public override byte Cid => 0x05;

    public override Direction Direction => Direction.Uplink;

    public override int PayloadLength => 1;

    public override void WritePayload(Span<byte> d) => d[0] = (byte)((Rx1DrOffsetAck ? 4 : 0) | (Rx2DataRateAck ? 2 : 0) | (ChannelAck ? 1 : 0));
}

/// <summary>0x06 down.</summary>
public sealed record DevStatusReq : EmptyMacCommand
{
    public override byte Cid => 0x06;

    public override Direction Direction => Direction.Downlink;
}

/// <summary>
/// 0x06 up: Battery (0 external power, 1..254 level, 255 unknown) and the SNR margin of the last DevStatusReq, a
/// signed 6-bit value −32..31 dB (§5.6).
/// </summary>
public sealed record DevStatusAns(byte Battery, int Margin) : MacCommand
{
    public override byte Cid => 0x06;

    public override Direction Direction => Direction.Uplink;

    public override int PayloadLength => 2;

    public override void WritePayload(Span<byte> d)
    {
        d[0] = Battery;
        d[1] = (byte)(Signed6(Margin, nameof(Margin)) & 0x3F);
    }
}

/// <summary>0x07 down: ChIndex, frequency (0 disables the channel), DrRange = MaxDR(7..4) | MinDR(3..0) (§5.7).</summary>
public sealed record NewChannelReq(byte ChannelIndex, uint FrequencyHz, int MinDataRate, int MaxDataRate) : MacCommand
{
    public override byte Cid => 0x07;

    public override Direction Direction => Direction.Downlink;

    public override int PayloadLength => 5;

    public override void WritePayload(Span<byte> d)
    {
        d[0] = ChannelIndex;
        WriteFrequency(d[1..4], FrequencyHz);
        d[4] = (byte)((Nibble(MaxDataRate, nameof(MaxDataRate)) << 4) | Nibble(MinDataRate, nameof(MinDataRate)));
    }
}

/// <summary>0x07 up: Status = DataRateRangeOK(1) | ChannelFrequencyOK(0).</summary>
public sealed record NewChannelAns(bool DataRateRangeOk, bool ChannelFrequencyOk) : MacCommand
{
    public override byte Cid => 0x07;

    public override Direction Direction => Direction.Uplink;

    public override int PayloadLength => 1;

    public override void WritePayload(Span<byte> d) => d[0] = (byte)((DataRateRangeOk ? 2 : 0) | (ChannelFrequencyOk ? 1 : 0));
}

/// <summary>0x08 down: Settings = Del(3..0), the RX1 delay in seconds (0 means 1 s) (§5.8).</summary>
public sealed record RxTimingSetupReq(int Delay) : MacCommand
{
    public override byte Cid => 0x08;

    public override Direction Direction => Direction.Downlink;

    public override int PayloadLength => 1;

    public override void WritePayload(Span<byte> d) => d[0] = (byte)Nibble(Delay, nameof(Delay));
}

/// <summary>0x08 up.</summary>
public sealed record RxTimingSetupAns : EmptyMacCommand
{
    public override byte Cid => 0x08;

    public override Direction Direction => Direction.Uplink;
}

/// <summary>0x09 down (1.0.2+): EIRP_DwellTime = DownlinkDwellTime(5) | UplinkDwellTime(4) | MaxEIRP index(3..0) (§5.9).</summary>
public sealed record TxParamSetupReq(bool DownlinkDwellTime, bool UplinkDwellTime, int MaxEirpIndex) : MacCommand
{
    public override byte Cid => 0x09;

    public override Direction Direction => Direction.Downlink;

    public override int PayloadLength => 1;

    public override void WritePayload(Span<byte> d) =>
        d[0] = (byte)((DownlinkDwellTime ? 0x20 : 0) | (UplinkDwellTime ? 0x10 : 0) | Nibble(MaxEirpIndex, nameof(MaxEirpIndex)));
}

/// <summary>0x09 up.</summary>
public sealed record TxParamSetupAns : EmptyMacCommand
{
    public override byte Cid => 0x09;

    public override Direction Direction => Direction.Uplink;
}

/// <summary>0x0A down (1.0.2+): ChIndex and the downlink (RX1) frequency for that channel (§5.10).</summary>
public sealed record DlChannelReq(byte ChannelIndex, uint FrequencyHz) : MacCommand
{
    public override byte Cid => 0x0A;

    public override Direction Direction => Direction.Downlink;

    public override int PayloadLength => 4;

    public override void WritePayload(Span<byte> d)
    {
        d[0] = ChannelIndex;
        WriteFrequency(d[1..4], FrequencyHz);
    }
}

/// <summary>0x0A up: Status = UplinkFrequencyExists(1) | ChannelFrequencyOK(0).</summary>
public sealed record DlChannelAns(bool UplinkFrequencyExists, bool ChannelFrequencyOk) : MacCommand
{
    public override byte Cid => 0x0A;

    public override Direction Direction => Direction.Uplink;

    public override int PayloadLength => 1;

    public override void WritePayload(Span<byte> d) => d[0] = (byte)((UplinkFrequencyExists ? 2 : 0) | (ChannelFrequencyOk ? 1 : 0));
}

/// <summary>0x0D up (1.0.3+): the device asks for the network time.</summary>
public sealed record DeviceTimeReq : EmptyMacCommand
{
    public override byte Cid => 0x0D;

    public override Direction Direction => Direction.Uplink;
}

/// <summary>0x0D down: seconds since the GPS epoch (32-bit LE) and a fraction in 1/256 s (§5.12).</summary>
public sealed record DeviceTimeAns(uint GpsSeconds, byte FractionalSecond) : MacCommand
{
    public override byte Cid => 0x0D;

    public override Direction Direction => Direction.Downlink;

    public override int PayloadLength => 5;

    public override void WritePayload(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(d[..4], GpsSeconds);
        d[4] = FractionalSecond;
    }
}
