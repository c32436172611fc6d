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
/// verifying the chunks one after another, as <c>serve</c> does with its windows. The next chunk is read while the
/// current one is verified (two chunks in memory at most).
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
        var chunks = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        for (var start = from; start < to; start += chunk)
        {
            chunks.Add((start, start + chunk < to ? start + chunk : to));
        }

        // Reading and parsing the next chunk (half the work) overlaps verifying this one, which must stay
        // sequential because each verdict depends on the history the earlier ones updated.
        var next = Task.Run(() => verifier.Load(reportsDirectory, chunks[0].Start, chunks[0].End), cancellationToken);
        for (var i = 0; i < chunks.Count; i++)
        {
            var reports = await next.ConfigureAwait(false);
            if (i + 1 < chunks.Count)
            {
                var (nextStart, nextEnd) = chunks[i + 1];
                next = Task.Run(() => verifier.Load(reportsDirectory, nextStart, nextEnd), cancellationToken);
            }

            var result = verifier.Verify(reports, registry, history);
            files.AddRange(VerifiedOutputFiles.Write(outputDirectory, chunks[i].Start, result));
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
