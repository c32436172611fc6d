using System.Text.Json;
using System.Text.Json.Serialization;

namespace DePin.Wireless.Core.Identity;

/// <summary>
/// Reads and writes a key pair as a small JSON file readable only by its owner (Unix mode 0600), the way ssh and
/// gateway-rs treat key files:
/// <code>{"format":"depin-wireless-key","version":1,"key_type":"ed25519","private_key":"hex","public_key":"hex","address":"base58"}</code>
/// <c>public_key</c> is the tagged binary form; it and <c>address</c> are checked against the private key on load,
/// so a file edited by hand or damaged on disk is refused rather than silently giving a different identity.
/// </summary>
public static class KeyFile
{
    public const string FormatName = "depin-wireless-key";
    public const int CurrentVersion = 1;

    /// <summary>Owner read/write only.</summary>
    public const UnixFileMode RequiredMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupOrOtherAccess =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    // A key file is a few hundred bytes; anything much larger is not one.
    private const long MaxFileBytes = 64 * 1024;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>
    /// Writes <paramref name="key"/> to <paramref name="path"/> with mode 0600. The file is written beside the
    /// target and renamed into place, so a crash never leaves a half-written key. Refuses to replace an existing
    /// file unless <paramref name="overwrite"/> is set: losing a hotspot key loses its identity.
    /// </summary>
    public static void Write(string path, KeyPair key, bool overwrite = false)
    {
        var fullPath = Path.GetFullPath(path);
        if (!overwrite && File.Exists(fullPath))
        {
            throw new KeyFileException(fullPath, $"key file {fullPath} already exists; refusing to overwrite it");
        }

        var privateKey = key.ExportPrivateKey();
        var document = new KeyFileDocument
        {
            Format = FormatName,
            Version = CurrentVersion,
            KeyType = key.Type.Name(),
            PrivateKey = Convert.ToHexStringLower(privateKey),
            PublicKey = Convert.ToHexStringLower(key.PublicKey.Bytes),
            Address = key.PublicKey.ToAddress(),
        };
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(privateKey);
        var json = JsonSerializer.SerializeToUtf8Bytes(document, JsonOptions);

        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = RequiredMode;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(json);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Reads a key file, refusing files others can read and files that are damaged.</summary>
    public static KeyPair Read(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new KeyFileException(fullPath, $"key file {fullPath} does not exist");
        }

        CheckPermissions(fullPath);
        var info = new FileInfo(fullPath);
        if (info.Length > MaxFileBytes)
        {
            throw new KeyFileException(fullPath, $"key file {fullPath} is {info.Length} bytes; a key file is under {MaxFileBytes} bytes, so this is not one");
        }

        KeyFileDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<KeyFileDocument>(File.ReadAllBytes(fullPath), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new KeyFileException(fullPath, $"key file {fullPath} is not valid JSON: {ex.Message}", ex);
        }

        return document is null
            ? throw new KeyFileException(fullPath, $"key file {fullPath} contains JSON null instead of a key object")
            : ToKeyPair(fullPath, document);
    }

    /// <summary>Reads the key at <paramref name="path"/>, or creates one of <paramref name="type"/> if there is no file.</summary>
    public static KeyPair ReadOrCreate(string path, KeyType type, IRandomSource random)
    {
        if (File.Exists(path))
        {
            return Read(path);
        }

        var key = KeyPair.Generate(type, random);
        Write(path, key);
        return key;
    }

    /// <summary>Throws when group or others have any access to the file (Unix only; Windows uses ACLs).</summary>
    public static void CheckPermissions(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOtherAccess) != 0)
        {
            var octal = Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
            throw new KeyFileException(path, $"key file {path} is readable by others (mode {octal}): chmod 600 it");
        }
    }

    private static KeyPair ToKeyPair(string path, KeyFileDocument document)
    {
        if (document.Format != FormatName)
        {
            throw Corrupt(path, "format", $"is \"{document.Format}\", expected \"{FormatName}\"");
        }

        if (document.Version != CurrentVersion)
        {
            throw Corrupt(path, "version", $"is {document.Version}, this program reads version {CurrentVersion}");
        }

        if (!KeyTypes.TryParseName(document.KeyType, out var type))
        {
            throw Corrupt(path, "key_type", $"is \"{document.KeyType}\", expected \"ed25519\" or \"ecdsa_p256\"");
        }

        var privateKey = DecodeHex(path, "private_key", document.PrivateKey);
        KeyPair key;
        try
        {
            key = KeyPair.FromPrivateKey(type, privateKey);
        }
        catch (ArgumentException ex)
        {
            throw Corrupt(path, "private_key", ex.Message);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(privateKey);
        }

        var publicKey = DecodeHex(path, "public_key", document.PublicKey);
        if (!key.PublicKey.Bytes.SequenceEqual(publicKey))
        {
            key.Dispose();
            throw Corrupt(path, "public_key", "does not match private_key (file damaged or edited)");
        }

        if (document.Address is not null && document.Address != key.PublicKey.ToAddress())
        {
            key.Dispose();
            throw Corrupt(path, "address", "does not match private_key (file damaged or edited)");
        }

        return key;
    }

    private static byte[] DecodeHex(string path, string field, string? hex)
    {
        if (string.IsNullOrEmpty(hex))
        {
            throw Corrupt(path, field, "is missing");
        }

        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw Corrupt(path, field, "is not hexadecimal");
        }
    }

    private static KeyFileException Corrupt(string path, string field, string problem) =>
        new(path, $"key file {path} is corrupt: {field} {problem}");

    private sealed class KeyFileDocument
    {
        [JsonPropertyName("format")]
        public string? Format { get; set; }

        [JsonPropertyName("version")]
        public int Version { get; set; }

        [JsonPropertyName("key_type")]
        public string? KeyType { get; set; }

        [JsonPropertyName("private_key")]
        public string? PrivateKey { get; set; }

        [JsonPropertyName("public_key")]
        public string? PublicKey { get; set; }

        [JsonPropertyName("address")]
        public string? Address { get; set; }
    }
}

/// <summary>A key file could not be written or read; the message names the file and the problem.</summary>
public sealed class KeyFileException : IOException
{
    public KeyFileException(string path, string message, Exception? innerException = null)
        : base(message, innerException) => FilePath = path;

    public KeyFileException()
        : this("(unknown)", "key file error")
    {
    }

    public KeyFileException(string message)
        : this("(unknown)", message)
    {
    }

    public KeyFileException(string message, Exception innerException)
        : this("(unknown)", message, innerException)
    {
    }

    public string FilePath { get; }
}
