using System.Text.Json;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.HotspotHost.Cli;
using DePin.Wireless.HotspotHost.Identity;

namespace DePin.Wireless.HotspotHost.Tests;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // key files are Unix-mode files
public sealed class KeyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hotspot-keys-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("ed25519", "ed25519", 33)]
    [InlineData("p256", "p256", 34)]
    public void Create_writes_a_0600_key_and_info_reports_the_same_identity(string requested, string type, int publicKeyBytes)
    {
        var path = Path.Combine(_dir, "hotspot.key");
        var created = new StringWriter();
        Assert.Equal(0, KeyTool.Create(path, requested, force: false, SeededRandomSource.FromLabel("k"), created, TextWriter.Null));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        var info = new StringWriter();
        Assert.Equal(0, KeyTool.Info(path, info, TextWriter.Null));
        Assert.Equal(created.ToString(), info.ToString());
        var json = JsonDocument.Parse(info.ToString()).RootElement;
        Assert.Equal(type, json.GetProperty("type").GetString());
        using var key = KeyFile.Read(path);
        Assert.Equal(key.PublicKey.ToAddress(), json.GetProperty("address").GetString());
        Assert.Equal(publicKeyBytes * 2, json.GetProperty("publicKey").GetString()!.Length);
    }

    [Fact]
    public void Create_never_overwrites_without_force()
    {
        var path = Path.Combine(_dir, "hotspot.key");
        Assert.Equal(0, KeyTool.Create(path, "ed25519", false, SeededRandomSource.FromLabel("a"), TextWriter.Null, TextWriter.Null));
        var original = File.ReadAllText(path);
        var errors = new StringWriter();
        Assert.Equal(1, KeyTool.Create(path, "ed25519", false, SeededRandomSource.FromLabel("b"), TextWriter.Null, errors));
        Assert.Contains("--force", errors.ToString());
        Assert.Equal(original, File.ReadAllText(path));

        Assert.Equal(0, KeyTool.Create(path, "ed25519", true, SeededRandomSource.FromLabel("b"), TextWriter.Null, TextWriter.Null));
        Assert.NotEqual(original, File.ReadAllText(path));
    }

    [Fact]
    public void Unknown_type_is_refused_by_name()
    {
        var errors = new StringWriter();
        Assert.Equal(1, KeyTool.Create(Path.Combine(_dir, "k"), "rsa", false, SeededRandomSource.FromLabel("a"), TextWriter.Null, errors));
        Assert.Contains("--type 'rsa'", errors.ToString());
        Assert.False(File.Exists(Path.Combine(_dir, "k")));
    }

    [Fact]
    public void Daemon_key_is_refused_when_missing_world_readable_or_damaged()
    {
        var path = Path.Combine(_dir, "hotspot.key");
        var missing = Assert.Throws<HotspotKeyException>(() => FileKeySecureElement.Open(path));
        Assert.Contains("does not exist", missing.Message);
        Assert.Contains("hotspot key create", missing.Message);

        Assert.Equal(0, KeyTool.Create(path, "ed25519", false, SeededRandomSource.FromLabel("a"), TextWriter.Null, TextWriter.Null));
        using (var ok = FileKeySecureElement.Open(path))
        {
            var signature = ok.Sign([1, 2, 3]);
            Assert.True(ok.PublicKey.Verify([1, 2, 3], signature));
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var open = Assert.Throws<HotspotKeyException>(() => FileKeySecureElement.Open(path));
        Assert.Contains("readable by others", open.Message);

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, "{ damaged");
        Assert.Throws<HotspotKeyException>(() => FileKeySecureElement.Open(path));
    }
}
