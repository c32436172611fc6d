namespace DePin.Wireless.FirmwareBridge.Linux;

/// <summary>
/// The narrow system-call seam between our GPIO/SPI code and the Linux kernel: everything the
/// character-device drivers need (open, close, ioctl, read, poll) and nothing else. Production uses
/// <see cref="LibcIoctl"/>; tests plug fake chips in here, so the bytes crossing this interface are
/// exactly the bytes the kernel would see (struct layouts, ioctl request numbers).
/// </summary>
public interface ILinuxIoctl
{
    /// <summary>open(2). Returns the file descriptor; throws <see cref="LinuxIoException"/> on failure.</summary>
    int Open(string path, LinuxOpenFlags flags);

    /// <summary>close(2).</summary>
    void Close(int fd);

    /// <summary>ioctl(2) with a pointer argument: <paramref name="argument"/> is the struct the kernel reads and/or writes.</summary>
    int Ioctl(int fd, uint request, Span<byte> argument);

    /// <summary>read(2). Returns the number of bytes read (0 at end of file).</summary>
    int Read(int fd, Span<byte> buffer);

    /// <summary>poll(2) for POLLIN on one descriptor. True when readable before the timeout.</summary>
    bool PollReadable(int fd, int timeoutMilliseconds);
}

/// <summary>open(2) flags (asm-generic values, identical on arm64, armhf and x86-64).</summary>
[Flags]
public enum LinuxOpenFlags
{
    ReadOnly = 0,
    WriteOnly = 1,
    ReadWrite = 2,
    NonBlocking = 0x800,      // O_NONBLOCK 04000
    CloseOnExec = 0x80000,    // O_CLOEXEC 02000000
}

/// <summary>A failed system call, carrying the errno the kernel returned.</summary>
public sealed class LinuxIoException : IOException
{
    public LinuxIoException(string operation, string target, int errno)
        : base($"{operation} on {target} failed: errno {errno} ({Describe(errno)})")
    {
        Operation = operation;
        Target = target;
        Errno = errno;
    }

    public string Operation { get; }
    public string Target { get; }
    public int Errno { get; }

    public const int ENOENT = 2, EINTR = 4, EIO = 5, EBADF = 9, EAGAIN = 11, EBUSY = 16, EINVAL = 22, ENOTTY = 25;

    private static string Describe(int errno) => errno switch
    {
        ENOENT => "no such file or device",
        EINTR => "interrupted",
        EIO => "I/O error",
        EBADF => "bad file descriptor",
        EAGAIN => "try again",
        EBUSY => "device or line busy",
        EINVAL => "invalid argument",
        ENOTTY => "inappropriate ioctl for device",
        _ => "see errno(3)",
    };
}
