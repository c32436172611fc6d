namespace DePin.Wireless.Core.Identity;

/// <summary>Outcome of recording a (signer, nonce) pair.</summary>
public enum ReplayCheck
{
    /// <summary>Not seen before; now remembered.</summary>
    Fresh,

    /// <summary>Seen before and still remembered: the envelope is a replay.</summary>
    Replayed,

    /// <summary>The guard is at capacity with unexpired entries; the envelope is refused rather than risk a replay.</summary>
    Full,
}

/// <summary>
/// Remembers the nonces of accepted envelopes for as long as those envelopes could still pass the timestamp
/// window. Nonces are remembered per signer, so one signer cannot block another by reusing a nonce it observed.
/// </summary>
public interface IReplayGuard
{
    /// <summary>Records the pair unless it is already remembered; it may be forgotten after <paramref name="forgetAfter"/>.</summary>
    ReplayCheck TryRecord(PublicKey signer, ReadOnlySpan<byte> nonce, DateTimeOffset forgetAfter);
}

/// <summary>
/// An in-memory <see cref="IReplayGuard"/> for one process: entries expire by time (evicted in expiry order on
/// each call) and at most <see cref="Capacity"/> are held; when that many are unexpired, new envelopes are refused
/// (<see cref="ReplayCheck.Full"/>), failing closed. Thread-safe. A restart forgets everything, so services that
/// must survive restarts within the window need a durable guard.
/// </summary>
public sealed class InMemoryReplayGuard : IReplayGuard
{
    private readonly TimeProvider _time;
    private readonly Dictionary<(PublicKey Signer, UInt128 Nonce), DateTimeOffset> _seen = [];
    private readonly PriorityQueue<(PublicKey Signer, UInt128 Nonce), DateTimeOffset> _byExpiry = new();
    private readonly Lock _gate = new();

    public InMemoryReplayGuard(TimeProvider time, int capacity = 1_000_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time;
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _seen.Count;
            }
        }
    }

    public ReplayCheck TryRecord(PublicKey signer, ReadOnlySpan<byte> nonce, DateTimeOffset forgetAfter)
    {
        if (nonce.Length != EnvelopeSigner.NonceLength)
        {
            throw new ArgumentException($"nonce: must be {EnvelopeSigner.NonceLength} bytes, got {nonce.Length}", nameof(nonce));
        }

        var entry = (signer, System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(nonce));
        lock (_gate)
        {
            EvictExpired(_time.GetUtcNow());
            if (_seen.ContainsKey(entry))
            {
                return ReplayCheck.Replayed;
            }

            if (_seen.Count >= Capacity)
            {
                return ReplayCheck.Full;
            }

            _seen.Add(entry, forgetAfter);
            _byExpiry.Enqueue(entry, forgetAfter);
            return ReplayCheck.Fresh;
        }
    }

    private void EvictExpired(DateTimeOffset now)
    {
        while (_byExpiry.TryPeek(out var entry, out var expiry) && expiry < now)
        {
            _byExpiry.Dequeue();
            _seen.Remove(entry);
        }
    }
}
