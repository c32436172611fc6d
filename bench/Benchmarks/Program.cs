using BenchmarkDotNet.Running;

namespace DePin.Wireless.Benchmarks;

/// <summary>Runs the BenchmarkDotNet suites of this assembly: dotnet run -c Release --project bench/Benchmarks -- --filter '*'.</summary>
public static class BenchmarkEntry
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
}
