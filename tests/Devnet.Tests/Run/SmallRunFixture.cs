using System.Text;
using DePin.Wireless.Devnet.Run;

namespace DePin.Wireless.Devnet.Tests.Run;

/// <summary>Three small runs shared by the run tests: seed 1 twice (with adversaries) and seed 2 once.</summary>
public sealed class SmallRunFixture
{
    public static RunOptions Options(int seed) => new() { Hotspots = 40, Devices = 20, Hours = 6, Seed = seed, Adversaries = 9, OutputDirectory = "unused" };

    public SmallRunFixture()
    {
        First = Execute(Options(1));
        Again = Execute(Options(1));
        OtherSeed = Execute(Options(2));
    }

    public RunResult First { get; }

    public RunResult Again { get; }

    public RunResult OtherSeed { get; }

    public static string Summary(RunResult result)
    {
        using var stream = new MemoryStream();
        RunOutputWriter.WriteSummary(result, stream, includeWallClock: false);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string Text(Action<RunResult, Stream> write, RunResult result)
    {
        using var stream = new MemoryStream();
        write(result, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static RunResult Execute(RunOptions options)
    {
        using var simulation = new DevnetSimulation(options);
        return simulation.Run();
    }
}
