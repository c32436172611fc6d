using System.Security.Cryptography;

namespace DePin.Wireless.NetworkServer.LoRaWan;

/// <summary>
/// AES-128 under one key with the two operations LoRaWAN needs: single/multi-block ECB encryption (keystream, key
/// derivation, join-accept) and AES-CMAC (RFC 4493) for MICs. CMAC is computed as one CBC-MAC pass over a stack
/// buffer with the subkeys K1/K2 derived once at construction, so a MIC costs one AES call and no heap allocation.
/// Not thread-safe: keep one instance per key per worker (a session holds its own).
/// </summary>
public sealed class LoRaCipher : IDisposable
{
    public const int BlockSize = 16;

    /// <summary>Largest message a MIC is computed over: B0 (16) + the 255-byte PHYPayload limit, rounded up to blocks.</summary>
    private const int MaxMacInput = 288;

    private readonly Aes aes;
    private readonly byte[] k1 = new byte[BlockSize];
    private readonly byte[] k2 = new byte[BlockSize];
    private readonly byte[] zeroIv = new byte[BlockSize];

    public LoRaCipher(AesKey key)
    {
        Key = key;
        aes = Aes.Create();
        aes.Key = key.ToArray();
        DeriveSubkeys();
    }

    public AesKey Key { get; }

    /// <summary>Encrypts whole blocks in ECB mode; <paramref name="source"/> length must be a multiple of 16.</summary>
    public void EncryptBlocks(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        RequireBlocks(source.Length);
        aes.EncryptEcb(source, destination, PaddingMode.None);
    }

    /// <summary>Decrypts whole blocks in ECB mode; used to encrypt a JoinAccept (LoRaWAN 1.0.4 §6.2.6).</summary>
    public void DecryptBlocks(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        RequireBlocks(source.Length);
        aes.DecryptEcb(source, destination, PaddingMode.None);
    }

    /// <summary>AES-CMAC (RFC 4493) of <paramref name="message"/>; writes the 16-byte tag.</summary>
    public void Cmac(ReadOnlySpan<byte> message, Span<byte> tag) => Cmac(ReadOnlySpan<byte>.Empty, message, tag);

    /// <summary>AES-CMAC of <paramref name="prefix"/> followed by <paramref name="message"/> (B0 | msg) without concatenating on the heap.</summary>
    public void Cmac(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> message, Span<byte> tag)
    {
        var total = prefix.Length + message.Length;
        if (total > MaxMacInput)
        {
            throw new ArgumentException($"CMAC input of {total} bytes exceeds the LoRaWAN maximum of {MaxMacInput}", nameof(message));
        }

        // RFC 4493 §2.4: n blocks (at least one); the last is XORed with K1 if complete, else padded 10* and XORed with K2.
        var blocks = Math.Max(1, (total + BlockSize - 1) / BlockSize);
        var length = blocks * BlockSize;
        Span<byte> buffer = stackalloc byte[MaxMacInput];
        buffer = buffer[..length];
        prefix.CopyTo(buffer);
        message.CopyTo(buffer[prefix.Length..]);
        var last = buffer[(length - BlockSize)..];
        var complete = total > 0 && total % BlockSize == 0;
        if (complete)
        {
            Xor(last, k1);
        }
        else
        {
            buffer[total] = 0x80;
            buffer[(total + 1)..].Clear();
            Xor(last, k2);
        }

        Span<byte> cbc = stackalloc byte[MaxMacInput];
        aes.EncryptCbc(buffer, zeroIv, cbc[..length], PaddingMode.None);
        cbc.Slice(length - BlockSize, BlockSize).CopyTo(tag);
    }

    public void Dispose() => aes.Dispose();

    private void DeriveSubkeys()
    {
        // RFC 4493 §2.3: L = AES(K, 0^128); K1 = L<<1 (^ Rb if msb), K2 = K1<<1 (^ Rb if msb), Rb = 0x87.
        Span<byte> l = stackalloc byte[BlockSize];
        aes.EncryptEcb(new byte[BlockSize], l, PaddingMode.None);
        ShiftLeftXorRb(l, k1);
        ShiftLeftXorRb(k1, k2);
    }

    private static void ShiftLeftXorRb(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var carry = 0;
        for (var i = BlockSize - 1; i >= 0; i--)
        {
            var b = input[i];
            output[i] = (byte)((b << 1) | carry);
            carry = b >> 7;
        }

        if ((input[0] & 0x80) != 0)
        {
            output[BlockSize - 1] ^= 0x87;
        }
    }

    private static void Xor(Span<byte> target, ReadOnlySpan<byte> with)
    {
        for (var i = 0; i < BlockSize; i++)
        {
            target[i] ^= with[i];
        }
    }

    private static void RequireBlocks(int length)
    {
        if (length % BlockSize != 0)
        {
            throw new ArgumentException($"AES-ECB input of {length} bytes is not a multiple of {BlockSize}");
        }
    }
}
