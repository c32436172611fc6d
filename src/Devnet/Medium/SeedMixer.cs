namespace DePin.Wireless.Devnet.Medium;

/// <summary>
/// Derives independent deterministic streams from one seed, so each purpose (hotspot placement, device placement,
/// link shadowing, per-packet fading) has its own stream and adding items to one never reshuffles another.
/// Mixing uses the SplitMix64 finaliser (Steele, Lea, Flood, "Fast Splittable Pseudorandom Number Generators",
/// OOPSLA 2014); names are keyed with 64-bit FNV-1a (constants from the FNV reference, IETF draft-eastlake-fnv).
/// </summary>
public static class SeedMixer
{
    private const ulong FnvOffsetBasis = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;
    private const ulong GoldenGamma = 0x9E3779B97F4A7C15UL;

    /// <summary>SplitMix64 output function: a bijective avalanche of all 64 bits.</summary>
    public static ulong Mix(ulong value)
    {
        var z = value + GoldenGamma;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public static ulong Combine(ulong a, ulong b) => Mix(a ^ Mix(b));

    public static ulong Combine(ulong a, ulong b, ulong c) => Combine(Combine(a, b), c);

    public static ulong Combine(ulong a, ulong b, ulong c, ulong d) => Combine(Combine(a, b, c), d);

    /// <summary>Stable 64-bit key of a text (FNV-1a over UTF-16 code units), independent of process and platform.</summary>
    public static ulong Key(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = FnvOffsetBasis;
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * FnvPrime;
            hash = (hash ^ (byte)(c >> 8)) * FnvPrime;
        }

        return hash;
    }

    /// <summary>A seed for <see cref="Random"/> for one purpose and item, e.g. ("hotspot", 17).</summary>
    public static int DeriveSeed(int seed, string purpose, long index = 0) =>
        (int)(Combine((ulong)(uint)seed, Key(purpose), (ulong)index) & int.MaxValue);
}

/// <summary>
/// A <see cref="Random"/> whose state is a single 64-bit word that can be reset to any key, so a value that must be
/// the same for a link or a packet every time it is computed (shadowing, fading) is a pure function of its key.
/// One instance is reused by its owner; it is not thread-safe.
/// </summary>
public sealed class KeyedRandom : Random
{
    private ulong state;

    public void Reset(ulong key) => state = key;

    public override double NextDouble() => Sample();

    protected override double Sample()
    {
        state += 0x9E3779B97F4A7C15UL;
        // 53 random bits -> [0, 1).
        return (SeedMixer.Mix(state) >> 11) * (1.0 / (1UL << 53));
    }

    public override int Next() => (int)(Sample() * int.MaxValue);

    public override int Next(int maxValue) => (int)(Sample() * maxValue);

    public override int Next(int minValue, int maxValue) => minValue + (int)(Sample() * ((long)maxValue - minValue));
}
