using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.NetworkServer.LoRaWan;

/// <summary>Session keys of a LoRaWAN 1.0.x device (§6.2.5 of 1.0.4).</summary>
public readonly record struct SessionKeys10(AesKey NwkSKey, AesKey AppSKey);

/// <summary>Session keys of a LoRaWAN 1.1 device that negotiated 1.1 (OptNeg set; §6.2.3 of 1.1).</summary>
public readonly record struct SessionKeys11(AesKey FNwkSIntKey, AesKey SNwkSIntKey, AesKey NwkSEncKey, AesKey AppSKey);

/// <summary>
/// The LoRaWAN cryptographic functions as pure operations over spans (LoRaWAN 1.0.4 §4.3.3, §4.4, §6.2.5, §6.2.6;
/// 1.1 §6.2.3 and the FOpts CR for the 1.1 options). Keys come in as <see cref="LoRaCipher"/> instances so the AES
/// key schedule and CMAC subkeys are set up once per key.
/// </summary>
[SkipLocalsInit]
public static class LoRaWanCrypto
{
    private const int Block = LoRaCipher.BlockSize;

    /// <summary>
    /// Data-frame MIC: cmac = AES-CMAC(NwkSKey, B0 | msg), MIC = cmac[0..3], with
    /// B0 = 0x49 | 0x00×4 | Dir | DevAddr | FCnt32 | 0x00 | len(msg) (§4.4). <paramref name="signed"/> is MHDR..FRMPayload.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Mic ComputeDataMic(LoRaCipher nwkSKey, ReadOnlySpan<byte> signed, Direction direction, DevAddr devAddr, uint fCnt32)
    {
        if (signed.Length > PhyFrame.MaximumSize - Mic.Size)
        {
            throw new ArgumentException($"msg of {signed.Length} bytes exceeds a PHYPayload", nameof(signed));
        }

        Span<byte> b0 = stackalloc byte[Block];
        WriteCounterBlock(b0, 0x49, direction, devAddr, fCnt32, (byte)signed.Length);
        Span<byte> tag = stackalloc byte[Block];
        nwkSKey.Cmac(b0, signed, tag);
        return Mic.Read(tag);
    }

    /// <summary>
    /// Encrypts or decrypts FRMPayload (the same XOR operation): S = AES(K, A1) | … | AES(K, Ak),
    /// Ai = 0x01 | 0x00×4 | Dir | DevAddr | FCnt32 | 0x00 | i (§4.3.3). K is AppSKey for FPort &gt; 0 and NwkSKey for FPort 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CryptFrmPayload(LoRaCipher key, Direction direction, DevAddr devAddr, uint fCnt32, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (output.Length < input.Length)
        {
            throw new ArgumentException("output is shorter than input", nameof(output));
        }

        if (input.IsEmpty)
        {
            return;
        }

        var blocks = (input.Length + Block - 1) / Block;
        Span<byte> counters = stackalloc byte[blocks * Block];
        Span<byte> stream = stackalloc byte[blocks * Block];
        for (var i = 0; i < blocks; i++)
        {
            WriteCounterBlock(counters.Slice(i * Block, Block), 0x01, direction, devAddr, fCnt32, (byte)(i + 1));
        }

        key.EncryptBlocks(counters, stream);
        for (var i = 0; i < input.Length; i++)
        {
            output[i] = (byte)(input[i] ^ stream[i]);
        }
    }

    /// <summary>
    /// LoRaWAN 1.1 option: FOpts encryption with NwkSEncKey, A = 0x01 | 0x00×3 | (0x02 for AFCntDown else 0x01) | Dir |
    /// DevAddr | FCnt32 | 0x00 | 0x01 (1.1 §4.3.1.6 with the LoRa Alliance FCntDwn-in-FOpts change request). 1.0.x sends FOpts in clear.
    /// </summary>
    public static void CryptFOpts11(LoRaCipher nwkSEncKey, Direction direction, DevAddr devAddr, uint fCnt32, bool usesAFCntDown, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (input.Length > 15)
        {
            throw new ArgumentException($"FOpts of {input.Length} bytes exceeds 15", nameof(input));
        }

        Span<byte> a = stackalloc byte[Block];
        WriteCounterBlock(a, 0x01, direction, devAddr, fCnt32, 0x01);
        a[4] = usesAFCntDown ? (byte)0x02 : (byte)0x01;
        Span<byte> s = stackalloc byte[Block];
        nwkSEncKey.EncryptBlocks(a, s);
        for (var i = 0; i < input.Length; i++)
        {
            output[i] = (byte)(input[i] ^ s[i]);
        }
    }

    /// <summary>JoinRequest MIC = AES-CMAC(AppKey, MHDR | JoinEUI | DevEUI | DevNonce)[0..3] (1.0.4 §6.2.4).</summary>
    public static Mic ComputeJoinRequestMic(LoRaCipher appKey, ReadOnlySpan<byte> signed) => CmacMic(appKey, signed);

    /// <summary>1.0.x JoinAccept MIC = AES-CMAC(AppKey, MHDR | JoinNonce | NetID | DevAddr | DLSettings | RxDelay | CFList)[0..3] (§6.2.6).</summary>
    public static Mic ComputeJoinAcceptMic(LoRaCipher appKey, ReadOnlySpan<byte> signed) => CmacMic(appKey, signed);

    /// <summary>
    /// Encrypts a plain JoinAccept (MHDR in clear, the rest including MIC) for the air. The network uses the AES
    /// <em>decrypt</em> operation so the device only needs AES encrypt to undo it (§6.2.6).
    /// </summary>
    public static void EncryptJoinAccept(LoRaCipher appKey, ReadOnlySpan<byte> plain, Span<byte> wire)
    {
        var problem = JoinAcceptFrame.CheckLength(plain.Length);
        if (problem is not null)
        {
            throw problem;
        }

        wire[0] = plain[0];
        appKey.DecryptBlocks(plain[1..], wire[1..plain.Length]);
    }

    /// <summary>Recovers the plain JoinAccept from its air form with the AES encrypt operation.</summary>
    public static void DecryptJoinAccept(LoRaCipher appKey, ReadOnlySpan<byte> wire, Span<byte> plain)
    {
        var problem = JoinAcceptFrame.CheckLength(wire.Length);
        if (problem is not null)
        {
            throw problem;
        }

        plain[0] = wire[0];
        appKey.EncryptBlocks(wire[1..], plain[1..wire.Length]);
    }

    /// <summary>
    /// 1.0.x session keys: NwkSKey = aes128_encrypt(AppKey, 0x01 | AppNonce | NetID | DevNonce | pad16),
    /// AppSKey the same with 0x02 (1.0.4 §6.2.5). Multi-byte fields little-endian.
    /// </summary>
    public static SessionKeys10 DeriveSessionKeys10(LoRaCipher appKey, uint joinNonce, NetId netId, ushort devNonce)
    {
        Span<byte> input = stackalloc byte[2 * Block];
        WriteDerivationBlock(input[..Block], 0x01, joinNonce, devNonce, netIdOrJoinEui: netId.Value, eui: false);
        WriteDerivationBlock(input[Block..], 0x02, joinNonce, devNonce, netIdOrJoinEui: netId.Value, eui: false);
        Span<byte> keys = stackalloc byte[2 * Block];
        appKey.EncryptBlocks(input, keys);
        return new SessionKeys10(AesKey.FromBytes(keys[..Block]), AesKey.FromBytes(keys[Block..]));
    }

    /// <summary>
    /// LoRaWAN 1.1 option: FNwkSIntKey (0x01), SNwkSIntKey (0x03), NwkSEncKey (0x04) from NwkKey and AppSKey (0x02) from
    /// AppKey, each aes128_encrypt(key, prefix | JoinNonce | JoinEUI | DevNonce | pad16) (1.1 §6.2.3).
    /// </summary>
    public static SessionKeys11 DeriveSessionKeys11(LoRaCipher nwkKey, LoRaCipher appKey, uint joinNonce, Eui64 joinEui, ushort devNonce)
    {
        Span<byte> input = stackalloc byte[3 * Block];
        WriteDerivationBlock(input[..Block], 0x01, joinNonce, devNonce, joinEui.Value, eui: true);
        WriteDerivationBlock(input.Slice(Block, Block), 0x03, joinNonce, devNonce, joinEui.Value, eui: true);
        WriteDerivationBlock(input.Slice(2 * Block, Block), 0x04, joinNonce, devNonce, joinEui.Value, eui: true);
        Span<byte> nwkKeys = stackalloc byte[3 * Block];
        nwkKey.EncryptBlocks(input, nwkKeys);
        Span<byte> appInput = stackalloc byte[Block];
        WriteDerivationBlock(appInput, 0x02, joinNonce, devNonce, joinEui.Value, eui: true);
        Span<byte> appSKey = stackalloc byte[Block];
        appKey.EncryptBlocks(appInput, appSKey);
        return new SessionKeys11(
            AesKey.FromBytes(nwkKeys[..Block]),
            AesKey.FromBytes(nwkKeys.Slice(Block, Block)),
            AesKey.FromBytes(nwkKeys.Slice(2 * Block, Block)),
            AesKey.FromBytes(appSKey));
    }

    private static Mic CmacMic(LoRaCipher key, ReadOnlySpan<byte> signed)
    {
        Span<byte> tag = stackalloc byte[Block];
        key.Cmac(signed, tag);
        return Mic.Read(tag);
    }

    /// <summary>The shared layout of B0 and Ai: tag | 0x00×4 | Dir | DevAddr(LE) | FCnt32(LE) | 0x00 | last.</summary>
    private static void WriteCounterBlock(Span<byte> block, byte tag, Direction direction, DevAddr devAddr, uint fCnt32, byte last)
    {
        block[0] = tag;
        block[1] = 0;
        block[2] = 0;
        block[3] = 0;
        block[4] = 0;
        block[5] = (byte)direction;
        devAddr.WriteLittleEndian(block[6..10]);
        BinaryPrimitives.WriteUInt32LittleEndian(block[10..14], fCnt32);
        block[14] = 0;
        block[15] = last;
    }

    private static void WriteDerivationBlock(Span<byte> block, byte prefix, uint joinNonce, ushort devNonce, ulong netIdOrJoinEui, bool eui)
    {
        block.Clear();
        block[0] = prefix;
        block[1] = (byte)joinNonce;
        block[2] = (byte)(joinNonce >> 8);
        block[3] = (byte)(joinNonce >> 16);
        int next;
        if (eui)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(block[4..12], netIdOrJoinEui);
            next = 12;
        }
        else
        {
            block[4] = (byte)netIdOrJoinEui;
            block[5] = (byte)(netIdOrJoinEui >> 8);
            block[6] = (byte)(netIdOrJoinEui >> 16);
            next = 7;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(block[next..(next + 2)], devNonce);
    }
}
