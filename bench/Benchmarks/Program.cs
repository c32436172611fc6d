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

        if (args is ["ns-throughput", ..])
        {
            NetworkServer.PipelineThroughput.Run(args, Console.Out);
            return;
        }

        if (args is ["ns-parts", ..])
        {
            NetworkServer.PipelineParts.Run(Console.Out);
            return;
        }

        if (args is ["oracle-cputime", "ingest", ..])
        {
            Oracle.IngestSignatureRatio.Run(Console.Out);
            return;
        }

        if (args is ["oracle-cputime", ..])
        {
            Oracle.OracleCpuTime.Run(Console.Out, densityOnly: args is [_, "density", ..]);
            return;
        }

        if (args is ["oracle-day", ..])
        {
            Oracle.HeliumDay.Run(Console.Out, args);
            return;
        }

        if (args is ["report-auth-cputime", ..])
        {
            Identity.ReportAuthCpuTime.Run(Console.Out);
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
