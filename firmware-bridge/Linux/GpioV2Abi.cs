using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DePin.Wireless.FirmwareBridge.Linux;

// Mirrors of the GPIO character-device v2 uAPI (include/uapi/linux/gpio.h, Linux 5.10+).
// Sizes and offsets are asserted in tests against the values the kernel headers give
// (gpio_v2_line_request 592 bytes, fd @588; gpio_v2_line_config 272; gpio_v2_line_event 48).

/// <summary>GPIO_V2_LINE_FLAG_* (gpio.h enum gpio_v2_line_flag).</summary>
[Flags]
public enum GpioV2LineFlags : ulong
{
    None = 0,
    Used = 0x1,
    ActiveLow = 0x2,
    Input = 0x4,
    Output = 0x8,
    EdgeRising = 0x10,
    EdgeFalling = 0x20,
    OpenDrain = 0x40,
    OpenSource = 0x80,
    BiasPullUp = 0x100,
    BiasPullDown = 0x200,
    BiasDisabled = 0x400,
    EventClockRealtime = 0x800,
}

/// <summary>GPIO_V2_LINE_ATTR_ID_* (gpio.h enum gpio_v2_line_attr_id).</summary>
public enum GpioV2AttributeId : uint
{
    Flags = 1,
    OutputValues = 2,
    Debounce = 3,
}

/// <summary>GPIO_V2_LINE_EVENT_* (gpio.h enum gpio_v2_line_event_id).</summary>
public enum GpioV2EventId : uint
{
    RisingEdge = 1,
    FallingEdge = 2,
}

/// <summary>struct gpio_v2_line_attribute (16 bytes): id, padding, then a u64 union (flags / values / debounce_period_us).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
public struct GpioV2LineAttribute
{
    public GpioV2AttributeId Id;
    public uint Padding;
    public ulong Value;
}

/// <summary>struct gpio_v2_line_config_attribute (24 bytes): attribute + mask of the lines it applies to.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
public struct GpioV2LineConfigAttribute
{
    public GpioV2LineAttribute Attribute;
    public ulong Mask;
}

/// <summary>attrs[GPIO_V2_LINE_NUM_ATTRS_MAX = 10].</summary>
[InlineArray(GpioV2Abi.MaxAttributes)]
public struct GpioV2LineConfigAttributes
{
    private GpioV2LineConfigAttribute _element;
}

/// <summary>struct gpio_v2_line_config (272 bytes).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
public unsafe struct GpioV2LineConfig
{
    public GpioV2LineFlags Flags;
    public uint NumAttributes;
    public fixed uint Padding[5];
    public GpioV2LineConfigAttributes Attributes;
}

/// <summary>struct gpio_v2_line_request (592 bytes), the argument of GPIO_V2_GET_LINE_IOCTL.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
public unsafe struct GpioV2LineRequest
{
    public fixed uint Offsets[GpioV2Abi.MaxLines];
    public fixed byte Consumer[GpioV2Abi.MaxNameSize];
    public GpioV2LineConfig Config;
    public uint NumLines;
    public uint EventBufferSize;
    public fixed uint Padding[5];
    public int Fd;
}

/// <summary>struct gpio_v2_line_values (16 bytes): bit i is line i of the request; mask selects the lines affected.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
public struct GpioV2LineValues
{
    public ulong Bits;
    public ulong Mask;
}

/// <summary>struct gpio_v2_line_event (48 bytes), read(2) from a line-request fd with edge detection on.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
public unsafe struct GpioV2LineEvent
{
    public ulong TimestampNs;
    public GpioV2EventId Id;
    public uint Offset;
    public uint SequenceNumber;
    public uint LineSequenceNumber;
    public fixed uint Padding[6];
}

/// <summary>Limits and ioctl request numbers of the GPIO v2 uAPI ('0xB4' ioctl type).</summary>
public static class GpioV2Abi
{
    public const int MaxLines = 64;        // GPIO_V2_LINES_MAX
    public const int MaxNameSize = 32;     // GPIO_MAX_NAME_SIZE
    public const int MaxAttributes = 10;   // GPIO_V2_LINE_NUM_ATTRS_MAX
    private const char Type = (char)0xB4;

    /// <summary>GPIO_V2_GET_LINE_IOCTL = _IOWR(0xB4, 0x07, struct gpio_v2_line_request).</summary>
    public static readonly uint GetLineIoctl = IoctlRequest.ReadWrite(Type, 0x07, Unsafe.SizeOf<GpioV2LineRequest>());

    /// <summary>GPIO_V2_LINE_SET_CONFIG_IOCTL = _IOWR(0xB4, 0x0D, struct gpio_v2_line_config).</summary>
    public static readonly uint SetConfigIoctl = IoctlRequest.ReadWrite(Type, 0x0D, Unsafe.SizeOf<GpioV2LineConfig>());

    /// <summary>GPIO_V2_LINE_GET_VALUES_IOCTL = _IOWR(0xB4, 0x0E, struct gpio_v2_line_values).</summary>
    public static readonly uint GetValuesIoctl = IoctlRequest.ReadWrite(Type, 0x0E, Unsafe.SizeOf<GpioV2LineValues>());

    /// <summary>GPIO_V2_LINE_SET_VALUES_IOCTL = _IOWR(0xB4, 0x0F, struct gpio_v2_line_values).</summary>
    public static readonly uint SetValuesIoctl = IoctlRequest.ReadWrite(Type, 0x0F, Unsafe.SizeOf<GpioV2LineValues>());

    public static int EventSize => Unsafe.SizeOf<GpioV2LineEvent>();
}

/// <summary>Views a blittable uAPI struct as the bytes handed to ioctl(2).</summary>
public static class StructBytes
{
    public static Span<byte> Of<T>(ref T value) where T : unmanaged =>
        MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref value, 1));

    public static T Read<T>(ReadOnlySpan<byte> bytes) where T : unmanaged
    {
        if (bytes.Length < Unsafe.SizeOf<T>())
            throw new ArgumentException($"{typeof(T).Name} needs {Unsafe.SizeOf<T>()} bytes, got {bytes.Length}", nameof(bytes));
        return MemoryMarshal.Read<T>(bytes);
    }

    public static void Write<T>(Span<byte> bytes, in T value) where T : unmanaged =>
        MemoryMarshal.Write(bytes, in value);
}
