using System.CommandLine;
using System.Globalization;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.CoverageOracle.Registry;
using DePin.Wireless.CoverageOracle.Verification;
using Npgsql;

namespace DePin.Wireless.CoverageOracle.Cli;

/// <summary>`onboard` and `assert`: registry administration in PostgreSQL.</summary>
public static class RegistryAdminCommands
{
    public static Command Onboard()
    {
        var db = DbOption();
        var key = new Option<string>("--public-key") { Description = "Typed public key in hex (tag byte + key), or the hotspot's base58 address.", Required = true };
        var owner = new Option<string>("--owner") { Description = "Owner (wallet address or name).", Required = true };
        var region = new Option<string>("--region") { Description = "Region plan, e.g. EU868, US915.", Required = true };
        var capability = new Option<string>("--capability") { Description = "full (default) or data_only.", DefaultValueFactory = _ => "full" };
        var command = new Command("onboard", "Add a hotspot to the registry.");
        foreach (var o in new Option[] { db, key, owner, region, capability })
        {
            command.Options.Add(o);
        }

        command.SetAction((parseResult, cancellationToken) => CliSupport.RunAsync(async () =>
        {
            var publicKey = ParseKey(parseResult.GetValue(key)!);
            var cap = parseResult.GetValue(capability) switch
            {
                "full" => HotspotCapability.Full,
                "data_only" => HotspotCapability.DataOnly,
                var other => throw new ArgumentException($"--capability: \"{other}\" is not full or data_only"),
            };
            var regionName = parseResult.GetValue(region)!;
            if (!Core.Regions.RegionPlans.IsKnown(regionName))
            {
                throw new ArgumentException($"--region: \"{regionName}\" is not one of {string.Join(", ", Core.Regions.RegionPlans.Names)}");
            }

            await using var dataSource = NpgsqlDataSource.Create(parseResult.GetValue(db)!);
            var registry = new PostgresHotspotRegistry(dataSource);
            await registry.MigrateAsync(cancellationToken);
            var id = publicKey.ToAddress();
            var added = await registry.OnboardAsync(new HotspotOnboarding(id, publicKey.ToByteArray(), parseResult.GetValue(owner)!, regionName, cap), cancellationToken);
            return new { Hotspot = id, Onboarded = added, Note = added ? null : "already onboarded; nothing changed" };
        }));
        return command;
    }

    public static Command Assert()
    {
        var db = DbOption();
        var hotspot = new Option<string>("--hotspot") { Description = "Hotspot address.", Required = true };
        var location = new Option<string>("--location") { Description = "H3 cell at resolution 12 (hex), or \"lat,lng\".", Required = true };
        var gain = new Option<double>("--gain-dbi") { Description = "Antenna gain in dBi (stored in tenths).", DefaultValueFactory = _ => 0 };
        var elevation = new Option<int>("--elevation") { Description = "Antenna elevation in metres.", DefaultValueFactory = _ => 0 };
        var command = new Command("assert", "Set a hotspot's location, antenna gain and elevation.");
        foreach (var o in new Option[] { db, hotspot, location, gain, elevation })
        {
            command.Options.Add(o);
        }

        command.SetAction((parseResult, cancellationToken) => CliSupport.RunAsync(async () =>
        {
            var cell = ParseLocation(parseResult.GetValue(location)!);
            await using var dataSource = NpgsqlDataSource.Create(parseResult.GetValue(db)!);
            var registry = new PostgresHotspotRegistry(dataSource);
            await registry.MigrateAsync(cancellationToken);
            var assertion = new LocationAssertion(parseResult.GetValue(hotspot)!, cell, (int)Math.Round(parseResult.GetValue(gain) * 10), parseResult.GetValue(elevation));
            await registry.AssertLocationAsync(assertion, cancellationToken);
            return new { Hotspot = assertion.Id, Location = cell.ToString("x", CultureInfo.InvariantCulture), assertion.GainDeciDbi, assertion.ElevationMeters };
        }));
        return command;
    }

    private static Option<string> DbOption() => new("--db") { Description = "PostgreSQL connection string of the registry.", Required = true };

    private static PublicKey ParseKey(string text)
    {
        if (PublicKey.TryParseAddress(text, out var fromAddress, out _))
        {
            return fromAddress;
        }

        try
        {
            return PublicKey.TryParse(Convert.FromHexString(text), out var key, out var problem) ? key : throw new ArgumentException($"--public-key: {problem}");
        }
        catch (FormatException)
        {
            throw new ArgumentException($"--public-key: \"{text}\" is neither hex nor a base58 address");
        }
    }

    private static ulong ParseLocation(string text)
    {
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        if (comma > 0 &&
            double.TryParse(text.AsSpan(0, comma), NumberStyles.Float, CultureInfo.InvariantCulture, out var lat) &&
            double.TryParse(text.AsSpan(comma + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var lng))
        {
            if (lat is < -90 or > 90 || lng is < -180 or > 180)
            {
                throw new ArgumentException($"--location: {lat},{lng} is not a latitude,longitude in degrees");
            }

            return Core.H3.H3Grid.LatLngToCell(lat, lng, RegistryValidation.AssertedResolution).Value;
        }

        return ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var cell)
            ? cell
            : throw new ArgumentException($"--location: \"{text}\" is neither an H3 cell in hex nor \"lat,lng\"");
    }
}
