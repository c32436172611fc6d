using System.Globalization;
using System.Text.Json;
using DePin.Wireless.CoverageOracle.Registry;
using DePin.Wireless.CoverageOracle.VerifyRunner;
using Npgsql;

namespace DePin.Wireless.CoverageOracle.Cli;

/// <summary>Parsing and output helpers shared by the commands.</summary>
internal static class CliSupport
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>An ISO 8601 time (2026-03-10T12:00:00Z) or Unix milliseconds.</summary>
    public static DateTimeOffset ParseTime(string option, string? text)
    {
        if (text is null)
        {
            throw new ArgumentException($"{option}: required");
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw new ArgumentException($"{option}: \"{text}\" is neither an ISO 8601 time nor Unix milliseconds");
    }

    /// <summary>The registry view from a JSON file (with its denylist) or from PostgreSQL (no denylist there).</summary>
    public static async Task<RegistryView> LoadRegistryAsync(string? file, string? db, CancellationToken cancellationToken)
    {
        if (file is not null)
        {
            var snapshot = await RegistryFile.LoadAsync(file, cancellationToken);
            return new RegistryView(await snapshot.Registry.ListAsync(cancellationToken), snapshot.Denylist, snapshot.DeniedEdges);
        }

        if (db is not null)
        {
            await using var dataSource = NpgsqlDataSource.Create(db);
            var registry = new PostgresHotspotRegistry(dataSource);
            await registry.MigrateAsync(cancellationToken);
            return new RegistryView(await registry.ListAsync(cancellationToken), new HashSet<string>(), new HashSet<(string, string)>());
        }

        throw new ArgumentException("--registry or --db: one is required");
    }

    public static async Task<int> RunAsync(Func<Task<object>> action)
    {
        try
        {
            var result = await action();
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, Json));
            return 0;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or InvalidDataException or KeyNotFoundException or NpgsqlException or FormatException or Google.Protobuf.InvalidProtocolBufferException)
        {
            await Console.Error.WriteLineAsync(JsonSerializer.Serialize(new { error = ex.Message }));
            return 2;
        }
    }
}
