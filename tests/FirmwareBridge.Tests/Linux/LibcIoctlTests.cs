using DePin.Wireless.FirmwareBridge.Linux;

namespace DePin.Wireless.FirmwareBridge.Tests.Linux;

/// <summary>The libc implementation against the real kernel, on device nodes every Linux machine has.</summary>
public class LibcIoctlTests
{
    private readonly LibcIoctl _libc = new();

    [Fact]
    public void Spi_ioctl_on_dev_null_fails_with_ENOTTY()
    {
        var fd = _libc.Open("/dev/null", LinuxOpenFlags.ReadWrite | LinuxOpenFlags.CloseOnExec);
        try
        {
            var mode = new byte[1];
            var ex = Assert.Throws<LinuxIoException>(() => _libc.Ioctl(fd, SpidevAbi.WriteMode, mode));
            Assert.Equal(LinuxIoException.ENOTTY, ex.Errno);
        }
        finally
        {
            _libc.Close(fd);
        }
    }

    [Fact]
    public void Missing_device_node_fails_with_ENOENT_naming_the_path()
    {
        var ex = Assert.Throws<LinuxIoException>(() => _libc.Open("/dev/spidev9.9-does-not-exist", LinuxOpenFlags.ReadWrite));
        Assert.Equal(LinuxIoException.ENOENT, ex.Errno);
        Assert.Contains("/dev/spidev9.9-does-not-exist", ex.Message);
    }

    [Fact]
    public void Read_and_poll_work_on_real_descriptors()
    {
        var fd = _libc.Open("/dev/zero", LinuxOpenFlags.ReadOnly | LinuxOpenFlags.ReadWrite);
        try
        {
            Assert.True(_libc.PollReadable(fd, 100));
            var buffer = new byte[48];
            buffer.AsSpan().Fill(0xAA);
            Assert.Equal(48, _libc.Read(fd, buffer));
            Assert.All(buffer, b => Assert.Equal(0, b));
        }
        finally
        {
            _libc.Close(fd);
        }
        // fd -1 is never valid; closing a real fd twice could hit a descriptor another thread just opened.
        var closedAgain = Assert.Throws<LinuxIoException>(() => _libc.Close(-1));
        Assert.Equal(LinuxIoException.EBADF, closedAgain.Errno);
    }
}
