using System.Runtime.InteropServices;

namespace DePin.Wireless.FirmwareBridge.Linux;

/// <summary>
/// <see cref="ILinuxIoctl"/> over the C library: plain open/close/ioctl/read/poll, no native helper
/// library (libgpiod is not needed). EINTR is retried, every other failure becomes a <see cref="LinuxIoException"/>.
/// </summary>
public sealed partial class LibcIoctl : ILinuxIoctl
{
    private const string Libc = "libc";
    private const short PollIn = 0x0001;

    public int Open(string path, LinuxOpenFlags flags)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        int fd;
        while ((fd = NativeOpen(path, (int)flags)) < 0)
            ThrowUnlessInterrupted("open", path);
        return fd;
    }

    public void Close(int fd)
    {
        // close(2) must not be retried on EINTR: the descriptor is released either way.
        if (NativeClose(fd) < 0 && Marshal.GetLastPInvokeError() != LinuxIoException.EINTR)
            throw new LinuxIoException("close", $"fd {fd}", Marshal.GetLastPInvokeError());
    }

    public unsafe int Ioctl(int fd, uint request, Span<byte> argument)
    {
        fixed (byte* arg = argument)
        {
            int result;
            while ((result = NativeIoctl(fd, request, arg)) < 0)
                ThrowUnlessInterrupted($"ioctl 0x{request:X8}", $"fd {fd}");
            return result;
        }
    }

    public unsafe int Read(int fd, Span<byte> buffer)
    {
        fixed (byte* data = buffer)
        {
            nint result;
            while ((result = NativeRead(fd, data, (nuint)buffer.Length)) < 0)
                ThrowUnlessInterrupted("read", $"fd {fd}");
            return (int)result;
        }
    }

    public unsafe bool PollReadable(int fd, int timeoutMilliseconds)
    {
        var request = new PollFd { Fd = fd, Events = PollIn };
        int ready;
        while ((ready = NativePoll(&request, 1, timeoutMilliseconds)) < 0)
            ThrowUnlessInterrupted("poll", $"fd {fd}");
        return ready > 0 && (request.ReturnedEvents & PollIn) != 0;
    }

    private static void ThrowUnlessInterrupted(string operation, string target)
    {
        var errno = Marshal.GetLastPInvokeError();
        if (errno != LinuxIoException.EINTR)
            throw new LinuxIoException(operation, target, errno);
    }

    // struct pollfd { int fd; short events; short revents; } (poll(2))
    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport(Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeOpen(string path, int flags);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    private static partial int NativeClose(int fd);

    // glibc: int ioctl(int fd, unsigned long request, ...)
    [LibraryImport(Libc, EntryPoint = "ioctl", SetLastError = true)]
    private static unsafe partial int NativeIoctl(int fd, nuint request, void* argument);

    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint NativeRead(int fd, void* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int NativePoll(PollFd* fds, nuint count, int timeoutMilliseconds);
}
