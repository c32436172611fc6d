using DePin.Wireless.FirmwareBridge.Linux;

namespace DePin.Wireless.FirmwareBridge.Devices.Sx1276;

/// <summary>
/// SX1276 register access (datasheet 4.3): one chip-select frame per access, address byte first
/// (bit 7 = write), then data; consecutive bytes auto-increment the address, except for the FIFO,
/// where they walk FifoAddrPtr.
/// </summary>
public sealed class Sx1276RegisterBus
{
    private readonly ISpiDevice _spi;

    public Sx1276RegisterBus(ISpiDevice spi) => _spi = spi ?? throw new ArgumentNullException(nameof(spi));

    public void Write(byte address, params ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            throw new ArgumentException("a register write needs at least one data byte", nameof(data));
        var tx = new byte[1 + data.Length];
        tx[0] = (byte)(address | Sx1276Register.WriteFlag);
        data.CopyTo(tx.AsSpan(1));
        _spi.TransferFullDuplex(tx, new byte[tx.Length]);
    }

    public byte Read(byte address) => Read(address, 1)[0];

    public byte[] Read(byte address, int count)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, "read at least one byte");
        var tx = new byte[1 + count];
        tx[0] = (byte)(address & 0x7F);
        var rx = new byte[tx.Length];
        _spi.TransferFullDuplex(tx, rx);
        return rx[1..];
    }
}
