using BenchmarkDotNet.Attributes;
using DePin.Wireless.DataCredits.Evm;
using DePin.Wireless.DataCredits.Ledger;
using DePin.Wireless.TestSupport;
using Npgsql;

namespace DePin.Wireless.Benchmarks.DataCredits;

/// <summary>
/// PostgreSQL charging throughput against a throw-away local cluster (fsync off, as in tests): one invocation
/// charges <see cref="Charges"/> distinct packet copies, either as batches of <see cref="BatchSize"/> in one
/// transaction each, or one transaction per copy (baseline).
/// </summary>
public class PostgresChargingBenchmarks
{
    public const int Charges = 20_000;
    public const int BatchSize = 5_000;
    private const int SingleCharges = 500;
    private PostgresServer _server = null!;
    private NpgsqlDataSource _dataSource = null!;
    private PostgresDcLedger _ledger = null!;
    private long _next;

    [GlobalSetup]
    public void Setup()
    {
        _server = PostgresServer.StartAsync().GetAwaiter().GetResult();
        _dataSource = NpgsqlDataSource.Create(_server.CreateDatabaseAsync("bench").GetAwaiter().GetResult());
        _ledger = new PostgresDcLedger(_dataSource, new LedgerOptions());
        _ledger.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        var payer = new PayerKey(new Hash32(Keccak.Hash256("bench-payer")));
        _ledger.AddCreditAsync(payer, long.MaxValue / 2, CancellationToken.None).GetAwaiter().GetResult();
        _ledger.UpsertOrganisationAsync(new Organisation(1, payer, 3, false), CancellationToken.None).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _dataSource.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private PacketCharge NextCharge()
    {
        var n = _next++;
        var bytes = new byte[32];
        BitConverter.TryWriteBytes(bytes, n);
        return new PacketCharge(new Hash32(bytes), 1, "hotspot-" + (n % 64), 2, 0);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = SingleCharges)]
    public async Task OneTransactionPerCharge()
    {
        for (var i = 0; i < SingleCharges; i++)
        {
            await _ledger.ChargeAsync(NextCharge(), CancellationToken.None);
        }
    }

    [Benchmark(OperationsPerInvoke = Charges)]
    public async Task Batched()
    {
        for (var b = 0; b < Charges / BatchSize; b++)
        {
            var batch = new PacketCharge[BatchSize];
            for (var i = 0; i < BatchSize; i++)
            {
                batch[i] = NextCharge();
            }

            await _ledger.ChargeBatchAsync(batch, CancellationToken.None);
        }
    }
}
