using DePin.Wireless.TestSupport;

namespace DePin.Wireless.DataCredits.Tests.Cli;

/// <summary>Runs the built DataCredits executable (copied next to the tests) as a real process.</summary>
internal static class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "DePin.Wireless.DataCredits.dll");

    public static Task<ExternalProcess.Result> RunAsync(params string[] args) =>
        ExternalProcess.RunAsync("dotnet", [Dll, .. args], timeout: TimeSpan.FromMinutes(1));
}
