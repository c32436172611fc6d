using DePin.Wireless.FirmwareBridge.Linux;

namespace DePin.Wireless.FirmwareBridge.Tests.Linux;

// Documented values: reference/radio-hardware-and-images.md section 1, re-checked with a C program
// against /usr/include/linux/gpio.h and spi/spidev.h.
public class IoctlRequestTests
{
    [Fact]
    public void Gpio_v2_requests_computed_with_IOWR_equal_the_kernel_constants()
    {
        Assert.Equal(0xC250B407u, GpioV2Abi.GetLineIoctl);
        Assert.Equal(0xC110B40Du, GpioV2Abi.SetConfigIoctl);
        Assert.Equal(0xC010B40Eu, GpioV2Abi.GetValuesIoctl);
        Assert.Equal(0xC010B40Fu, GpioV2Abi.SetValuesIoctl);
        Assert.Equal(0x8044B401u, IoctlRequest.Read((char)0xB4, 0x01, 68)); // GPIO_GET_CHIPINFO_IOCTL
    }

    [Fact]
    public void Spidev_requests_equal_the_kernel_constants()
    {
        Assert.Equal(0x40206B00u, SpidevAbi.Message(1));
        Assert.Equal(0x40406B00u, SpidevAbi.Message(2));
        Assert.Equal(0x40606B00u, SpidevAbi.Message(3));
        Assert.Equal(0x40016B01u, SpidevAbi.WriteMode);
        Assert.Equal(0x80016B01u, SpidevAbi.ReadMode);
        Assert.Equal(0x40016B03u, SpidevAbi.WriteBitsPerWord);
        Assert.Equal(0x40046B04u, SpidevAbi.WriteMaxSpeedHz);
    }

    [Fact]
    public void Request_fields_decode_back()
    {
        Assert.Equal(592, IoctlRequest.SizeOf(GpioV2Abi.GetLineIoctl));
        Assert.Equal(0x07, IoctlRequest.NumberOf(GpioV2Abi.GetLineIoctl));
        Assert.Equal((char)0xB4, IoctlRequest.TypeOf(GpioV2Abi.GetLineIoctl));
        Assert.True(SpidevAbi.IsMessage(0x40606B00u, out var count));
        Assert.Equal(3, count);
        Assert.False(SpidevAbi.IsMessage(SpidevAbi.WriteMode, out _));
        Assert.False(SpidevAbi.IsMessage(GpioV2Abi.GetValuesIoctl, out _));
    }

    [Fact]
    public void Sizes_beyond_14_bits_and_empty_messages_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IoctlRequest.ReadWrite('k', 0, 1 << 14));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpidevAbi.Message(0));
    }
}
