using System.Collections.Concurrent;
using DePin.Wireless.NetworkServer.LoRaWan;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>
/// Reuses <see cref="LoRaCipher"/>s per key. Building one creates an AES context and expands the key, which cost
/// several times the MIC and decryption of a frame. A cipher is not thread-safe, so each frame rents one and
/// returns it. At most <see cref="PerKey"/> ciphers are kept per key and <see cref="MaxKeys"/> keys in all; beyond
/// that, ciphers are built and disposed per use.
/// </summary>
public sealed class LoRaCipherPool(int perKey = 4, int maxKeys = 100_000)
{
    private readonly ConcurrentDictionary<AesKey, ConcurrentBag<LoRaCipher>> _pools = new();

    public int PerKey { get; } = perKey;

    public int MaxKeys { get; } = maxKeys;

    /// <summary>A pool that keeps nothing: every lease builds a cipher and disposes it (one-off calls, tests).</summary>
    public static LoRaCipherPool Unpooled() => new(perKey: 0, maxKeys: 0);

    public Lease Rent(AesKey key)
    {
        if (_pools.TryGetValue(key, out var bag) && bag.TryTake(out var cipher))
        {
            return new Lease(this, cipher);
        }

        return new Lease(this, new LoRaCipher(key));
    }

    private void Return(LoRaCipher cipher)
    {
        var bag = _pools.Count < MaxKeys ? _pools.GetOrAdd(cipher.Key, static _ => []) : _pools.GetValueOrDefault(cipher.Key);
        if (bag is not null && bag.Count < PerKey)
        {
            bag.Add(cipher);
        }
        else
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
}
