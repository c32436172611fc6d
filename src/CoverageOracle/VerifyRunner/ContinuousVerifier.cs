using System.Numerics;
using System.Text.Json;
using DePin.Wireless.CoverageOracle.Map;
using DePin.Wireless.CoverageOracle.Rewards;
using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.CoverageOracle.VerifyRunner;

public sealed record ContinuousVerifierOptions
{
    /// <summary>Length of each verified window (the report store's 5-minute roll).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long after a window's end it is verified: its beacons' witnesses may arrive up to the witness lag later
    /// and are read from a window widened by lag + entropy lifespan, plus slack for requests still in flight.
    /// </summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(4 + 180 + 16);

    /// <summary>Devnet: a new network has no history, so every asserted hotspot is made reciprocal at the first window.</summary>
    public bool BootstrapReciprocity { get; init; }

    /// <summary>Base units emitted to hotspots per epoch.</summary>
    public BigInteger EpochEmission { get; init; } = BigInteger.Parse("10000000000000", System.Globalization.CultureInfo.InvariantCulture);

    public void Validate()
    {
        if (Window <= TimeSpan.Zero || RewardEpoch.Length.Ticks % Window.Ticks != 0)
        {
            throw new ArgumentException($"VerifyWindowSeconds: {Window.TotalSeconds} must be positive and divide 24 h");
        }

        if (Settle < TimeSpan.Zero || EpochEmission < 0)
        {
            throw new ArgumentException("VerifySettleSeconds and EpochEmission must not be negative");
        }
    }
}

/// <summary>What one step of the continuous verifier did.</summary>
public sealed record VerifyProgress(DateTimeOffset WindowStart, WindowVerification Result, EpochOutcome? ClosedEpoch);

/// <summary>
/// serve's pipeline after ingest: verifies each window of the report store once it has settled (the same
/// <see cref="PocWindowVerifier"/> as <c>verify</c>, writing the same outputs), and when the window that ends an epoch
/// is done, closes the epoch (<see cref="EpochCloser"/>) and publishes it into the map. Progress (the next window
/// and epochs whose close is pending) is kept in <c>verify.progress</c> in the output directory, so a restart
/// neither skips nor repeats a window. History is restored from earlier outputs at start, then carried along; each
/// closed epoch's map snapshot is kept there too (<see cref="EpochSnapshotFiles"/>) and published again after a restart.
/// </summary>
public sealed class ContinuousVerifier
{
    public const string ProgressFileName = "verify.progress";

    private readonly ContinuousVerifierOptions _options;
    private readonly VerifierOptions _verifierOptions;
    private readonly string _directory;
    private readonly Func<CancellationToken, Task<RegistryView>> _registry;
    private readonly Func<RewardEpoch, CancellationToken, Task<IReadOnlyDictionary<string, ulong>>> _dataCredits;
    private readonly EpochCloser _closer;
    private readonly InMemoryCoverageSource _map;
    private readonly TimeProvider _time;
    private readonly SortedSet<long> _pendingEpochs = [];
    private DateTimeOffset _next;
    private PocHistory? _history;

    public ContinuousVerifier(ContinuousVerifierOptions options, VerifierOptions verifierOptions, string directory, Func<CancellationToken, Task<RegistryView>> registry,
        Func<RewardEpoch, CancellationToken, Task<IReadOnlyDictionary<string, ulong>>> dataCredits, EpochCloser closer, InMemoryCoverageSource map, TimeProvider time)
    {
        options.Validate();
        _options = options;
        _verifierOptions = verifierOptions;
        _directory = directory;
        _registry = registry;
        _dataCredits = dataCredits;
        _closer = closer;
        _map = map;
        _time = time;
        _next = ReadProgress() ?? Floor(time.GetUtcNow());
    }

    /// <summary>The start of the next window to verify.</summary>
    public DateTimeOffset NextWindow => _next;

    /// <summary>Verifies every settled window and closes the epochs they complete; returns what was done.</summary>
    public async Task<IReadOnlyList<VerifyProgress>> StepAsync(CancellationToken cancellationToken)
    {
        var done = new List<VerifyProgress>();
        while (_next + _options.Window + _options.Settle <= _time.GetUtcNow())
        {
            var view = await _registry(cancellationToken).ConfigureAwait(false);
            var from = _next;
            WindowVerification result;
            try
            {
                result = VerifyWindow(from, view);
            }
            catch
            {
                // The history may already hold part of this window; the retry restores it from the outputs on disk,
                // which do not include this window, so no beacon is counted twice.
                _history = null;
                throw;
            }

            _next = from + _options.Window;
            if ((_next - DateTimeOffset.UnixEpoch).Ticks % RewardEpoch.Length.Ticks == 0)
            {
                _pendingEpochs.Add(((_next - DateTimeOffset.UnixEpoch).Ticks / RewardEpoch.Length.Ticks) - 1);
            }

            WriteProgress();
            var closed = await ClosePendingAsync(view, cancellationToken).ConfigureAwait(false);
            done.Add(new VerifyProgress(from, result, closed));
        }

        return done;
    }

    /// <summary>
    /// Publishes into the map every epoch closed before (their snapshots in the output directory), so a restarted
    /// oracle still serves them; returns the files that could not be read (left in place, each with its reason).
    /// </summary>
    public IReadOnlyList<string> RestorePublishedEpochs()
    {
        var loaded = EpochSnapshotFiles.LoadAll(_directory);
        foreach (var snapshot in loaded.Snapshots)
        {
            _map.Publish(snapshot);
        }

        return loaded.Problems;
    }

    /// <summary>
    /// Restores earlier epochs into the map (<see cref="RestorePublishedEpochs"/>), then steps every
    /// <paramref name="poll"/> until cancelled; a failed step is reported and retried on the next tick.
    /// </summary>
    public async Task RunAsync(TimeSpan poll, Action<Exception> onError, CancellationToken cancellationToken)
    {
        foreach (var problem in RestorePublishedEpochs())
        {
            onError(new InvalidDataException($"map epoch not restored: {problem}"));
        }

        using var timer = new PeriodicTimer(poll, _time);
        do
        {
            try
            {
                await StepAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Reported and retried on the next tick: serving ingest must not stop because a window could not be verified.
                onError(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    private WindowVerification VerifyWindow(DateTimeOffset from, RegistryView view)
    {
        if (_history is null)
        {
            _history = HistorySeeding.FromPriorOutputs(_directory, from, _verifierOptions, _options.Window);
            if (_options.BootstrapReciprocity)
            {
                HistorySeeding.BootstrapReciprocity(_history, view.Hotspots, from);
            }
        }

        var result = new PocWindowVerifier(_verifierOptions, _options.Window).Verify(_directory, from, from + _options.Window, view, _history);
        VerifiedOutputFiles.Write(_directory, from, result);
        return result;
    }

    /// <summary>Closes pending epochs oldest first; one whose data-transfer shares cannot be fetched stays pending.</summary>
    private async Task<EpochOutcome?> ClosePendingAsync(RegistryView view, CancellationToken cancellationToken)
    {
        EpochOutcome? last = null;
        foreach (var number in _pendingEpochs.ToList())
        {
            var epoch = new RewardEpoch(number);
            var dataCredits = await _dataCredits(epoch, cancellationToken).ConfigureAwait(false);
            last = _closer.Close(_directory, epoch, view, _options.EpochEmission, dataCredits);

            // On disk before it is shown: whatever the map has served, a restart serves again.
            EpochSnapshotFiles.Write(_directory, last.Map);
            _map.Publish(last.Map);
            _pendingEpochs.Remove(number);
            WriteProgress();
        }

        return last;
    }

    private DateTimeOffset Floor(DateTimeOffset t) =>
        DateTimeOffset.UnixEpoch + TimeSpan.FromTicks((t - DateTimeOffset.UnixEpoch).Ticks / _options.Window.Ticks * _options.Window.Ticks);

    private DateTimeOffset? ReadProgress()
    {
        var path = Path.Combine(_directory, ProgressFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        Progress? progress;
        try
        {
            progress = JsonSerializer.Deserialize<Progress>(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a verify progress file ({ex.Message})", ex);
        }

        if (progress is null || progress.NextWindowMs <= 0)
        {
            throw new InvalidDataException($"{path}: next_window_ms missing");
        }

        foreach (var e in progress.PendingEpochs ?? [])
        {
            _pendingEpochs.Add(e);
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(progress.NextWindowMs);
    }

    private void WriteProgress()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, ProgressFileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new Progress { NextWindowMs = _next.ToUnixTimeMilliseconds(), PendingEpochs = [.. _pendingEpochs] }));
        File.Move(temporary, path, overwrite: true);
    }

    private sealed class Progress
    {
        [System.Text.Json.Serialization.JsonPropertyName("next_window_ms")]
        public long NextWindowMs { get; set; }

        [System.Text.Json.Serialization.JsonPropertyName("pending_epochs")]
        public List<long>? PendingEpochs { get; set; }
    }
}
