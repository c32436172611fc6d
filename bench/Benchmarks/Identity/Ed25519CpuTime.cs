namespace DePin.Wireless.Benchmarks.Identity;

/// <summary>
/// Process-CPU-time per operation for the <see cref="Ed25519BackendBenchmarks"/> methods (15 rounds of ~200 ms,
/// median; see <see cref="CpuTimeSampler"/>). On the shared, oversubscribed machine the wall clock mostly measures
/// waiting for a core; CPU time is what each backend costs.
/// Run: dotnet run -c Release --project bench/Benchmarks -- ed25519-cputime
/// </summary>
public static class Ed25519CpuTime
{
    private const int OpsPerCall = 20;

    public static void Run(TextWriter output)
    {
        var bench = new Ed25519BackendBenchmarks();
        bench.Setup();
        Measure(output, "sign bouncycastle", () => Repeat(bench.SignBouncyCastle));
        Measure(output, "sign openssl", () => Repeat(bench.SignOpenSsl));
        Measure(output, "verify bouncycastle", () => Repeat(() => bench.VerifyBouncyCastle()));
        Measure(output, "verify openssl", () => Repeat(() => bench.VerifyOpenSsl()));
        Measure(output, "derive bouncycastle", () => Repeat(() => bench.DeriveBouncyCastle()));
        Measure(output, "derive openssl", () => Repeat(() => bench.DeriveOpenSsl()));
        bench.Cleanup();
    }

    private static int Repeat(Action body)
    {
        for (var i = 0; i < OpsPerCall; i++)
        {
            body();
        }

        return OpsPerCall;
    }

    private static void Measure(TextWriter output, string name, Func<int> body)
    {
        var t = CpuTimeSampler.Measure(body, warmupCalls: 50, roundMilliseconds: 200, OpsPerCall, out _);
        output.WriteLine($"{name,-20} cpu-time median {t.CpuMedian / 1000,7:F1} µs/op (min {t.CpuMin / 1000:F1})   wall median {t.WallMedian / 1000,7:F1} µs/op");
    }
}
