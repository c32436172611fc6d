namespace DePin.Wireless.HotspotHost.Witnessing;

/// <summary>
/// Decides which received frames are beacons worth witnessing. A beacon is a LoRaWAN Proprietary frame
/// (MHDR MType 111, LoRaWAN 1.0.4 §4.2.1) carrying exactly the beacon payload length. Our own beacons and
/// repeats of one already witnessed are dropped using a small most-recent cache (gateway-rs keeps 15 entries).
/// </summary>
public sealed class BeaconRecognizer
{
    /// <summary>MHDR of a proprietary frame: MType 0b111 in the top 3 bits, major version 0.</summary>
    public const byte ProprietaryMhdr = 0xE0;

    private readonly int _payloadLength;

    // The most recent beacons, oldest overwritten first, with a hash of each beside it: a frame is compared with the
    // (contiguous) hashes and only a hash match compares the bytes. A busy hotspot classifies every frame it hears.
    private readonly byte[][] _recent;
    private readonly int[] _hashes;
    private int _count;
    private int _next;

    public BeaconRecognizer(int payloadLength, int cacheCapacity = 15)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(payloadLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cacheCapacity, 1);
        _payloadLength = payloadLength;
        _recent = new byte[cacheCapacity][];
        _hashes = new int[cacheCapacity];
    }

    /// <summary>Remember a beacon we transmitted so we never witness ourselves.</summary>
    public void RememberOwn(ReadOnlySpan<byte> payload) => Remember(payload.ToArray(), HashOf(payload));

    /// <summary>
    /// Classifies a received PHYPayload. Returns the beacon payload (without MHDR) when it should be witnessed.
    /// </summary>
    public WitnessDecision Classify(ReadOnlySpan<byte> phyPayload, out ReadOnlyMemory<byte> beaconPayload)
    {
        beaconPayload = default;
        if (phyPayload.Length != _payloadLength + 1 || (phyPayload[0] & 0xE0) != ProprietaryMhdr)
        {
            return WitnessDecision.NotABeacon;
        }

        var payload = phyPayload[1..];
        var hash = HashOf(payload);
        for (var i = 0; i < _count; i++)
        {
            if (_hashes[i] == hash && payload.SequenceEqual(_recent[i]))
            {
                return WitnessDecision.AlreadySeen;
            }
        }

        var copy = payload.ToArray();
        Remember(copy, hash);
        beaconPayload = copy;
        return WitnessDecision.Witness;
    }

    private static int HashOf(ReadOnlySpan<byte> payload)
    {
        var hash = default(HashCode);
        hash.AddBytes(payload);
        return hash.ToHashCode();
    }

    private void Remember(byte[] payload, int hash)
    {
        _recent[_next] = payload;
        _hashes[_next] = hash;
        _next = (_next + 1) % _recent.Length;
        _count = Math.Min(_count + 1, _recent.Length);
    }
}

public enum WitnessDecision
{
    NotABeacon,
    AlreadySeen,
    Witness,
}
