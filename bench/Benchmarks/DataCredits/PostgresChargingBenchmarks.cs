using BenchmarkDotNet.Attributes;
using DePin.Wireless.DataCredits.Evm;
using DePin.Wireless.DataCredits.Ledger;
using DePin.Wireless.TestSupport;
using Npgsql;

namespace DePin.Wireless.Benchmarks.DataCredits;

/// <summary>
/// Durable PostgreSQL charging throughput against a throw-away local cluster with fsync and synchronous_commit on:
/// one invocation charges <see cref="Charges"/> distinct packet copies as batches of <see cref="BatchSize"/>, one
/// transaction (and one WAL flush) per batch; baselines: one transaction per copy, and the in-process ledger given
/// the same batches; and two payers' batch streams at once. Each case also prints the CPU time per charge of this process and of PostgreSQL, because
/// wall-clock throughput on the shared machine says more about the other load than about this code.
/// </summary>
public class PostgresChargingBenchmarks
{
    public const int Charges = 80_000;
    private const int SingleCharges = 500;
    private PostgresServer _server = null!;
    private NpgsqlDataSource _dataSource = null!;
    private PostgresDcLedger _ledger = null!;
    private InProcessDcLedger _inProcess = null!;
    private ProcessCpuMeter _cpu = null!;
    private (TimeSpan Client, TimeSpan Postgres) _cpuAtStart;
    private long _next;
    private long _charged;

    [Params(5_000, 20_000)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _server = PostgresServer.StartAsync(durable: true).GetAwaiter().GetResult();
        _dataSource = NpgsqlDataSource.Create(_server.CreateDatabaseAsync("bench").GetAwaiter().GetResult());
        _ledger = new PostgresDcLedger(_dataSource, new LedgerOptions());
        _ledger.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        _inProcess = new InProcessDcLedger(new LedgerOptions());
        foreach (IDcLedger ledger in new IDcLedger[] { _ledger, _inProcess })
        {
            foreach (var oui in new ulong[] { 1, 2 })
            {
                var payer = new PayerKey(new Hash32(Keccak.Hash256("bench-payer-" + oui)));
                ledger.AddCreditAsync(payer, long.MaxValue / 4, CancellationToken.None).GetAwaiter().GetResult();
                ledger.UpsertOrganisationAsync(new Organisation(oui, payer, 3, false), CancellationToken.None).GetAwaiter().GetResult();
            }
        }

        _cpu = new ProcessCpuMeter(_server.DataDirectory);
        _cpuAtStart = _cpu.Read();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var (client, postgres) = _cpu.Read();
        var perCharge = (client - _cpuAtStart.Client).TotalMicroseconds / Math.Max(1, _charged);
        var postgresPerCharge = (postgres - _cpuAtStart.Postgres).TotalMicroseconds / Math.Max(1, _charged);
        Console.WriteLine($"// CPU per charge (batch {BatchSize}, {_charged} charges incl. warm-up): client {perCharge:F1} µs, PostgreSQL {postgresPerCharge:F1} µs");
        _dataSource.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private PacketCharge NextCharge(ulong oui = 1)
    {
        var n = Interlocked.Increment(ref _next);
        var bytes = new byte[32];
        BitConverter.TryWriteBytes(bytes, n);
        return new PacketCharge(new Hash32(bytes), oui, "hotspot-" + (n % 64), 2, 0);
    }

    private PacketCharge[] NextBatch(ulong oui = 1)
    {
        var batch = new PacketCharge[BatchSize];
        for (var i = 0; i < BatchSize; i++)
        {
            batch[i] = NextCharge(oui);
        }

        return batch;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = SingleCharges)]
    public async Task OneTransactionPerCharge()
    {
        for (var i = 0; i < SingleCharges; i++)
        {
            await _ledger.ChargeAsync(NextCharge(), CancellationToken.None);
        }

        _charged += SingleCharges;
    }

    [Benchmark(OperationsPerInvoke = Charges)]
    public async Task Batched()
    {
        for (var b = 0; b < Charges / BatchSize; b++)
        {
            await _ledger.ChargeBatchAsync(NextBatch(), CancellationToken.None);
        }

        _charged += Charges;
    }

    /// <summary>Two organisations with different payers, each charged by its own stream of batches at the same time
    /// (their payer locks do not conflict; they share the hotspot share rows).</summary>
    [Benchmark(OperationsPerInvoke = Charges)]
    public async Task BatchedTwoPayersConcurrently()
    {
        await Task.WhenAll(new ulong[] { 1, 2 }.Select(oui => Task.Run(async () =>
        {
            for (var b = 0; b < Charges / BatchSize / 2; b++)
            {
                await _ledger.ChargeBatchAsync(NextBatch(oui), CancellationToken.None);
            }
        })));
        _charged += Charges;
    }

    [Benchmark(OperationsPerInvoke = Charges)]
    public async Task InProcessBatched()
    {
        for (var b = 0; b < Charges / BatchSize; b++)
        {
            await _inProcess.ChargeBatchAsync(NextBatch(), CancellationToken.None);
        }

        _charged += Charges;
    }
}
