using System.Runtime.CompilerServices;
using DePin.Wireless.FirmwareBridge.Linux;

namespace DePin.Wireless.FirmwareBridge.Tests.Fakes;

/// <summary>A device on the far side of the SPI bus: one call per chip-select frame.</summary>
public interface ISpiPeripheral
{
    void Transfer(ReadOnlySpan<byte> mosi, Span<byte> miso);
}

/// <summary>One chip-select-framed exchange as it crossed the bus.</summary>
public sealed record SpiFrame(byte[] Mosi, byte[] Miso);

/// <summary>
/// spidev at the ioctl boundary: applies SPI_IOC_WR_* settings and decodes SPI_IOC_MESSAGE(n) arrays of
/// spi_ioc_transfer, reading tx_buf and writing rx_buf through their user-space addresses as the kernel does.
/// Consecutive transfers share one chip-select frame unless cs_change is set (spidev semantics).
/// </summary>
public sealed class FakeSpidev : IFakeFile
{
    private readonly ISpiPeripheral _peripheral;
    private readonly Lock _gate = new();
    private readonly List<SpiFrame> _frames = [];

    private readonly byte _requiredMode;
    private readonly uint _maxClockHz;

    /// <param name="requiredMode">SPI mode the peripheral samples in (SX126x/SX127x: mode 0, CPOL=0 CPHA=0).</param>
    /// <param name="maxClockHz">Fastest clock the peripheral follows (SX1262 16 MHz, SX1276 10 MHz).</param>
    public FakeSpidev(ISpiPeripheral peripheral, byte requiredMode = 0, uint maxClockHz = 10_000_000)
    {
        _peripheral = peripheral;
        _requiredMode = requiredMode;
        _maxClockHz = maxClockHz;
    }

    /// <summary>Frames the peripheral could not decode because of a wrong mode or too fast a clock.</summary>
    public int GarbledFrames { get; private set; }

    public byte Mode { get; private set; }
    public byte BitsPerWord { get; private set; }
    public uint MaxSpeedHz { get; private set; }
    public List<uint> TransferSpeeds { get; } = [];

    public IReadOnlyList<SpiFrame> Frames
    {
        get
        {
            lock (_gate)
                return [.. _frames];
        }
    }

    public void ClearFrames()
    {
        lock (_gate)
            _frames.Clear();
    }

    public int Ioctl(uint request, Span<byte> argument)
    {
        if (request == SpidevAbi.WriteMode)
            Mode = argument[0];
        else if (request == SpidevAbi.WriteBitsPerWord)
            BitsPerWord = argument[0] is 0 or 8 ? argument[0] : throw new InvalidOperationException("fake spidev supports 8-bit words only");
        else if (request == SpidevAbi.WriteMaxSpeedHz)
            MaxSpeedHz = StructBytes.Read<uint>(argument);
        else if (SpidevAbi.IsMessage(request, out var count))
            return Message(argument, count);
        else
            return -LinuxIoException.ENOTTY;
        return 0;
    }

    private unsafe int Message(Span<byte> argument, int count)
    {
        var size = Unsafe.SizeOf<SpiIocTransfer>();
        var mosi = new List<byte>();
        var total = 0;
        var garbled = false;
        for (var i = 0; i < count; i++)
        {
            var transfer = StructBytes.Read<SpiIocTransfer>(argument[(i * size)..]);
            if (transfer.Length == 0 || transfer.RxBuffer == 0 && transfer.TxBuffer == 0)
                return -LinuxIoException.EINVAL;
            lock (_gate)
                TransferSpeeds.Add(transfer.SpeedHz);
            garbled |= (Mode & 0x03) != _requiredMode || (transfer.SpeedHz == 0 ? MaxSpeedHz : transfer.SpeedHz) > _maxClockHz;
            var tx = transfer.TxBuffer == 0 ? new byte[transfer.Length] : new ReadOnlySpan<byte>((void*)transfer.TxBuffer, (int)transfer.Length).ToArray();
            mosi.AddRange(tx);
            total += (int)transfer.Length;
            var lastOfFrame = i == count - 1 || transfer.ChipSelectChange != 0;
            if (lastOfFrame)
            {
                var miso = garbled ? Garbled(mosi.Count) : Frame(mosi.ToArray());
                garbled = false;
                CopyBack(argument, size, miso, i);
                mosi.Clear();
            }
        }
        return total;
    }

    /// <summary>Writes the MISO bytes of a frame back into the rx_buf of each transfer that formed it.</summary>
    private static unsafe void CopyBack(Span<byte> argument, int size, byte[] miso, int lastIndex)
    {
        var end = miso.Length;
        for (var i = lastIndex; i >= 0 && end > 0; i--)
        {
            var transfer = StructBytes.Read<SpiIocTransfer>(argument[(i * size)..]);
            var start = end - (int)transfer.Length;
            if (transfer.RxBuffer != 0)
                miso.AsSpan(start, (int)transfer.Length).CopyTo(new Span<byte>((void*)transfer.RxBuffer, (int)transfer.Length));
            end = start;
            if (i > 0 && StructBytes.Read<SpiIocTransfer>(argument[((i - 1) * size)..]).ChipSelectChange != 0)
                break;
        }
    }

    /// <summary>Wrong clock phase/polarity or speed: the peripheral sees noise and MISO floats high.</summary>
    private byte[] Garbled(int length)
    {
        GarbledFrames++;
        return Enumerable.Repeat((byte)0xFF, length).ToArray();
    }

    private byte[] Frame(byte[] mosi)
    {
        var miso = new byte[mosi.Length];
        _peripheral.Transfer(mosi, miso);
        lock (_gate)
            _frames.Add(new SpiFrame(mosi, miso));
        return miso;
    }

    public int Read(Span<byte> buffer) => -LinuxIoException.EINVAL;

    public bool PollReadable(int timeoutMilliseconds) => false;

    public void Close()
    {
    }
}
