using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DePin.Wireless.FirmwareBridge.Linux;

/// <summary>SPI_MODE bits (include/uapi/linux/spi/spi.h).</summary>
[Flags]
public enum SpiModeFlags : byte
{
    Mode0 = 0,
    ClockPhase = 0x01,       // SPI_CPHA
    ClockPolarity = 0x02,    // SPI_CPOL
    ChipSelectHigh = 0x04,   // SPI_CS_HIGH
    LsbFirst = 0x08,         // SPI_LSB_FIRST
    NoChipSelect = 0x40,     // SPI_NO_CS
}

/// <summary>Bus settings applied once after opening a spidev node.</summary>
public sealed record SpiSettings
{
    public SpiModeFlags Mode { get; init; } = SpiModeFlags.Mode0;

    /// <summary>2 MHz, the rate Semtech's sx1302_hal uses (libloragw/inc/loragw_spi.h SPI_SPEED).</summary>
    public uint MaxSpeedHz { get; init; } = 2_000_000;

    public byte BitsPerWord { get; init; } = 8;
}

/// <summary>struct spi_ioc_transfer (32 bytes, include/uapi/linux/spi/spidev.h).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
public struct SpiIocTransfer
{
    public ulong TxBuffer;
    public ulong RxBuffer;
    public uint Length;
    public uint SpeedHz;
    public ushort DelayMicroseconds;
    public byte BitsPerWord;
    public byte ChipSelectChange;
    public byte TxBitCount;
    public byte RxBitCount;
    public byte WordDelayMicroseconds;
    public byte Padding;
}

/// <summary>spidev ioctl request numbers ('k' ioctl type).</summary>
public static class SpidevAbi
{
    private const char Type = 'k';

    /// <summary>SPI_IOC_MESSAGE(n) = _IOW('k', 0, char[n * sizeof(spi_ioc_transfer)]).</summary>
    public static uint Message(int transferCount)
    {
        if (transferCount < 1)
            throw new ArgumentOutOfRangeException(nameof(transferCount), transferCount, "an SPI message has at least one transfer");
        return IoctlRequest.Write(Type, 0, transferCount * Unsafe.SizeOf<SpiIocTransfer>());
    }

    /// <summary>SPI_IOC_WR_MODE = _IOW('k', 1, __u8).</summary>
    public static readonly uint WriteMode = IoctlRequest.Write(Type, 1, sizeof(byte));

    /// <summary>SPI_IOC_RD_MODE = _IOR('k', 1, __u8).</summary>
    public static readonly uint ReadMode = IoctlRequest.Read(Type, 1, sizeof(byte));

    /// <summary>SPI_IOC_WR_BITS_PER_WORD = _IOW('k', 3, __u8).</summary>
    public static readonly uint WriteBitsPerWord = IoctlRequest.Write(Type, 3, sizeof(byte));

    /// <summary>SPI_IOC_WR_MAX_SPEED_HZ = _IOW('k', 4, __u32).</summary>
    public static readonly uint WriteMaxSpeedHz = IoctlRequest.Write(Type, 4, sizeof(uint));

    /// <summary>True when <paramref name="request"/> is some SPI_IOC_MESSAGE(n); n is returned.</summary>
    public static bool IsMessage(uint request, out int transferCount)
    {
        transferCount = 0;
        if (IoctlRequest.TypeOf(request) != Type || IoctlRequest.NumberOf(request) != 0 || request >> 30 != IoctlRequest.DirectionWrite)
            return false;
        var size = IoctlRequest.SizeOf(request);
        if (size == 0 || size % Unsafe.SizeOf<SpiIocTransfer>() != 0)
            return false;
        transferCount = size / Unsafe.SizeOf<SpiIocTransfer>();
        return true;
    }
}

/// <summary>An SPI peripheral on one chip select.</summary>
public interface ISpiDevice : IDisposable
{
    /// <summary>
    /// One chip-select-framed full-duplex transfer: <paramref name="transmit"/> is clocked out while the same
    /// number of bytes is clocked into <paramref name="receive"/>.
    /// </summary>
    void TransferFullDuplex(ReadOnlySpan<byte> transmit, Span<byte> receive);
}

/// <summary>An spidev node (/dev/spidevB.C) driven with SPI_IOC_MESSAGE(1).</summary>
public sealed class SpiDevice : ISpiDevice
{
    private readonly ILinuxIoctl _io;
    private readonly SpiSettings _settings;
    private int _fd;

    private SpiDevice(ILinuxIoctl io, int fd, SpiSettings settings)
    {
        _io = io;
        _fd = fd;
        _settings = settings;
    }

    /// <summary>Opens and configures the device (mode, bits per word, max speed).</summary>
    public static SpiDevice Open(ILinuxIoctl io, string path, SpiSettings settings)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.MaxSpeedHz == 0)
            throw new ArgumentException("SpiSettings.MaxSpeedHz must be > 0", nameof(settings));
        var fd = io.Open(path, LinuxOpenFlags.ReadWrite | LinuxOpenFlags.CloseOnExec);
        try
        {
            Span<byte> mode = [(byte)settings.Mode];
            io.Ioctl(fd, SpidevAbi.WriteMode, mode);
            Span<byte> bits = [settings.BitsPerWord];
            io.Ioctl(fd, SpidevAbi.WriteBitsPerWord, bits);
            var speed = settings.MaxSpeedHz;
            io.Ioctl(fd, SpidevAbi.WriteMaxSpeedHz, StructBytes.Of(ref speed));
            return new SpiDevice(io, fd, settings);
        }
        catch
        {
            io.Close(fd);
            throw;
        }
    }

    public unsafe void TransferFullDuplex(ReadOnlySpan<byte> transmit, Span<byte> receive)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        if (transmit.Length != receive.Length)
            throw new ArgumentException($"receive buffer has {receive.Length} bytes but transmit has {transmit.Length}", nameof(receive));
        if (transmit.IsEmpty)
            throw new ArgumentException("an SPI transfer needs at least one byte", nameof(transmit));
        fixed (byte* tx = transmit)
        fixed (byte* rx = receive)
        {
            var transfer = new SpiIocTransfer
            {
                TxBuffer = (ulong)tx,
                RxBuffer = (ulong)rx,
                Length = (uint)transmit.Length,
                SpeedHz = _settings.MaxSpeedHz,
                BitsPerWord = _settings.BitsPerWord,
            };
            _io.Ioctl(_fd, SpidevAbi.Message(1), StructBytes.Of(ref transfer));
        }
    }

    public void Dispose()
    {
        if (_fd < 0)
            return;
        _io.Close(_fd);
        _fd = -1;
    }
}
