namespace DePin.Wireless.FirmwareBridge.Linux;

/// <summary>
/// The asm-generic ioctl request encoding (include/uapi/asm-generic/ioctl.h), used by arm64, armhf
/// and x86-64: bits 0-7 number, 8-15 type, 16-29 argument size, 30-31 direction.
/// </summary>
public static class IoctlRequest
{
    public const uint DirectionNone = 0, DirectionWrite = 1, DirectionRead = 2;
    private const int NumberShift = 0, TypeShift = 8, SizeShift = 16, DirectionShift = 30;
    private const int MaxSize = (1 << 14) - 1;

    /// <summary>_IOC(dir, type, nr, size).</summary>
    public static uint Encode(uint direction, char type, byte number, int size)
    {
        if (size is < 0 or > MaxSize)
            throw new ArgumentOutOfRangeException(nameof(size), size, "ioctl argument size must fit in 14 bits");
        return (direction << DirectionShift) | ((uint)size << SizeShift) | ((uint)(byte)type << TypeShift) | ((uint)number << NumberShift);
    }

    /// <summary>_IOR: the kernel writes the argument.</summary>
    public static uint Read(char type, byte number, int size) => Encode(DirectionRead, type, number, size);

    /// <summary>_IOW: the kernel reads the argument.</summary>
    public static uint Write(char type, byte number, int size) => Encode(DirectionWrite, type, number, size);

    /// <summary>_IOWR: both.</summary>
    public static uint ReadWrite(char type, byte number, int size) => Encode(DirectionRead | DirectionWrite, type, number, size);

    public static int SizeOf(uint request) => (int)((request >> SizeShift) & MaxSize);

    public static byte NumberOf(uint request) => (byte)(request >> NumberShift);

    public static char TypeOf(uint request) => (char)(byte)(request >> TypeShift);
}
