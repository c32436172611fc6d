using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.CoverageOracle.VerifyRunner;

/// <summary>Totals of verifying a time range, and the output files written.</summary>
public sealed record RangeSummary(
    long Beacons,
    long ValidPocs,
    long SelectedWitnesses,
    long Witnesses,
    IReadOnlyDictionary<string, long> InvalidBeacons,
    IReadOnlyDictionary<string, long> InvalidWitnesses,
    IReadOnlyList<string> Files);

/// <summary>
/// Verifies [from, to) in consecutive chunks (from, from + chunk, …) so memory stays bounded by one chunk's reports
/// however long the range (a Helium-sized day is 17 M witnesses). Each chunk is one <see cref="PocWindowVerifier"/>
/// run whose outputs are named by the chunk start; the history carries from chunk to chunk, so the result equals
/// verifying the chunks one after another, as <c>serve</c> does with its windows.
/// </summary>
public sealed class RangeVerifier(VerifierOptions options, TimeSpan rollInterval, TimeSpan chunk)
{
    /// <param name="afterChunk">Called with each chunk's verification after its files are written (e.g. to store rows in PostgreSQL).</param>
    public async Task<RangeSummary> VerifyAsync(string reportsDirectory, string outputDirectory, DateTimeOffset from, DateTimeOffset to, RegistryView registry, PocHistory history,
        Func<WindowVerification, CancellationToken, Task>? afterChunk, CancellationToken cancellationToken)
    {
        if (to <= from)
        {
            throw new ArgumentException($"--to ({to:O}) must be after --from ({from:O})");
        }

        if (chunk <= TimeSpan.Zero)
        {
            throw new ArgumentException($"--chunk-minutes: {chunk.TotalMinutes} must be positive");
        }

        var verifier = new PocWindowVerifier(options, rollInterval);
        long beacons = 0, pocs = 0, selected = 0, witnesses = 0;
        var invalidBeacons = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var invalidWitnesses = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var files = new List<string>();
        for (var start = from; start < to; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = start + chunk < to ? start + chunk : to;
            var result = verifier.Verify(reportsDirectory, start, end, registry, history);
            files.AddRange(VerifiedOutputFiles.Write(outputDirectory, start, result));
            if (afterChunk is not null)
            {
                await afterChunk(result, cancellationToken).ConfigureAwait(false);
            }

            beacons += result.Results.Count;
            pocs += result.Pocs.Count;
            foreach (var poc in result.Pocs)
            {
                witnesses += poc.Witnesses.Count;
                selected += poc.Witnesses.Count(w => w.Selected);
            }

            witnesses += result.InvalidWitnesses.Count;
            Count(invalidBeacons, result.InvalidBeacons.Select(b => b.Reason));
            Count(invalidWitnesses, result.InvalidWitnesses.Select(w => w.Reason));
        }

        return new RangeSummary(beacons, pocs, selected, witnesses, invalidBeacons, invalidWitnesses, files);
    }

    private static void Count(SortedDictionary<string, long> counts, IEnumerable<string> reasons)
    {
        foreach (var reason in reasons)
        {
            counts[reason] = counts.GetValueOrDefault(reason) + 1;
        }
    }
}
