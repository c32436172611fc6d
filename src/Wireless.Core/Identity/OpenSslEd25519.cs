using System.Runtime.InteropServices;

namespace DePin.Wireless.Core.Identity;

/// <summary>
/// Ed25519 through the system's OpenSSL 3 libcrypto (EVP_DigestSign / EVP_DigestVerify on raw EVP_PKEYs). A signing
/// key keeps its EVP_PKEY for its lifetime; each operation uses its own EVP_MD_CTX, so one key signs on many threads
/// at once (OpenSSL 3 allows concurrent read-only use of an EVP_PKEY). Encoding checks shared with BouncyCastle
/// (<see cref="Ed25519Encoding"/>) run first so both backends refuse the same inputs.
/// </summary>
internal sealed class OpenSslEd25519 : Ed25519Backend
{
    private OpenSslEd25519()
    {
    }

    public override string Name => "openssl";

    /// <summary>Loads libcrypto and runs the RFC 8032 §7.1 TEST 2 known answer; null when either fails.</summary>
    internal static OpenSslEd25519? TryCreate()
    {
        try
        {
            var backend = new OpenSslEd25519();
            return backend.PassesSelfTest() ? backend : null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or CryptographicFailure)
        {
            return null;
        }
    }

    public override byte[] DerivePublicKey(ReadOnlySpan<byte> seed)
    {
        using var key = (SigningKey)CreateSigningKey(seed);
        return key.PublicKey();
    }

    public override Ed25519SigningKey CreateSigningKey(ReadOnlySpan<byte> seed)
    {
        BouncyCastleEd25519.RequireSeed(seed);
        return new SigningKey(LibCrypto.NewRawKey(seed, isPrivate: true));
    }

    private protected override bool VerifyChecked(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        using var key = LibCrypto.NewRawKey(publicKey, isPrivate: false);
        return LibCrypto.Verify(key, message, signature);
    }

    private bool PassesSelfTest()
    {
        // RFC 8032 §7.1 TEST 2: one-byte message 0x72.
        var seed = Convert.FromHexString("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
        var expectedPublic = Convert.FromHexString("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
        var expectedSignature = Convert.FromHexString(
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
        byte[] message = [0x72];
        using var key = (SigningKey)CreateSigningKey(seed);
        Span<byte> signature = stackalloc byte[Ed25519Encoding.SignatureLength];
        key.Sign(message, signature);
        return key.PublicKey().AsSpan().SequenceEqual(expectedPublic) &&
            signature.SequenceEqual(expectedSignature) &&
            Verify(expectedPublic, message, signature);
    }

    private sealed class SigningKey(EvpPKeyHandle key) : Ed25519SigningKey
    {
        public override void Sign(ReadOnlySpan<byte> message, Span<byte> signature) => LibCrypto.Sign(key, message, signature);

        public byte[] PublicKey() => LibCrypto.RawPublicKey(key);

        public override void Dispose() => key.Dispose();
    }
}

/// <summary>An OpenSSL call failed where it should not (out of memory, library mismatch).</summary>
internal sealed class CryptographicFailure(string message) : Exception(message);

/// <summary>An owned <c>EVP_PKEY*</c>, freed with EVP_PKEY_free.</summary>
internal sealed class EvpPKeyHandle : SafeHandle
{
    public EvpPKeyHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        LibCrypto.EVP_PKEY_free(handle);
        return true;
    }
}

/// <summary>An owned <c>EVP_MD_CTX*</c>, freed with EVP_MD_CTX_free.</summary>
internal sealed class EvpMdContextHandle : SafeHandle
{
    public EvpMdContextHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        LibCrypto.EVP_MD_CTX_free(handle);
        return true;
    }
}

/// <summary>The libcrypto entry points Ed25519 needs (OpenSSL 3.0 API, include/openssl/evp.h).</summary>
internal static unsafe partial class LibCrypto
{
    private const string Library = "libcrypto.so.3";

    // NID_ED25519 = EVP_PKEY_ED25519 = 1087 (include/openssl/obj_mac.h).
    private const int EvpPkeyEd25519 = 1087;

    public static EvpPKeyHandle NewRawKey(ReadOnlySpan<byte> bytes, bool isPrivate)
    {
        EvpPKeyHandle key;
        fixed (byte* p = bytes)
        {
            key = isPrivate
                ? EVP_PKEY_new_raw_private_key(EvpPkeyEd25519, IntPtr.Zero, p, (nuint)bytes.Length)
                : EVP_PKEY_new_raw_public_key(EvpPkeyEd25519, IntPtr.Zero, p, (nuint)bytes.Length);
        }

        if (key.IsInvalid)
        {
            ERR_clear_error();
            key.Dispose();
            throw new CryptographicFailure($"OpenSSL: EVP_PKEY_new_raw_{(isPrivate ? "private" : "public")}_key failed for a {bytes.Length}-byte Ed25519 key");
        }

        return key;
    }

    public static byte[] RawPublicKey(EvpPKeyHandle key)
    {
        var publicKey = new byte[Ed25519Encoding.PublicKeyLength];
        nuint length = (nuint)publicKey.Length;
        fixed (byte* p = publicKey)
        {
            if (EVP_PKEY_get_raw_public_key(key, p, &length) != 1 || length != (nuint)publicKey.Length)
            {
                ERR_clear_error();
                throw new CryptographicFailure("OpenSSL: EVP_PKEY_get_raw_public_key failed");
            }
        }

        return publicKey;
    }

    public static void Sign(EvpPKeyHandle key, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        if (signature.Length < Ed25519Encoding.SignatureLength)
        {
            throw new ArgumentException($"signature: destination must hold {Ed25519Encoding.SignatureLength} bytes, has {signature.Length}", nameof(signature));
        }

        using var context = NewContext();
        byte empty = 0;
        nuint length = Ed25519Encoding.SignatureLength;
        fixed (byte* m = message)
        fixed (byte* s = signature)
        {
            // A pure-Ed25519 EVP_DigestSignInit takes no digest (NULL); OpenSSL hashes internally with SHA-512.
            if (EVP_DigestSignInit(context, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, key) != 1 ||
                EVP_DigestSign(context, s, &length, m == null ? &empty : m, (nuint)message.Length) != 1 ||
                length != Ed25519Encoding.SignatureLength)
            {
                ERR_clear_error();
                throw new CryptographicFailure("OpenSSL: EVP_DigestSign failed for an Ed25519 key");
            }
        }
    }

    public static bool Verify(EvpPKeyHandle key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        using var context = NewContext();
        byte empty = 0;
        fixed (byte* m = message)
        fixed (byte* s = signature)
        {
            if (EVP_DigestVerifyInit(context, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, key) != 1)
            {
                ERR_clear_error();
                throw new CryptographicFailure("OpenSSL: EVP_DigestVerifyInit failed for an Ed25519 key");
            }

            // 1 = valid; 0 = does not verify; negative = malformed (OpenSSL leaves an error on the queue then).
            var result = EVP_DigestVerify(context, s, (nuint)signature.Length, m == null ? &empty : m, (nuint)message.Length);
            if (result != 1)
            {
                ERR_clear_error();
            }

            return result == 1;
        }
    }

    private static EvpMdContextHandle NewContext()
    {
        var context = EVP_MD_CTX_new();
        if (context.IsInvalid)
        {
            context.Dispose();
            throw new CryptographicFailure("OpenSSL: EVP_MD_CTX_new failed (out of memory)");
        }

        return context;
    }

    [LibraryImport(Library)]
    private static partial EvpPKeyHandle EVP_PKEY_new_raw_private_key(int type, IntPtr engine, byte* key, nuint length);

    [LibraryImport(Library)]
    private static partial EvpPKeyHandle EVP_PKEY_new_raw_public_key(int type, IntPtr engine, byte* key, nuint length);

    [LibraryImport(Library)]
    private static partial int EVP_PKEY_get_raw_public_key(EvpPKeyHandle key, byte* publicKey, nuint* length);

    [LibraryImport(Library)]
    internal static partial void EVP_PKEY_free(IntPtr key);

    [LibraryImport(Library)]
    private static partial EvpMdContextHandle EVP_MD_CTX_new();

    [LibraryImport(Library)]
    internal static partial void EVP_MD_CTX_free(IntPtr context);

    [LibraryImport(Library)]
    private static partial int EVP_DigestSignInit(EvpMdContextHandle context, IntPtr keyContext, IntPtr digest, IntPtr engine, EvpPKeyHandle key);

    [LibraryImport(Library)]
    private static partial int EVP_DigestSign(EvpMdContextHandle context, byte* signature, nuint* signatureLength, byte* message, nuint messageLength);

    [LibraryImport(Library)]
    private static partial int EVP_DigestVerifyInit(EvpMdContextHandle context, IntPtr keyContext, IntPtr digest, IntPtr engine, EvpPKeyHandle key);

    [LibraryImport(Library)]
    private static partial int EVP_DigestVerify(EvpMdContextHandle context, byte* signature, nuint signatureLength, byte* message, nuint messageLength);

    [LibraryImport(Library)]
    private static partial void ERR_clear_error();
}
