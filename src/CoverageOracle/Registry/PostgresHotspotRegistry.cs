using Dapper;
using DePin.Wireless.CoverageOracle.Verification;
using Npgsql;

namespace DePin.Wireless.CoverageOracle.Registry;

/// <summary>The registry in PostgreSQL. <see cref="MigrateAsync"/> creates its table; it is idempotent.</summary>
public sealed class PostgresHotspotRegistry(NpgsqlDataSource dataSource) : IHotspotRegistry
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await conn.ExecuteAsync(new CommandDefinition(
            """
            CREATE TABLE IF NOT EXISTS hotspots (
                id              text PRIMARY KEY,
                public_key      bytea NOT NULL,
                owner           text NOT NULL,
                region          text NOT NULL,
                capability      text NOT NULL CHECK (capability IN ('full', 'data_only')),
                location        bigint NULL,
                gain_deci_dbi   integer NOT NULL DEFAULT 0,
                elevation_m     integer NOT NULL DEFAULT 0,
                onboarded_at    timestamptz NOT NULL DEFAULT now(),
                asserted_at     timestamptz NULL
            )
            """,
            cancellationToken: cancellationToken));
    }

    public async Task<bool> OnboardAsync(HotspotOnboarding hotspot, CancellationToken cancellationToken = default)
    {
        RegistryValidation.Validate(hotspot);
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO hotspots (id, public_key, owner, region, capability) VALUES (@Id, @PublicKey, @Owner, @Region, @Capability) ON CONFLICT (id) DO NOTHING",
            new { hotspot.Id, hotspot.PublicKey, hotspot.Owner, hotspot.Region, Capability = ToText(hotspot.Capability) },
            cancellationToken: cancellationToken));
        return rows == 1;
    }

    public async Task AssertLocationAsync(LocationAssertion assertion, CancellationToken cancellationToken = default)
    {
        RegistryValidation.Validate(assertion);
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE hotspots SET location = @Location, gain_deci_dbi = @GainDeciDbi, elevation_m = @ElevationMeters, asserted_at = now() WHERE id = @Id",
            new { assertion.Id, Location = unchecked((long)assertion.Location), assertion.GainDeciDbi, assertion.ElevationMeters },
            cancellationToken: cancellationToken));
        if (rows == 0)
        {
            throw new KeyNotFoundException($"hotspot {assertion.Id} is not onboarded");
        }
    }

    public async Task<HotspotInfo?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Select + " WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToInfo();
    }

    public async Task<byte[]?> GetPublicKeyAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        return await conn.QuerySingleOrDefaultAsync<byte[]?>(new CommandDefinition("SELECT public_key FROM hotspots WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<HotspotInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await conn.QueryAsync<Row>(new CommandDefinition(Select + " ORDER BY id COLLATE \"C\"", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToInfo()).ToList();
    }

    private const string Select = "SELECT id AS Id, region AS Region, capability AS Capability, location AS Location, gain_deci_dbi AS GainDeciDbi, elevation_m AS ElevationM FROM hotspots";

    private static string ToText(HotspotCapability c) => c == HotspotCapability.Full ? "full" : "data_only";

    private sealed class Row
    {
        public string Id { get; set; } = "";

        public string Region { get; set; } = "";

        public string Capability { get; set; } = "";

        public long? Location { get; set; }

        public int GainDeciDbi { get; set; }

        public int ElevationM { get; set; }

        public HotspotInfo ToInfo() => new(
            Id,
            Location is { } l ? unchecked((ulong)l) : null,
            GainDeciDbi,
            ElevationM,
            Region,
            Capability == "full" ? HotspotCapability.Full : HotspotCapability.DataOnly);
    }
}
