using BenchmarkDotNet.Attributes;
using DePin.Wireless.DataCredits.Charging;
using DePin.Wireless.DataCredits.Evm;
using DePin.Wireless.DataCredits.Ledger;

namespace DePin.Wireless.Benchmarks.DataCredits;

/// <summary>
/// In-process packet charging throughput: one operation = one batch of <see cref="Batch"/> charges of
/// distinct packet copies (so every charge really buys a copy and updates balance, copy counter and share).
/// Baseline: the bare pricing function, to show what the ledger bookkeeping costs on top.
/// </summary>
[MemoryDiagnoser]
public class ChargingBenchmarks
{
    public const int Batch = 10_000;
    private readonly Hash32[] _packets = Enumerable.Range(0, Batch).Select(i => new Hash32(Keccak.Hash256("bench" + i))).ToArray();
    private readonly string[] _hotspots = Enumerable.Range(0, 64).Select(i => "hotspot-" + i).ToArray();
    private InProcessDcLedger _ledger = null!;

    [IterationSetup]
    public void Setup()
    {
        _ledger = new InProcessDcLedger(new LedgerOptions());
        var payer = new PayerKey(new Hash32(Keccak.Hash256("bench-payer")));
        _ledger.AddCreditAsync(payer, long.MaxValue / 2, CancellationToken.None).GetAwaiter().GetResult();
        _ledger.UpsertOrganisationAsync(new Organisation(1, payer, 3, false), CancellationToken.None).GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public long PricingOnly()
    {
        long total = 0;
        for (var i = 0; i < Batch; i++)
        {
            total += DcPricing.PacketCost(i % 242);
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long ChargeInProcess()
    {
        long charged = 0;
        for (var i = 0; i < Batch; i++)
        {
            var result = _ledger.Charge(new PacketCharge(_packets[i], 1, _hotspots[i & 63], DcPricing.PacketCost(i % 242), 0));
            charged += result.Outcome == ChargeOutcome.Charged ? 1 : 0;
        }

        return charged;
    }
}
