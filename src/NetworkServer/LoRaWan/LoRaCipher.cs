using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;
using X86Sse2 = System.Runtime.Intrinsics.X86.Sse2;

namespace DePin.Wireless.NetworkServer.LoRaWan;

/// <summary>
/// AES-128 under one key with the operations LoRaWAN needs: ECB block encryption (keystream, key derivation,
/// join-accept decryption), ECB decryption (join-accept encryption) and AES-CMAC (RFC 4493) for MICs.
/// <para>
/// Hot path: on x86 with AES-NI the forward cipher runs on the hardware instructions with a key schedule expanded
/// once, so a block costs nanoseconds and nothing is allocated. .NET's one-shot <see cref="Aes.EncryptEcb(ReadOnlySpan{byte}, Span{byte}, PaddingMode)"/>
/// sets up an OpenSSL context per call (about 10 µs per call measured here, see docs/benchmarks/lorawan.md), which
/// would cap a server at ~100k frames/s; without AES-NI a reusable ECB <see cref="ICryptoTransform"/> is used instead.
/// The CMAC subkeys K1/K2 are derived once at construction.
/// </para>
/// Not thread-safe: keep one instance per key per worker (a session holds its own).
/// </summary>
[SkipLocalsInit]
public sealed class LoRaCipher : IDisposable
{
    public const int BlockSize = 16;

    /// <summary>Largest message a MIC is computed over: B0 (16) + the 255-byte PHYPayload limit, rounded up to blocks.</summary>
    private const int MaxMacInput = 288;

    private readonly Aes aes;
    private readonly Vector128<byte>[]? roundKeys;
    private readonly ICryptoTransform? fallbackEncryptor;
    private readonly byte[] fallbackIn = new byte[BlockSize];
    private readonly byte[] fallbackOut = new byte[BlockSize];
    private Vector128<byte> k1;
    private Vector128<byte> k2;

    /// <param name="key">The AES-128 key.</param>
    /// <param name="useHardwareIntrinsics">False forces the portable path (tests compare both paths).</param>
    public LoRaCipher(AesKey key, bool useHardwareIntrinsics = true)
    {
        Key = key;
        var keyBytes = key.ToArray();
        aes = Aes.Create();
        aes.Key = keyBytes;
        if (useHardwareIntrinsics && X86Aes.IsSupported && X86Sse2.IsSupported)
        {
            roundKeys = ExpandKey(Vector128.Create(keyBytes));
        }
        else
        {
            // Mode/Padding only shape this reusable transform; the one-shot DecryptEcb ignores them.
            aes.Mode = CipherMode.ECB;
            aes.Padding = PaddingMode.None;
            fallbackEncryptor = aes.CreateEncryptor();
        }

        DeriveSubkeys();
    }

    public AesKey Key { get; }

    /// <summary>True when the AES-NI path is in use.</summary>
    public bool UsesHardwareIntrinsics => roundKeys is not null;

    /// <summary>Encrypts whole blocks in ECB mode; <paramref name="source"/> length must be a multiple of 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void EncryptBlocks(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        RequireBlocks(source.Length);
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("destination is shorter than source", nameof(destination));
        }

        for (var offset = 0; offset < source.Length; offset += BlockSize)
        {
            EncryptBlock(source.Slice(offset, BlockSize), destination.Slice(offset, BlockSize));
        }
    }

    /// <summary>Decrypts whole blocks in ECB mode; used to encrypt a JoinAccept (LoRaWAN 1.0.4 §6.2.6), which is rare enough for the one-shot API.</summary>
    public void DecryptBlocks(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        RequireBlocks(source.Length);
        aes.DecryptEcb(source, destination, PaddingMode.None);
    }

    /// <summary>AES-CMAC (RFC 4493) of <paramref name="message"/>; writes the 16-byte tag.</summary>
    public void Cmac(ReadOnlySpan<byte> message, Span<byte> tag) => Cmac(ReadOnlySpan<byte>.Empty, message, tag);

    /// <summary>AES-CMAC of <paramref name="prefix"/> followed by <paramref name="message"/> (B0 | msg) without concatenating on the heap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Cmac(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> message, Span<byte> tag)
    {
        var total = prefix.Length + message.Length;
        if (total > MaxMacInput)
        {
            throw new ArgumentException($"CMAC input of {total} bytes exceeds the LoRaWAN maximum of {MaxMacInput}", nameof(message));
        }

        if (prefix.Length % BlockSize != 0)
        {
            // Unaligned prefix (not a LoRaWAN case): join the two parts first.
            Span<byte> joined = stackalloc byte[total];
            prefix.CopyTo(joined);
            message.CopyTo(joined[prefix.Length..]);
            Cmac(joined, tag);
            return;
        }

        // RFC 4493 §2.4, CBC-MAC with zero IV over all blocks; every block but the last is taken as is, the last is
        // XORed with K1 if complete, else padded 10* and XORed with K2. The prefix is whole blocks (B0), so only the
        // message tail is copied.
        var state = Vector128<byte>.Zero;
        for (var offset = 0; offset < prefix.Length; offset += BlockSize)
        {
            state = EncryptVector(state ^ Vector128.Create(prefix.Slice(offset, BlockSize)));
        }

        var fullBlocks = message.Length / BlockSize;
        var lastComplete = message.Length > 0 && message.Length % BlockSize == 0;
        if (lastComplete)
        {
            fullBlocks--;
        }
        else if (message.Length == 0 && prefix.Length > 0)
        {
            // The prefix's last block was the message's last block: redo it with K1 (only for a bare aligned prefix).
            Cmac(prefix, tag);
            return;
        }

        for (var i = 0; i < fullBlocks; i++)
        {
            state = EncryptVector(state ^ Vector128.Create(message.Slice(i * BlockSize, BlockSize)));
        }

        Span<byte> last = stackalloc byte[BlockSize];
        var tail = message[(fullBlocks * BlockSize)..];
        tail.CopyTo(last);
        Vector128<byte> subkey;
        if (lastComplete)
        {
            subkey = k1;
        }
        else
        {
            last[tail.Length] = 0x80;
            last[(tail.Length + 1)..].Clear();
            subkey = k2;
        }

        state = EncryptVector(state ^ Vector128.Create(last) ^ subkey);
        state.CopyTo(tag);
    }

    public void Dispose()
    {
        fallbackEncryptor?.Dispose();
        aes.Dispose();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EncryptBlock(ReadOnlySpan<byte> input, Span<byte> output) => EncryptVector(Vector128.Create(input[..BlockSize])).CopyTo(output);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector128<byte> EncryptVector(Vector128<byte> block)
    {
        if (roundKeys is { Length: 11 } rk)
        {
            var s = X86Sse2.Xor(block, rk[0]);
            s = X86Aes.Encrypt(s, rk[1]);
            s = X86Aes.Encrypt(s, rk[2]);
            s = X86Aes.Encrypt(s, rk[3]);
            s = X86Aes.Encrypt(s, rk[4]);
            s = X86Aes.Encrypt(s, rk[5]);
            s = X86Aes.Encrypt(s, rk[6]);
            s = X86Aes.Encrypt(s, rk[7]);
            s = X86Aes.Encrypt(s, rk[8]);
            s = X86Aes.Encrypt(s, rk[9]);
            return X86Aes.EncryptLast(s, rk[10]);
        }

        block.CopyTo(fallbackIn);
        fallbackEncryptor!.TransformBlock(fallbackIn, 0, BlockSize, fallbackOut, 0);
        return Vector128.Create(fallbackOut);
    }

    /// <summary>FIPS-197 §5.2 AES-128 key expansion with AESKEYGENASSIST (round constants 01..36).</summary>
    private static Vector128<byte>[] ExpandKey(Vector128<byte> key)
    {
        var rk = new Vector128<byte>[11];
        rk[0] = key;
        rk[1] = Next(rk[0], X86Aes.KeygenAssist(rk[0], 0x01));
        rk[2] = Next(rk[1], X86Aes.KeygenAssist(rk[1], 0x02));
        rk[3] = Next(rk[2], X86Aes.KeygenAssist(rk[2], 0x04));
        rk[4] = Next(rk[3], X86Aes.KeygenAssist(rk[3], 0x08));
        rk[5] = Next(rk[4], X86Aes.KeygenAssist(rk[4], 0x10));
        rk[6] = Next(rk[5], X86Aes.KeygenAssist(rk[5], 0x20));
        rk[7] = Next(rk[6], X86Aes.KeygenAssist(rk[6], 0x40));
        rk[8] = Next(rk[7], X86Aes.KeygenAssist(rk[7], 0x80));
        rk[9] = Next(rk[8], X86Aes.KeygenAssist(rk[8], 0x1B));
        rk[10] = Next(rk[9], X86Aes.KeygenAssist(rk[9], 0x36));
        return rk;

        static Vector128<byte> Next(Vector128<byte> previous, Vector128<byte> assist)
        {
            // Broadcast the RotWord(SubWord(w3)) ^ rcon word, then fold the previous round key's words left to right.
            var t = X86Sse2.Shuffle(assist.AsInt32(), 0xFF).AsByte();
            var k = previous;
            k = X86Sse2.Xor(k, X86Sse2.ShiftLeftLogical128BitLane(k, 4));
            k = X86Sse2.Xor(k, X86Sse2.ShiftLeftLogical128BitLane(k, 4));
            k = X86Sse2.Xor(k, X86Sse2.ShiftLeftLogical128BitLane(k, 4));
            return X86Sse2.Xor(k, t);
        }
    }

    private void DeriveSubkeys()
    {
        // RFC 4493 §2.3: L = AES(K, 0^128); K1 = L<<1 (^ Rb if msb), K2 = K1<<1 (^ Rb if msb), Rb = 0x87.
        Span<byte> l = stackalloc byte[BlockSize];
        Span<byte> s1 = stackalloc byte[BlockSize];
        Span<byte> s2 = stackalloc byte[BlockSize];
        EncryptVector(Vector128<byte>.Zero).CopyTo(l);
        ShiftLeftXorRb(l, s1);
        ShiftLeftXorRb(s1, s2);
        k1 = Vector128.Create<byte>(s1);
        k2 = Vector128.Create<byte>(s2);
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

    private static void RequireBlocks(int length)
    {
        if (length % BlockSize != 0)
        {
            throw new ArgumentException($"AES-ECB input of {length} bytes is not a multiple of {BlockSize}");
        }
    }
}
