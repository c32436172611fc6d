using System.CommandLine;
using System.Text.Json;
using DePin.Wireless.Core.Identity;

namespace DePin.Wireless.HotspotHost.Cli;

/// <summary><c>key create</c> and <c>key info</c>: the hotspot's identity key file.</summary>
public static class KeyCommand
{
    public static Command Create()
    {
        var command = new Command("key", "Create or inspect the hotspot key file.");
        command.Subcommands.Add(CreateCommand());
        command.Subcommands.Add(InfoCommand());
        return command;
    }

    private static Command CreateCommand()
    {
        var file = new Option<string>("--file") { Description = "Key file to write (mode 0600)", Required = true };
        var type = new Option<string>("--type") { Description = "ed25519 (default) or p256", DefaultValueFactory = _ => "ed25519" };
        var force = new Option<bool>("--force") { Description = "Replace an existing key file (its identity is lost)" };
        var command = new Command("create", "Generate a new hotspot key.") { file, type, force };
        command.SetAction(parse => KeyTool.Create(parse.GetValue(file)!, parse.GetValue(type)!, parse.GetValue(force), SystemRandomSource.Instance, Console.Out, Console.Error));
        return command;
    }

    private static Command InfoCommand()
    {
        var file = new Option<string>("--file") { Description = "Key file to read", Required = true };
        var command = new Command("info", "Print the key's address, public key and type as JSON.") { file };
        command.SetAction(parse => KeyTool.Info(parse.GetValue(file)!, Console.Out, Console.Error));
        return command;
    }
}

/// <summary>The key commands' logic, writer-based so tests run it in process. Exit codes: 0 ok, 1 refused.</summary>
public static class KeyTool
{
    public static int Create(string path, string typeName, bool force, IRandomSource random, TextWriter output, TextWriter errors)
    {
        KeyType type;
        if (typeName.Equals("p256", StringComparison.OrdinalIgnoreCase) || typeName.Equals("p-256", StringComparison.OrdinalIgnoreCase))
        {
            type = KeyType.EcdsaP256;
        }
        else if (!KeyTypes.TryParseName(typeName, out type))
        {
            errors.WriteLine($"key create: --type '{typeName}' is not ed25519 or p256");
            return 1;
        }

        if (File.Exists(path) && !force)
        {
            errors.WriteLine($"key create: {path} already exists; not overwriting it without --force (the hotspot's identity would be lost)");
            return 1;
        }

        try
        {
            using var key = KeyPair.Generate(type, random);
            KeyFile.Write(path, key, overwrite: force);
            output.WriteLine(Describe(key));
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"key create: cannot write {path}: {e.Message}");
            return 1;
        }
    }

    public static int Info(string path, TextWriter output, TextWriter errors)
    {
        if (!File.Exists(path))
        {
            errors.WriteLine($"key info: {path} does not exist");
            return 1;
        }

        try
        {
            using var key = KeyFile.Read(path);
            output.WriteLine(Describe(key));
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"key info: {e.Message}");
            return 1;
        }
    }

    private static string Describe(KeyPair key) => JsonSerializer.Serialize(new
    {
        address = key.PublicKey.ToAddress(),
        publicKey = Convert.ToHexString(key.PublicKey.Bytes).ToLowerInvariant(),
        type = key.Type == KeyType.Ed25519 ? "ed25519" : "p256",
    });
}
