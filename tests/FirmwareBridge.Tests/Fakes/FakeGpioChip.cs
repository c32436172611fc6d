using System.Diagnostics;
using DePin.Wireless.FirmwareBridge.Linux;

namespace DePin.Wireless.FirmwareBridge.Tests.Fakes;

/// <summary>
/// A GPIO controller behind the GPIO v2 uAPI: decodes gpio_v2_line_request (offsets, consumer, flags,
/// output-value attributes), hands out line-request fds, serves GET/SET_VALUES and queues
/// gpio_v2_line_event records for requested edges. Peripherals drive input levels with <see cref="DriveInput"/>
/// and observe the host through <see cref="HostDrove"/> and <see cref="Sampled"/>.
/// </summary>
public sealed class FakeGpioChip
{
    private readonly FakeLinuxKernel _kernel;
    private readonly Lock _gate = new();
    private readonly bool[] _levels;
    private readonly FakeLineRequest?[] _owners;
    private readonly string?[] _consumers;

    public FakeGpioChip(FakeLinuxKernel kernel, string path, int lineCount = 58)
    {
        _kernel = kernel;
        _levels = new bool[lineCount];
        _owners = new FakeLineRequest?[lineCount];
        _consumers = new string?[lineCount];
        kernel.AddDeviceNode(path, () => new ChipFile(this));
    }

    /// <summary>Raised (offset, level) when the host sets an output line.</summary>
    public event Action<int, bool>? HostDrove;

    /// <summary>Raised (offset) just before the host samples a line with GET_VALUES.</summary>
    public event Action<int>? Sampled;

    public int LineCount => _levels.Length;

    public bool Level(int offset)
    {
        lock (_gate)
            return _levels[offset];
    }

    public string? ConsumerOf(int offset)
    {
        lock (_gate)
            return _consumers[offset];
    }

    public GpioV2LineFlags? FlagsOf(int offset)
    {
        lock (_gate)
            return _owners[offset]?.Flags;
    }

    /// <summary>A peripheral drives an input line; a requested edge is queued on the owning request.</summary>
    public void DriveInput(int offset, bool level)
    {
        FakeLineRequest? owner;
        bool changed;
        lock (_gate)
        {
            changed = _levels[offset] != level;
            _levels[offset] = level;
            owner = _owners[offset];
        }
        if (changed)
            owner?.OnEdge(offset, level);
    }

    private int RequestLines(Span<byte> argument)
    {
        var request = StructBytes.Read<GpioV2LineRequest>(argument);
        if (request.NumLines is 0 or > GpioV2Abi.MaxLines)
            return -LinuxIoException.EINVAL;
        var flags = request.Config.Flags;
        if (!ValidFlags(flags))
            return -LinuxIoException.EINVAL;
        var offsets = new int[request.NumLines];
        unsafe
        {
            for (var i = 0; i < offsets.Length; i++)
                offsets[i] = (int)request.Offsets[i];
        }
        var consumer = GpioLineRequestBuilder.ConsumerOf(request);
        var line = new FakeLineRequest(this, offsets, flags);
        lock (_gate)
        {
            if (offsets.Any(o => o >= _levels.Length))
                return -LinuxIoException.EINVAL;
            if (offsets.Any(o => _owners[o] is not null))
                return -LinuxIoException.EBUSY;
            foreach (var offset in offsets)
            {
                _owners[offset] = line;
                _consumers[offset] = consumer;
            }
        }
        if (flags.HasFlag(GpioV2LineFlags.Output))
            ApplyOutputAttributes(request, offsets);
        request.Fd = _kernel.Install(line);
        StructBytes.Write(argument, request);
        return 0;
    }

    /// <summary>The kernel's gpio_v2_line_flags_validate: one direction; edges and bias only where they make sense.</summary>
    private static bool ValidFlags(GpioV2LineFlags flags)
    {
        var input = flags.HasFlag(GpioV2LineFlags.Input);
        var output = flags.HasFlag(GpioV2LineFlags.Output);
        if (input && output)
            return false;
        var edges = flags & (GpioV2LineFlags.EdgeRising | GpioV2LineFlags.EdgeFalling);
        if (edges != 0 && !input)
            return false;
        var bias = flags & (GpioV2LineFlags.BiasPullUp | GpioV2LineFlags.BiasPullDown | GpioV2LineFlags.BiasDisabled);
        return bias == 0 || (input || output) && System.Numerics.BitOperations.PopCount((ulong)bias) == 1;
    }

    private void ApplyOutputAttributes(in GpioV2LineRequest request, int[] offsets)
    {
        for (var a = 0; a < request.Config.NumAttributes; a++)
        {
            var attribute = request.Config.Attributes[a];
            if (attribute.Attribute.Id != GpioV2AttributeId.OutputValues)
                continue;
            for (var i = 0; i < offsets.Length; i++)
            {
                if ((attribute.Mask & (1UL << i)) != 0)
                    SetByHost(offsets[i], (attribute.Attribute.Value & (1UL << i)) != 0);
            }
        }
    }

    internal void SetByHost(int offset, bool level)
    {
        lock (_gate)
            _levels[offset] = level;
        HostDrove?.Invoke(offset, level);
    }

    internal bool SampleByHost(int offset)
    {
        Sampled?.Invoke(offset);
        return Level(offset);
    }

    internal void Release(FakeLineRequest line)
    {
        lock (_gate)
        {
            for (var i = 0; i < _owners.Length; i++)
            {
                if (ReferenceEquals(_owners[i], line))
                {
                    _owners[i] = null;
                    _consumers[i] = null;
                }
            }
        }
    }

    private sealed class ChipFile(FakeGpioChip chip) : IFakeFile
    {
        public int Ioctl(uint request, Span<byte> argument) =>
            request == GpioV2Abi.GetLineIoctl ? chip.RequestLines(argument) : -LinuxIoException.ENOTTY;

        public int Read(Span<byte> buffer) => -LinuxIoException.EINVAL;

        public bool PollReadable(int timeoutMilliseconds) => false;

        public void Close()
        {
        }
    }
}

/// <summary>A line-request fd: values for its lines and a queue of edge events.</summary>
public sealed class FakeLineRequest : IFakeFile
{
    private readonly FakeGpioChip _chip;
    private readonly int[] _offsets;
    private readonly Queue<GpioV2LineEvent> _events = new();
    private readonly object _gate = new(); // Monitor.Wait/Pulse: blocking read and poll like the kernel's wait queue
    private uint _sequence;

    internal FakeLineRequest(FakeGpioChip chip, int[] offsets, GpioV2LineFlags flags)
    {
        _chip = chip;
        _offsets = offsets;
        Flags = flags;
    }

    public GpioV2LineFlags Flags { get; }

    private bool ActiveLow => Flags.HasFlag(GpioV2LineFlags.ActiveLow);

    internal void OnEdge(int offset, bool level)
    {
        var logical = level ^ ActiveLow;
        var wanted = logical ? GpioV2LineFlags.EdgeRising : GpioV2LineFlags.EdgeFalling;
        if (!Flags.HasFlag(wanted))
            return;
        lock (_gate)
        {
            _sequence++;
            _events.Enqueue(new GpioV2LineEvent
            {
                TimestampNs = (ulong)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency)),
                Id = logical ? GpioV2EventId.RisingEdge : GpioV2EventId.FallingEdge,
                Offset = (uint)offset,
                SequenceNumber = _sequence,
                LineSequenceNumber = _sequence,
            });
            Monitor.PulseAll(_gate);
        }
    }

    public int Ioctl(uint request, Span<byte> argument)
    {
        if (request == GpioV2Abi.GetValuesIoctl)
            return GetValues(argument);
        if (request == GpioV2Abi.SetValuesIoctl)
            return SetValues(argument);
        return -LinuxIoException.ENOTTY;
    }

    private int GetValues(Span<byte> argument)
    {
        var values = StructBytes.Read<GpioV2LineValues>(argument);
        ulong bits = 0;
        for (var i = 0; i < _offsets.Length; i++)
        {
            if ((values.Mask & (1UL << i)) != 0 && _chip.SampleByHost(_offsets[i]) ^ ActiveLow)
                bits |= 1UL << i;
        }
        values.Bits = bits;
        StructBytes.Write(argument, values);
        return 0;
    }

    private int SetValues(Span<byte> argument)
    {
        if (!Flags.HasFlag(GpioV2LineFlags.Output))
            return -1; // EPERM: the kernel refuses to set values of input lines
        var values = StructBytes.Read<GpioV2LineValues>(argument);
        for (var i = 0; i < _offsets.Length; i++)
        {
            if ((values.Mask & (1UL << i)) != 0)
                _chip.SetByHost(_offsets[i], ((values.Bits >> i) & 1) != 0 ^ ActiveLow);
        }
        return 0;
    }

    public int Read(Span<byte> buffer)
    {
        if (buffer.Length < GpioV2Abi.EventSize)
            return -LinuxIoException.EINVAL;
        lock (_gate)
        {
            while (_events.Count == 0)
                Monitor.Wait(_gate);
            var record = _events.Dequeue();
            StructBytes.Write(buffer, record);
        }
        return GpioV2Abi.EventSize;
    }

    public bool PollReadable(int timeoutMilliseconds)
    {
        lock (_gate)
        {
            if (_events.Count == 0)
                Monitor.Wait(_gate, timeoutMilliseconds);
            return _events.Count > 0;
        }
    }

    public void Close() => _chip.Release(this);
}
