using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace DePin.Wireless.Core.Identity;

/// <summary>
/// Verifies signatures for any <see cref="PublicKey"/>, keeping imported P-256 keys so that the point decompression
/// and key import (several times the cost of one verification) happen once per signer rather than once per message.
/// Thread-safe. The cache holds at most <see cref="Capacity"/> keys; when full it is emptied and refilled, which
/// keeps memory bounded without bookkeeping on the hot path.
/// </summary>
public sealed class SignatureVerifier : IDisposable
{
    private readonly ConcurrentDictionary<PublicKey, ECDsa> _p256Keys = new();
    private readonly Ed25519Backend _ed25519;

    /// <param name="ed25519Backend">Which Ed25519 implementation verifies (default <see cref="Ed25519Backend.Default"/>).</param>
    public SignatureVerifier(int capacity = 10_000, Ed25519Backend? ed25519Backend = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _ed25519 = ed25519Backend ?? Ed25519Backend.Default;
    }

    public int Capacity { get; }

    /// <summary>
    /// Parses a typed public key like <see cref="PublicKey.TryParse(ReadOnlySpan{byte}, out PublicKey, out string?)"/>.
    /// A P-256 key is validated (the curve check costs about as much as a signature verification) only the first
    /// time; the imported key is kept for the signatures that follow.
    /// </summary>
    public bool TryParseKey(ReadOnlySpan<byte> bytes, out PublicKey key, out string? problem)
    {
        if (!PublicKey.TryParseShape(bytes, out key, out problem))
        {
            return false;
        }

        if (key.Type != KeyType.EcdsaP256 || _p256Keys.ContainsKey(key))
        {
            return true;
        }

        if (!P256.TryDecompress(key.KeyBytes, out var x, out var y, out problem))
        {
            key = default;
            return false;
        }

        Remember(key, P256.CreateVerifier(x, y));
        return true;
    }

    public bool Verify(PublicKey key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != KeyTypes.SignatureLength)
        {
            return false;
        }

        if (key.Type == KeyType.Ed25519)
        {
            return _ed25519.Verify(key.KeyBytes, message, signature);
        }

        if (!P256.IsLowS(signature))
        {
            return false;
        }

        var ecdsa = GetP256(key);

        // ECDsa instances are not documented as safe for concurrent use; one lock per signer key keeps different
        // signers in parallel.
        lock (ecdsa)
        {
            return ecdsa.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }

    /// <summary>Verifies a message held in the first <paramref name="length"/> bytes of an array (no copy for Ed25519).</summary>
    public bool Verify(PublicKey key, byte[] message, int length, ReadOnlySpan<byte> signature) =>
        key.Type == KeyType.Ed25519
            ? _ed25519.Verify(key.KeyBytes, message.AsSpan(0, length), signature)
            : Verify(key, message.AsSpan(0, length), signature);

    public void Dispose()
    {
        foreach (var ecdsa in _p256Keys.Values)
        {
            ecdsa.Dispose();
        }

        _p256Keys.Clear();
    }

    private ECDsa GetP256(PublicKey key)
    {
        if (_p256Keys.TryGetValue(key, out var cached))
        {
            return cached;
        }

        // PublicKey.Parse already checked the point, so decompression cannot fail here.
        P256.TryDecompress(key.KeyBytes, out var x, out var y, out _);
        return Remember(key, P256.CreateVerifier(x, y));
    }

    private ECDsa Remember(PublicKey key, ECDsa created)
    {
        if (_p256Keys.Count >= Capacity)
        {
            // Dropped instances are left to the finalizer: another thread may still be verifying with one.
            _p256Keys.Clear();
        }

        var winner = _p256Keys.GetOrAdd(key, created);
        if (!ReferenceEquals(winner, created))
        {
            created.Dispose();
        }

        return winner;
    }
}
