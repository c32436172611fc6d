using System.Text.Json.Nodes;
using DePin.Wireless.Core.Identity;

namespace DePin.Wireless.Core.Tests.Identity;

public sealed class KeyFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("keyfile-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(KeyType.Ed25519)]
    [InlineData(KeyType.EcdsaP256)]
    public void Written_key_reads_back_with_owner_only_mode(KeyType type)
    {
        var path = Path.Combine(_directory, "keys", "hotspot.key");
        using var key = KeyPair.Generate(type, SystemRandomSource.Instance);
        KeyFile.Write(path, key);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        using var loaded = KeyFile.Read(path);
        Assert.Equal(key.PublicKey, loaded.PublicKey);
        Assert.Equal(key.ExportPrivateKey(), loaded.ExportPrivateKey());
        Assert.Equal(type.Name(), JsonNode.Parse(File.ReadAllText(path))!["key_type"]!.GetValue<string>());
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void Group_or_world_readable_key_is_refused_naming_file_and_mode()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = WriteNewKey();
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var ex = Assert.Throws<KeyFileException>(() => KeyFile.Read(path));
        Assert.Equal($"key file {path} is readable by others (mode 0644): chmod 600 it", ex.Message);

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite);
        ex = Assert.Throws<KeyFileException>(() => KeyFile.Read(path));
        Assert.Contains("(mode 0620)", ex.Message, StringComparison.Ordinal);

        File.SetUnixFileMode(path, UnixFileMode.UserRead);
        using var key = KeyFile.Read(path);
        Assert.Equal(KeyType.Ed25519, key.Type);
    }

    [Fact]
    public void Existing_key_is_not_overwritten_unless_asked()
    {
        var path = WriteNewKey();
        var before = File.ReadAllText(path);
        using var other = KeyPair.Generate(KeyType.Ed25519, SystemRandomSource.Instance);
        var ex = Assert.Throws<KeyFileException>(() => KeyFile.Write(path, other));
        Assert.Contains("already exists", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(path));

        KeyFile.Write(path, other, overwrite: true);
        using var loaded = KeyFile.Read(path);
        Assert.Equal(other.PublicKey, loaded.PublicKey);
    }

    [Fact]
    public void ReadOrCreate_creates_once_then_reads_the_same_key()
    {
        var path = Path.Combine(_directory, "auto.key");
        using var created = KeyFile.ReadOrCreate(path, KeyType.EcdsaP256, SystemRandomSource.Instance);
        using var again = KeyFile.ReadOrCreate(path, KeyType.Ed25519, SystemRandomSource.Instance);
        Assert.Equal(created.PublicKey, again.PublicKey);
        Assert.Equal(KeyType.EcdsaP256, again.Type);
    }

    [Fact]
    public void Missing_file_is_reported()
    {
        var path = Path.Combine(_directory, "nope.key");
        var ex = Assert.Throws<KeyFileException>(() => KeyFile.Read(path));
        Assert.Equal($"key file {path} does not exist", ex.Message);
        Assert.Equal(path, ex.FilePath);
    }

    [Theory]
    [InlineData("not json at all", "is not valid JSON")]
    [InlineData("null", "contains JSON null")]
    [InlineData("{\"format\":\"other\"}", "format is \"other\"")]
    [InlineData("{\"format\":\"depin-wireless-key\",\"version\":2}", "version is 2")]
    [InlineData("{\"format\":\"depin-wireless-key\",\"version\":1,\"key_type\":\"rsa\"}", "key_type is \"rsa\"")]
    [InlineData("{\"format\":\"depin-wireless-key\",\"version\":1,\"key_type\":\"ed25519\"}", "private_key is missing")]
    [InlineData("{\"format\":\"depin-wireless-key\",\"version\":1,\"key_type\":\"ed25519\",\"private_key\":\"zz\"}", "private_key is not hexadecimal")]
    [InlineData("{\"format\":\"depin-wireless-key\",\"version\":1,\"key_type\":\"ed25519\",\"private_key\":\"0102\"}", "private_key private key: ed25519 private key must be 32 bytes, got 2")]
    public void Corrupt_files_are_refused_naming_the_problem(string content, string problem)
    {
        var path = WriteRaw(content);
        var ex = Assert.Throws<KeyFileException>(() => KeyFile.Read(path));
        Assert.StartsWith($"key file {path} ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public_key")]
    [InlineData("address")]
    [InlineData("private_key")]
    public void Edited_field_is_detected(string field)
    {
        var path = WriteNewKey();
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        using var other = KeyPair.Generate(KeyType.Ed25519, SystemRandomSource.Instance);
        json[field] = field switch
        {
            "public_key" => Convert.ToHexStringLower(other.PublicKey.Bytes),
            "address" => other.PublicKey.ToAddress(),
            _ => Convert.ToHexStringLower(other.ExportPrivateKey()),
        };
        File.WriteAllText(path, json.ToJsonString());
        var ex = Assert.Throws<KeyFileException>(() => KeyFile.Read(path));
        var expectedField = field == "private_key" ? "public_key" : field;
        Assert.Contains($"is corrupt: {expectedField} does not match private_key", ex.Message, StringComparison.Ordinal);
    }

    private string WriteNewKey()
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.key");
        using var key = KeyPair.Generate(KeyType.Ed25519, SystemRandomSource.Instance);
        KeyFile.Write(path, key);
        return path;
    }

    private string WriteRaw(string content)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.key");
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }
}
