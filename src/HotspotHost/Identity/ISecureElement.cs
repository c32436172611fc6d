using DePin.Wireless.Core.Identity;

namespace DePin.Wireless.HotspotHost.Identity;

/// <summary>
/// Where the hotspot's signing key lives. The private key never leaves it: callers get the public key and signatures.
/// The default is <see cref="FileKeySecureElement"/>; a hardware element (ATECC608, P-256 only) implements the same
/// two members over I2C.
/// </summary>
public interface ISecureElement : IDisposable
{
    PublicKey PublicKey { get; }

    /// <summary>A 64-byte signature of <paramref name="message"/> in the key type's format (see Wireless.Core Identity README).</summary>
    byte[] Sign(ReadOnlySpan<byte> message);
}

/// <summary>The key from a key file (0600, checked by <see cref="KeyFile.Read"/>).</summary>
public sealed class FileKeySecureElement(KeyPair key) : ISecureElement
{
    public PublicKey PublicKey => key.PublicKey;

    public byte[] Sign(ReadOnlySpan<byte> message) => key.Sign(message);

    public void Dispose() => key.Dispose();

    /// <summary>
    /// Opens the daemon's key: refuses a missing file (pointing at <c>hotspot key create</c>) and everything
    /// <see cref="KeyFile.Read"/> refuses (group/world permissions, damage), as <see cref="HotspotKeyException"/>.
    /// </summary>
    public static FileKeySecureElement Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new HotspotKeyException($"key file {path} does not exist: create one with `hotspot key create --file {path}`");
        }

        try
        {
            return new FileKeySecureElement(KeyFile.Read(path));
        }
        catch (KeyFileException e)
        {
            throw new HotspotKeyException(e.Message, e);
        }
    }
}

/// <summary>The hotspot key cannot be used; the message says why and what to do.</summary>
public sealed class HotspotKeyException : Exception
{
    public HotspotKeyException(string message)
        : base(message)
    {
    }

    public HotspotKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HotspotKeyException()
    {
    }
}
