using DePin.Wireless.DataCredits.Ledger;
using Npgsql;

namespace DePin.Wireless.DataCredits.Cli;

/// <summary>Opens the PostgreSQL ledger named by --db and applies migrations.</summary>
public sealed class OpenedLedger : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _dataSource;

    private OpenedLedger(IDcLedger ledger, NpgsqlDataSource? dataSource)
    {
        Ledger = ledger;
        _dataSource = dataSource;
    }

    public IDcLedger Ledger { get; }

    public static async Task<OpenedLedger> OpenAsync(string? connectionString, LedgerOptions options, CancellationToken ct)
    {
        if (connectionString is null)
        {
            return new OpenedLedger(new InProcessDcLedger(options), null);
        }

        var dataSource = NpgsqlDataSource.Create(CommandRunner.RequireConnectionString(connectionString));
        var ledger = new PostgresDcLedger(dataSource, options);
        await ledger.InitializeAsync(ct);
        return new OpenedLedger(ledger, dataSource);
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}
