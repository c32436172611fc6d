using System.CommandLine;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.CoverageOracle.Denylist;

namespace DePin.Wireless.CoverageOracle.Cli;

/// <summary>`denylist sign`: turns a list of hotspot addresses into a denylist file signed by the authority key.</summary>
public static class DenylistCommand
{
    public static Command Create()
    {
        var key = new Option<string>("--key") { Description = "Denylist authority key file (KeyFile format).", Required = true };
        var input = new Option<string>("--in") { Description = "Text file: one hotspot address per line, or two addresses for a denied edge; '#' comments.", Required = true };
        var output = new Option<string>("--out") { Description = "Signed denylist file to write (replaced atomically).", Required = true };
        var version = new Option<ulong?>("--version") { Description = "Release version (default: Unix seconds now); must not go backwards." };
        var sign = new Command("sign", "Sign a denylist release with the authority key.");
        foreach (var o in new Option[] { key, input, output, version })
        {
            sign.Options.Add(o);
        }

        sign.SetAction((parseResult, cancellationToken) => CliSupport.RunAsync(async () =>
        {
            var inPath = parseResult.GetValue(input)!;
            var outPath = parseResult.GetValue(output)!;
            if (!File.Exists(inPath))
            {
                throw new ArgumentException($"--in: {inPath} does not exist");
            }

            using var authority = ReadKey(parseResult.GetValue(key)!);
            var time = TimeProvider.System;
            var release = DenylistKeyList.Parse(new StringReader(await File.ReadAllTextAsync(inPath, cancellationToken)), parseResult.GetValue(version) ?? (ulong)time.GetUtcNow().ToUnixTimeSeconds(), inPath);
            var bytes = DenylistFile.Sign(release, authority, time, SystemRandomSource.Instance);
            var temporary = outPath + ".tmp";
            await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
            File.Move(temporary, outPath, overwrite: true);
            return new { Out = outPath, release.Version, Hotspots = release.HotspotKeys.Count, DeniedEdges = release.DeniedEdges.Count, Authority = authority.PublicKey.ToAddress() };
        }));
        var command = new Command("denylist", "Signed denylist files.");
        command.Subcommands.Add(sign);
        return command;
    }

    private static KeyPair ReadKey(string path)
    {
        try
        {
            return KeyFile.Read(path);
        }
        catch (KeyFileException ex)
        {
            throw new ArgumentException($"--key: {ex.Message}", ex);
        }
    }
}
