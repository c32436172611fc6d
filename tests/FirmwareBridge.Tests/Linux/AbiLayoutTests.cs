using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DePin.Wireless.FirmwareBridge.Linux;

namespace DePin.Wireless.FirmwareBridge.Tests.Linux;

// Expected values: printed by a C program compiled against Debian 12 linux-libc-dev 6.1
// (/usr/include/linux/gpio.h, /usr/include/linux/spi/spidev.h) with sizeof/offsetof.
public class AbiLayoutTests
{
    [Fact]
    public void Gpio_line_request_matches_kernel_layout()
    {
        Assert.Equal(592, Unsafe.SizeOf<GpioV2LineRequest>());
        Assert.Equal(592, Marshal.SizeOf<GpioV2LineRequest>());
        Assert.Equal(0, Offset<GpioV2LineRequest>(nameof(GpioV2LineRequest.Offsets)));
        Assert.Equal(256, Offset<GpioV2LineRequest>(nameof(GpioV2LineRequest.Consumer)));
        Assert.Equal(288, Offset<GpioV2LineRequest>(nameof(GpioV2LineRequest.Config)));
        Assert.Equal(560, Offset<GpioV2LineRequest>(nameof(GpioV2LineRequest.NumLines)));
        Assert.Equal(564, Offset<GpioV2LineRequest>(nameof(GpioV2LineRequest.EventBufferSize)));
        Assert.Equal(588, Offset<GpioV2LineRequest>(nameof(GpioV2LineRequest.Fd)));
    }

    [Fact]
    public void Gpio_line_config_and_attributes_match_kernel_layout()
    {
        Assert.Equal(272, Marshal.SizeOf<GpioV2LineConfig>());
        Assert.Equal(8, Offset<GpioV2LineConfig>(nameof(GpioV2LineConfig.NumAttributes)));
        Assert.Equal(32, Offset<GpioV2LineConfig>(nameof(GpioV2LineConfig.Attributes)));
        Assert.Equal(16, Marshal.SizeOf<GpioV2LineAttribute>());
        Assert.Equal(8, Offset<GpioV2LineAttribute>(nameof(GpioV2LineAttribute.Value)));
        Assert.Equal(24, Marshal.SizeOf<GpioV2LineConfigAttribute>());
        Assert.Equal(16, Offset<GpioV2LineConfigAttribute>(nameof(GpioV2LineConfigAttribute.Mask)));
        Assert.Equal(240, Unsafe.SizeOf<GpioV2LineConfigAttributes>());
    }

    [Fact]
    public void Gpio_values_and_event_match_kernel_layout()
    {
        Assert.Equal(16, Marshal.SizeOf<GpioV2LineValues>());
        Assert.Equal(8, Offset<GpioV2LineValues>(nameof(GpioV2LineValues.Mask)));
        Assert.Equal(48, Marshal.SizeOf<GpioV2LineEvent>());
        Assert.Equal(8, Offset<GpioV2LineEvent>(nameof(GpioV2LineEvent.Id)));
        Assert.Equal(12, Offset<GpioV2LineEvent>(nameof(GpioV2LineEvent.Offset)));
        Assert.Equal(16, Offset<GpioV2LineEvent>(nameof(GpioV2LineEvent.SequenceNumber)));
        Assert.Equal(20, Offset<GpioV2LineEvent>(nameof(GpioV2LineEvent.LineSequenceNumber)));
    }

    [Fact]
    public void Spi_ioc_transfer_matches_kernel_layout()
    {
        Assert.Equal(32, Marshal.SizeOf<SpiIocTransfer>());
        Assert.Equal(8, Offset<SpiIocTransfer>(nameof(SpiIocTransfer.RxBuffer)));
        Assert.Equal(16, Offset<SpiIocTransfer>(nameof(SpiIocTransfer.Length)));
        Assert.Equal(20, Offset<SpiIocTransfer>(nameof(SpiIocTransfer.SpeedHz)));
        Assert.Equal(24, Offset<SpiIocTransfer>(nameof(SpiIocTransfer.DelayMicroseconds)));
        Assert.Equal(26, Offset<SpiIocTransfer>(nameof(SpiIocTransfer.BitsPerWord)));
        Assert.Equal(27, Offset<SpiIocTransfer>(nameof(SpiIocTransfer.ChipSelectChange)));
        Assert.Equal(28, Offset<SpiIocTransfer>(nameof(SpiIocTransfer.TxBitCount)));
        Assert.Equal(29, Offset<SpiIocTransfer>(nameof(SpiIocTransfer.RxBitCount)));
        Assert.Equal(30, Offset<SpiIocTransfer>(nameof(SpiIocTransfer.WordDelayMicroseconds)));
    }

    [Fact]
    public void Line_request_bytes_carry_offset_consumer_flags_and_output_value_where_the_kernel_reads_them()
    {
        var request = GpioLineRequestBuilder.Build(25, "sx1262-reset", GpioV2LineFlags.Output);
        GpioLineRequestBuilder.AddOutputValue(ref request, true);
        var bytes = StructBytes.Of(ref request).ToArray();

        Assert.Equal(25u, BitConverter.ToUInt32(bytes, 0));
        Assert.Equal("sx1262-reset\0", System.Text.Encoding.ASCII.GetString(bytes, 256, 13));
        Assert.Equal((ulong)GpioV2LineFlags.Output, BitConverter.ToUInt64(bytes, 288));
        Assert.Equal(1u, BitConverter.ToUInt32(bytes, 288 + 8));                  // num_attrs
        Assert.Equal((uint)GpioV2AttributeId.OutputValues, BitConverter.ToUInt32(bytes, 288 + 32));
        Assert.Equal(1ul, BitConverter.ToUInt64(bytes, 288 + 32 + 8));            // values
        Assert.Equal(1ul, BitConverter.ToUInt64(bytes, 288 + 32 + 16));           // mask
        Assert.Equal(1u, BitConverter.ToUInt32(bytes, 560));                      // num_lines
    }

    [Fact]
    public void Consumer_label_of_32_bytes_or_more_is_rejected_by_name()
    {
        var ex = Assert.Throws<ArgumentException>(() => GpioLineRequestBuilder.Build(1, new string('x', 32), GpioV2LineFlags.Input));
        Assert.Equal("consumer", ex.ParamName);
    }

    private static int Offset<T>(string field) => (int)Marshal.OffsetOf<T>(field);
}
