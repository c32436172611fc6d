using System.Text;

namespace DePin.Wireless.FirmwareBridge.Linux;

/// <summary>
/// A GPIO chip driven through the kernel's character-device v2 uAPI: GPIO_V2_GET_LINE_IOCTL on the
/// chip fd returns a line-request fd, on which values are read/written and edge events are read.
/// </summary>
public sealed class GpioChip : IGpioChip
{
    private readonly ILinuxIoctl _io;
    private readonly TimeProvider _time;
    private readonly string _path;
    private int _fd;

    private GpioChip(ILinuxIoctl io, TimeProvider time, string path, int fd)
    {
        _io = io;
        _time = time;
        _path = path;
        _fd = fd;
    }

    /// <summary>Opens a chip, e.g. "/dev/gpiochip0" (on Pi 3/4 the line offsets equal BCM GPIO numbers).</summary>
    public static GpioChip Open(ILinuxIoctl io, string path, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(io);
        var fd = io.Open(path, LinuxOpenFlags.ReadWrite | LinuxOpenFlags.CloseOnExec);
        return new GpioChip(io, time ?? TimeProvider.System, path, fd);
    }

    public IGpioLine RequestOutput(int offset, bool initialValue, string consumer)
    {
        var request = GpioLineRequestBuilder.Build(offset, consumer, GpioV2LineFlags.Output);
        GpioLineRequestBuilder.AddOutputValue(ref request, initialValue);
        return Request(ref request, offset);
    }

    public IGpioLine RequestInput(int offset, GpioEdge edge, GpioBias bias, string consumer)
    {
        var flags = GpioV2LineFlags.Input | EdgeFlags(edge) | BiasFlags(bias);
        var request = GpioLineRequestBuilder.Build(offset, consumer, flags);
        return Request(ref request, offset);
    }

    private GpioLine Request(ref GpioV2LineRequest request, int offset)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        _io.Ioctl(_fd, GpioV2Abi.GetLineIoctl, StructBytes.Of(ref request));
        if (request.Fd < 0)
            throw new LinuxIoException("GPIO_V2_GET_LINE_IOCTL", $"{_path} line {offset}", LinuxIoException.EIO);
        return new GpioLine(_io, _time, request.Fd, offset);
    }

    private static GpioV2LineFlags EdgeFlags(GpioEdge edge) => edge switch
    {
        GpioEdge.None => GpioV2LineFlags.None,
        GpioEdge.Rising => GpioV2LineFlags.EdgeRising,
        GpioEdge.Falling => GpioV2LineFlags.EdgeFalling,
        GpioEdge.Both => GpioV2LineFlags.EdgeRising | GpioV2LineFlags.EdgeFalling,
        _ => throw new ArgumentOutOfRangeException(nameof(edge), edge, "unknown edge selection"),
    };

    private static GpioV2LineFlags BiasFlags(GpioBias bias) => bias switch
    {
        GpioBias.AsIs => GpioV2LineFlags.None,
        GpioBias.PullUp => GpioV2LineFlags.BiasPullUp,
        GpioBias.PullDown => GpioV2LineFlags.BiasPullDown,
        GpioBias.Disabled => GpioV2LineFlags.BiasDisabled,
        _ => throw new ArgumentOutOfRangeException(nameof(bias), bias, "unknown bias"),
    };

    public void Dispose()
    {
        if (_fd < 0)
            return;
        _io.Close(_fd);
        _fd = -1;
    }
}

/// <summary>Fills a gpio_v2_line_request for one line (pure; no I/O).</summary>
public static class GpioLineRequestBuilder
{
    public static unsafe GpioV2LineRequest Build(int offset, string consumer, GpioV2LineFlags flags)
    {
        if (offset < 0)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "GPIO line offset must be >= 0");
        ArgumentNullException.ThrowIfNull(consumer);
        var consumerBytes = Encoding.ASCII.GetBytes(consumer);
        if (consumerBytes.Length >= GpioV2Abi.MaxNameSize)
            throw new ArgumentException($"consumer label must be shorter than {GpioV2Abi.MaxNameSize} bytes", nameof(consumer));

        var request = default(GpioV2LineRequest);
        request.Offsets[0] = (uint)offset;
        request.NumLines = 1;
        request.Config.Flags = flags;
        for (var i = 0; i < consumerBytes.Length; i++)
            request.Consumer[i] = consumerBytes[i];
        return request;
    }

    /// <summary>Adds a GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES attribute so the line starts at a known level.</summary>
    public static void AddOutputValue(ref GpioV2LineRequest request, bool value)
    {
        var index = (int)request.Config.NumAttributes;
        request.Config.Attributes[index] = new GpioV2LineConfigAttribute
        {
            Attribute = new GpioV2LineAttribute { Id = GpioV2AttributeId.OutputValues, Value = value ? 1UL : 0UL },
            Mask = 1,
        };
        request.Config.NumAttributes++;
    }

    public static unsafe string ConsumerOf(in GpioV2LineRequest request)
    {
        fixed (byte* consumer = request.Consumer)
        {
            var span = new ReadOnlySpan<byte>(consumer, GpioV2Abi.MaxNameSize);
            var end = span.IndexOf((byte)0);
            return Encoding.ASCII.GetString(end < 0 ? span : span[..end]);
        }
    }
}
