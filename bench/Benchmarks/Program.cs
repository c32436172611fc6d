using BenchmarkDotNet.Running;

namespace DePin.Wireless.Benchmarks;

/// <summary>Runs the BenchmarkDotNet suites of this assembly: dotnet run -c Release --project bench/Benchmarks -- --filter '*'.</summary>
public static class BenchmarkEntry
{
    public static void Main(string[] args)
    {
        if (args is ["h3-cputime", ..])
        {
            H3.H3CpuTime.Run(Console.Out);
            return;
        }

        if (args is ["oracle-cputime", ..])
        {
            Oracle.OracleCpuTime.Run(Console.Out);
            return;
        }

        if (args is ["ed25519-cputime", ..])
        {
            Identity.Ed25519CpuTime.Run(Console.Out);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
    }
}
