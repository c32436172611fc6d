using System.Text.Json;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.CoverageOracle.Tests.VerifyRunner;
using DePin.Wireless.TestSupport;

namespace DePin.Wireless.CoverageOracle.Tests.Cli;

/// <summary>`denylist sign` and `verify --denylist` as the built program.</summary>
public sealed class DenylistCommandTests
{
    private static Task<ExternalProcess.Result> RunAsync(params string[] args) =>
        ExternalProcess.RunAsync("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "DePin.Wireless.CoverageOracle.dll"), .. args], timeout: TimeSpan.FromMinutes(1));

    [Fact]
    public async Task Signed_denylist_makes_the_verifier_refuse_the_denied_witness()
    {
        await using var world = new StoredWorld();
        var beaconer = world.Add("beaconer", StoredWorld.Origin);
        var honest = world.Add("honest", GreatCircle.Destination(StoredWorld.Origin, 90, 2000));
        var denied = world.Add("denied", GreatCircle.Destination(StoredWorld.Origin, 180, 3000));
        await world.WriteEntropyAsync();
        var data = await world.WriteBeaconAsync(beaconer, TimeSpan.FromSeconds(20));
        await world.WriteWitnessAsync(honest, data, TimeSpan.FromSeconds(20.4));
        await world.WriteWitnessAsync(denied, data, TimeSpan.FromSeconds(20.5));
        var registry = await world.WriteRegistryAsync();
        await world.FlushAsync();

        using var authority = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("authority"));
        var keyFile = Path.Combine(world.Directory, "authority.key");
        KeyFile.Write(keyFile, authority);
        var keys = Path.Combine(world.Directory, "keys.txt");
        await File.WriteAllTextAsync(keys, $"# reviewed\n{denied.PublicKey.ToAddress()}\n");
        var denylist = Path.Combine(world.Directory, "denylist.bin");

        var sign = await RunAsync("denylist", "sign", "--key", keyFile, "--in", keys, "--out", denylist, "--version", "12");
        Assert.True(sign.ExitCode == 0, sign.StdErr);
        using (var signed = JsonDocument.Parse(sign.StdOut))
        {
            Assert.Equal(1, signed.RootElement.GetProperty("hotspots").GetInt32());
            Assert.Equal(authority.PublicKey.ToAddress(), signed.RootElement.GetProperty("authority").GetString());
        }

        string[] Verify(string key) =>
            ["verify", "--reports", world.Reports, "--from", "2026-03-10T12:00:00Z", "--to", "2026-03-10T12:30:00Z", "--out", Path.Combine(world.Directory, "out"),
             "--registry", registry, "--bootstrap-reciprocity", "--denylist", denylist, "--denylist-key", key];
        var verify = await RunAsync(Verify(authority.PublicKey.ToAddress()));
        Assert.True(verify.ExitCode == 0, verify.StdErr);
        using var summary = JsonDocument.Parse(verify.StdOut);
        Assert.Equal(1, summary.RootElement.GetProperty("selected_witnesses").GetInt32());
        Assert.Equal(1, summary.RootElement.GetProperty("invalid_witnesses").GetProperty("denied").GetInt32());

        // The same file checked against another key: refused, naming the problem, nothing verified.
        var wrongKey = await RunAsync(Verify(beaconer.PublicKey.ToAddress()));
        Assert.Equal(2, wrongKey.ExitCode);
        Assert.Contains("signer_key", wrongKey.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_with_a_denylist_signed_by_another_key_exits_naming_the_problem()
    {
        var directory = Directory.CreateTempSubdirectory("denylist-serve-").FullName;
        try
        {
            using var authority = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("authority"));
            using var other = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("other"));
            var denylist = Path.Combine(directory, "denylist.bin");
            await File.WriteAllBytesAsync(denylist, Denylist.SignedDenylistTests.Signed(other, TimeProvider.System, 1, authority));
            var registry = Path.Combine(directory, "registry.json");
            await File.WriteAllTextAsync(registry, """{"hotspots":[]}""");
            var config = Path.Combine(directory, "oracle.json");
            await File.WriteAllTextAsync(config, $$"""{"Port":{{FreePort.Tcp()}},"ReportsDirectory":"{{Path.Combine(directory, "reports")}}","OracleKeyFile":"{{Path.Combine(directory, "oracle.key")}}","RegistryFile":"{{registry}}"}""");

            var r = await RunAsync("serve", "--config", config, "--denylist", denylist, "--denylist-key", authority.PublicKey.ToAddress());
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("signer_key is not the denylist authority", r.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Sign_refuses_a_bad_address_naming_the_line()
    {
        var directory = Directory.CreateTempSubdirectory("denylist-sign-").FullName;
        try
        {
            using var authority = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("authority"));
            var keyFile = Path.Combine(directory, "authority.key");
            KeyFile.Write(keyFile, authority);
            var keys = Path.Combine(directory, "keys.txt");
            await File.WriteAllTextAsync(keys, "\nnot-an-address\n");
            var output = Path.Combine(directory, "denylist.bin");
            var r = await RunAsync("denylist", "sign", "--key", keyFile, "--in", keys, "--out", output);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("line 2", r.StdErr, StringComparison.Ordinal);
            Assert.False(File.Exists(output));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
