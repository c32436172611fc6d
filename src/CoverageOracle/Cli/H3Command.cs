using System.CommandLine;
using DePin.Wireless.CoverageOracle.H3Tool;

namespace DePin.Wireless.CoverageOracle.Cli;

/// <summary>`h3 --jsonl`: H3 cell queries as JSON lines on stdin → one JSON answer line each on stdout.</summary>
public static class H3Command
{
    public static Command Create()
    {
        var jsonl = new Option<bool>("--jsonl") { Description = "Read {\"lat\",\"lng\",\"res\",\"other\"?} JSON lines from stdin and write one JSON line per input." };
        var command = new Command("h3", "Answer H3 grid queries (cell, centre, boundary, parent, children, disks, grid distance).");
        command.Options.Add(jsonl);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!parseResult.GetValue(jsonl))
            {
                await Console.Error.WriteLineAsync("h3: --jsonl is required (the only supported mode)");
                return 2;
            }

            await new H3JsonLineProcessor().ProcessAsync(Console.In, Console.Out, cancellationToken);
            return 0;
        });
        return command;
    }
}
