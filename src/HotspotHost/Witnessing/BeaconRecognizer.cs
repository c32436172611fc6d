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
    private readonly int _capacity;
    private readonly LinkedList<byte[]> _recent = new();

    public BeaconRecognizer(int payloadLength, int cacheCapacity = 15)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(payloadLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cacheCapacity, 1);
        _payloadLength = payloadLength;
        _capacity = cacheCapacity;
    }

    /// <summary>Remember a beacon we transmitted so we never witness ourselves.</summary>
    public void RememberOwn(ReadOnlySpan<byte> payload) => Remember(payload.ToArray());

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
        for (var node = _recent.First; node is not null; node = node.Next)
        {
            if (payload.SequenceEqual(node.Value))
            {
                return WitnessDecision.AlreadySeen;
            }
        }

        var copy = payload.ToArray();
        Remember(copy);
        beaconPayload = copy;
        return WitnessDecision.Witness;
    }

    private void Remember(byte[] payload)
    {
        _recent.AddFirst(payload);
        while (_recent.Count > _capacity)
        {
            _recent.RemoveLast();
        }
    }
}

public enum WitnessDecision
{
    NotABeacon,
    AlreadySeen,
    Witness,
}
