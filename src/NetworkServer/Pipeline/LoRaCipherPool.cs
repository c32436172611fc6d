using System.Collections.Concurrent;
using DePin.Wireless.NetworkServer.LoRaWan;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>
/// Reuses <see cref="LoRaCipher"/>s per key. Building one creates an AES context and expands the key, which cost
/// several times the MIC and decryption of a frame. A cipher is not thread-safe, so each frame rents one and
/// returns it. At most <see cref="PerKey"/> ciphers are kept per key and <see cref="MaxKeys"/> keys in all; beyond
/// that, ciphers are built and disposed per use. Each key's spare ciphers sit in a small stack behind its own lock:
/// a rent or return is a dictionary lookup and an uncontended lock (a <c>ConcurrentBag</c> here cost more than the
/// MIC itself — its <c>Count</c> takes every per-thread list's lock, as the dictionary's <c>Count</c> takes all of its own).
/// </summary>
public sealed class LoRaCipherPool(int perKey = 4, int maxKeys = 100_000)
{
    private readonly ConcurrentDictionary<AesKey, Spares> _pools = new();

    public int PerKey { get; } = perKey;

    public int MaxKeys { get; } = maxKeys;

    /// <summary>A pool that keeps nothing: every lease builds a cipher and disposes it (one-off calls, tests).</summary>
    public static LoRaCipherPool Unpooled() => new(perKey: 0, maxKeys: 0);

    public Lease Rent(AesKey key)
    {
        if (_pools.TryGetValue(key, out var spares) && spares.TryTake() is { } cipher)
        {
            return new Lease(this, cipher);
        }

        return new Lease(this, new LoRaCipher(key));
    }

    private void Return(LoRaCipher cipher)
    {
        if (PerKey == 0)
        {
            cipher.Dispose();
            return;
        }

        // ConcurrentDictionary.Count takes every one of its locks: ask it only when a key is new.
        if (!_pools.TryGetValue(cipher.Key, out var spares) && _pools.Count < MaxKeys)
        {
            spares = _pools.GetOrAdd(cipher.Key, static (_, capacity) => new Spares(capacity), PerKey);
        }

        if (spares is null || !spares.TryKeep(cipher))
        {
            cipher.Dispose();
        }
    }

    /// <summary>A rented cipher; dispose to return it.</summary>
    public readonly struct Lease(LoRaCipherPool pool, LoRaCipher cipher) : IDisposable
    {
        public LoRaCipher Cipher { get; } = cipher;

        public void Dispose() => pool.Return(Cipher);
    }

    /// <summary>One key's idle ciphers, at most <c>capacity</c>.</summary>
    private sealed class Spares(int capacity)
    {
        private readonly LoRaCipher[] _items = new LoRaCipher[capacity];
        private readonly Lock _gate = new();
        private int _count;

        public LoRaCipher? TryTake()
        {
            lock (_gate)
            {
                if (_count == 0)
                {
                    return null;
                }

                var cipher = _items[--_count];
                _items[_count] = null!;
                return cipher;
            }
        }

        public bool TryKeep(LoRaCipher cipher)
        {
            lock (_gate)
            {
                if (_count == _items.Length)
                {
                    return false;
                }

                _items[_count++] = cipher;
                return true;
            }
        }
    }
}
