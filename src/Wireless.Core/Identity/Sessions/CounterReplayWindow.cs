namespace DePin.Wireless.Core.Identity;

/// <summary>Outcome of offering a frame counter to a <see cref="CounterReplayWindow"/>.</summary>
public enum CounterCheck
{
    /// <summary>Not seen before and inside the window; now recorded.</summary>
    Fresh,

    /// <summary>Already accepted.</summary>
    Replayed,

    /// <summary>Older than the window: it cannot be told apart from a replay any more, so it is refused.</summary>
    TooOld,
}

/// <summary>
/// Sliding anti-replay window over a 64-bit counter, as IPsec ESP's (RFC 4303 §3.4.3) and DTLS's (RFC 6347
/// §4.1.2.6): the highest counter accepted so far, and a bitmap of which of the <see cref="Size"/> counters up to it
/// were accepted. A counter above the highest slides the window; one inside it is accepted once; one below it is
/// refused. Frames sealed concurrently may arrive out of order, which the window tolerates up to its size.
/// Thread-safe. Counter 0 is never valid (sealers start at 1).
/// </summary>
public sealed class CounterReplayWindow
{
    /// <summary>1024 counters: RFC 4303 §3.4.3 recommends at least 64 and allows larger windows for high rates.</summary>
    public const int Size = 1024;

    private const int Words = Size / 64;

    // Bit (c % Size) of the ring records whether counter c (highest - Size < c <= highest) was accepted.
    private readonly ulong[] _ring = new ulong[Words];
    private readonly Lock _gate = new();
    private ulong _highest;

    /// <summary>The highest counter accepted so far (0 before the first).</summary>
    public ulong Highest
    {
        get
        {
            lock (_gate)
            {
                return _highest;
            }
        }
    }

    /// <summary>Checks and, when fresh, records <paramref name="counter"/> in one step.</summary>
    public CounterCheck TryAccept(ulong counter)
    {
        if (counter == 0)
        {
            return CounterCheck.TooOld;
        }

        lock (_gate)
        {
            if (counter > _highest)
            {
                Slide(counter);
                Set(counter);
                _highest = counter;
                return CounterCheck.Fresh;
            }

            if (_highest - counter >= Size)
            {
                return CounterCheck.TooOld;
            }

            if (IsSet(counter))
            {
                return CounterCheck.Replayed;
            }

            Set(counter);
            return CounterCheck.Fresh;
        }
    }

    /// <summary>Clears the bits of the counters that enter the window (highest+1 .. counter), which are all unseen.</summary>
    private void Slide(ulong counter)
    {
        if (counter - _highest >= Size)
        {
            Array.Clear(_ring);
            return;
        }

        for (var c = _highest + 1; c <= counter; c++)
        {
            Clear(c);
        }
    }

    private static (int Word, ulong Mask) Position(ulong counter)
    {
        var bit = (int)(counter % Size);
        return (bit >> 6, 1UL << (bit & 63));
    }

    private bool IsSet(ulong counter)
    {
        var (word, mask) = Position(counter);
        return (_ring[word] & mask) != 0;
    }

    private void Set(ulong counter)
    {
        var (word, mask) = Position(counter);
        _ring[word] |= mask;
    }

    private void Clear(ulong counter)
    {
        var (word, mask) = Position(counter);
        _ring[word] &= ~mask;
    }
}
