namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>
/// The 2-byte random token of a GWMP datagram (bytes 1–2). It is opaque: acknowledgements echo the two bytes
/// unchanged. <see cref="Value"/> reads them little-endian, as ChirpStack's gateway bridge does
/// (chirpstack-gateway-bridge internal/backend/semtechudp/packets/pull_data_test.go: bytes 123,0 give token 123).
/// </summary>
public readonly record struct GwmpToken(ushort Value)
{
    public static GwmpToken Read(ReadOnlySpan<byte> twoBytes) => new((ushort)(twoBytes[0] | (twoBytes[1] << 8)));

    public void Write(Span<byte> twoBytes)
    {
        twoBytes[0] = (byte)Value;
        twoBytes[1] = (byte)(Value >> 8);
    }

    /// <summary>A fresh token from the given (seeded) source of randomness.</summary>
    public static GwmpToken Next(Random random) => new((ushort)random.Next(0, 0x1_0000));

    public override string ToString() => Value.ToString("x4", System.Globalization.CultureInfo.InvariantCulture);
}
