using DePin.Wireless.FirmwareBridge.Linux;

namespace DePin.Wireless.FirmwareBridge.Tests.Fakes;

/// <summary>An open file as the fake kernel sees it: what ioctl/read/poll do on it.</summary>
public interface IFakeFile
{
    int Ioctl(uint request, Span<byte> argument);

    int Read(Span<byte> buffer);

    bool PollReadable(int timeoutMilliseconds);

    void Close();
}

/// <summary>
/// The fake side of the <see cref="ILinuxIoctl"/> seam: device nodes by path, a file-descriptor table,
/// and errno semantics (ENOENT for a missing node, EBADF for a closed fd, ENOTTY for a foreign ioctl).
/// </summary>
public sealed class FakeLinuxKernel : ILinuxIoctl
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Func<IFakeFile>> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<int, IFakeFile> _files = [];
    private readonly List<(int Fd, uint Request)> _ioctls = [];
    private int _nextFd = 3;

    public void AddDeviceNode(string path, Func<IFakeFile> open)
    {
        lock (_gate)
            _nodes[path] = open;
    }

    /// <summary>Every ioctl issued, in order (fd, request number).</summary>
    public IReadOnlyList<(int Fd, uint Request)> Ioctls
    {
        get
        {
            lock (_gate)
                return [.. _ioctls];
        }
    }

    public int OpenFileCount
    {
        get
        {
            lock (_gate)
                return _files.Count;
        }
    }

    /// <summary>Installs a kernel-created file (e.g. a GPIO line request) and returns its fd.</summary>
    public int Install(IFakeFile file)
    {
        lock (_gate)
        {
            var fd = _nextFd++;
            _files[fd] = file;
            return fd;
        }
    }

    public int Open(string path, LinuxOpenFlags flags)
    {
        Func<IFakeFile>? open;
        lock (_gate)
            _nodes.TryGetValue(path, out open);
        if (open is null)
            throw new LinuxIoException("open", path, LinuxIoException.ENOENT);
        if ((flags & LinuxOpenFlags.ReadWrite) == 0)
            throw new LinuxIoException("open", path, LinuxIoException.EINVAL);
        return Install(open());
    }

    public void Close(int fd)
    {
        IFakeFile? file;
        lock (_gate)
        {
            if (!_files.Remove(fd, out file))
                throw new LinuxIoException("close", $"fd {fd}", LinuxIoException.EBADF);
        }
        file.Close();
    }

    public int Ioctl(int fd, uint request, Span<byte> argument)
    {
        var file = Lookup(fd, "ioctl");
        if (IoctlRequest.SizeOf(request) != argument.Length)
            throw new LinuxIoException($"ioctl 0x{request:X8}", $"fd {fd}: argument is {argument.Length} bytes, request encodes {IoctlRequest.SizeOf(request)}", LinuxIoException.EINVAL);
        lock (_gate)
            _ioctls.Add((fd, request));
        var result = file.Ioctl(request, argument);
        if (result < 0)
            throw new LinuxIoException($"ioctl 0x{request:X8}", $"fd {fd}", -result);
        return result;
    }

    public int Read(int fd, Span<byte> buffer)
    {
        var result = Lookup(fd, "read").Read(buffer);
        if (result < 0)
            throw new LinuxIoException("read", $"fd {fd}", -result);
        return result;
    }

    public bool PollReadable(int fd, int timeoutMilliseconds) => Lookup(fd, "poll").PollReadable(timeoutMilliseconds);

    private IFakeFile Lookup(int fd, string operation)
    {
        lock (_gate)
        {
            if (_files.TryGetValue(fd, out var file))
                return file;
        }
        throw new LinuxIoException(operation, $"fd {fd}", LinuxIoException.EBADF);
    }
}
