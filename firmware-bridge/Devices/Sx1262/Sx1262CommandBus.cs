using DePin.Wireless.FirmwareBridge.Linux;
using DePin.Wireless.FirmwareBridge.Radio;

namespace DePin.Wireless.FirmwareBridge.Devices.Sx1262;

/// <summary>
/// SX1262 command framing: wait for BUSY low, then one chip-select-framed full-duplex transfer of
/// opcode + parameters (+ NOPs for responses). Not thread-safe; the radio serialises access.
/// </summary>
public sealed class Sx1262CommandBus
{
    private readonly ISpiDevice _spi;
    private readonly IGpioLine _busy;
    private readonly TimeProvider _time;
    private readonly TimeSpan _busyTimeout;

    public Sx1262CommandBus(ISpiDevice spi, IGpioLine busy, TimeProvider time, TimeSpan busyTimeout)
    {
        _spi = spi ?? throw new ArgumentNullException(nameof(spi));
        _busy = busy ?? throw new ArgumentNullException(nameof(busy));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        if (busyTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(busyTimeout), busyTimeout, "BUSY timeout must be positive");
        _busyTimeout = busyTimeout;
    }

    /// <summary>Status byte clocked back by the most recent command.</summary>
    public Sx1262Status LastStatus { get; private set; }

    /// <summary>Sends a write-only command.</summary>
    public void Write(byte opcode, ReadOnlySpan<byte> parameters)
    {
        Span<byte> tx = stackalloc byte[1 + parameters.Length];
        tx[0] = opcode;
        parameters.CopyTo(tx[1..]);
        Span<byte> rx = stackalloc byte[tx.Length];
        Transfer(opcode, tx, rx);
    }

    /// <summary>
    /// Sends a read command: opcode, <paramref name="parameters"/>, one status NOP, then
    /// <paramref name="response"/>.Length NOPs whose answer is copied into <paramref name="response"/>.
    /// </summary>
    public void Read(byte opcode, ReadOnlySpan<byte> parameters, Span<byte> response)
    {
        var length = 1 + parameters.Length + 1 + response.Length;
        var tx = new byte[length];
        tx[0] = opcode;
        parameters.CopyTo(tx.AsSpan(1));
        var rx = new byte[length];
        Transfer(opcode, tx, rx);
        LastStatus = new Sx1262Status(rx[1 + parameters.Length]);
        rx.AsSpan(length - response.Length).CopyTo(response);
    }

    public void WriteRegister(ushort address, ReadOnlySpan<byte> data)
    {
        Span<byte> parameters = stackalloc byte[2 + data.Length];
        parameters[0] = (byte)(address >> 8);
        parameters[1] = (byte)address;
        data.CopyTo(parameters[2..]);
        Write(Sx1262Opcode.WriteRegister, parameters);
    }

    public byte ReadRegister(ushort address)
    {
        Span<byte> value = stackalloc byte[1];
        Read(Sx1262Opcode.ReadRegister, [(byte)(address >> 8), (byte)address], value);
        return value[0];
    }

    public void WriteBuffer(byte offset, ReadOnlySpan<byte> data)
    {
        Span<byte> parameters = stackalloc byte[1 + data.Length];
        parameters[0] = offset;
        data.CopyTo(parameters[1..]);
        Write(Sx1262Opcode.WriteBuffer, parameters);
    }

    public byte[] ReadBuffer(byte offset, int length)
    {
        var data = new byte[length];
        Read(Sx1262Opcode.ReadBuffer, [offset], data);
        return data;
    }

    /// <summary>Blocks until BUSY is low; the chip ignores SPI while BUSY is high (datasheet 8.3.1).</summary>
    public void WaitWhileBusy(string beforeWhat)
    {
        var started = _time.GetTimestamp();
        var spinner = new SpinWait();
        while (_busy.Read())
        {
            if (_time.GetElapsedTime(started) > _busyTimeout)
                throw new RadioHardwareException($"SX1262 BUSY stayed high for more than {_busyTimeout.TotalMilliseconds} ms before {beforeWhat}");
            spinner.SpinOnce();
        }
    }

    private void Transfer(byte opcode, ReadOnlySpan<byte> tx, Span<byte> rx)
    {
        WaitWhileBusy(Sx1262Opcode.NameOf(opcode));
        _spi.TransferFullDuplex(tx, rx);
        // Byte 0 answers the opcode (RFU); from byte 1 on the chip clocks out its status (datasheet 8.3.1).
        LastStatus = new Sx1262Status(rx.Length > 1 ? rx[1] : rx[0]);
    }
}
