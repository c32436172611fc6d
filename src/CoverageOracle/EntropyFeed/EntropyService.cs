using DePin.Wireless.Core.Identity;
using DePin.Wireless.CoverageOracle.Storage;
using DePin.Wireless.CoverageOracle.Verification;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.EntropyFeed;

public sealed record EntropyServiceOptions
{
    /// <summary>A new entropy value this often (Helium: 60 s).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a value stays valid for beacons (ENTROPY_LIFESPAN = 180 s); recent values are kept at least this long.</summary>
    public TimeSpan Lifespan { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>How many recent values are kept for lookup (bounded memory); must cover the lifespan.</summary>
    public int RecentCapacity { get; init; } = 64;

    public void Validate()
    {
        if (Interval <= TimeSpan.Zero || Lifespan <= TimeSpan.Zero)
        {
            throw new ArgumentException("entropy Interval and Lifespan must be positive");
        }

        if (RecentCapacity < (int)Math.Ceiling(Lifespan / Interval) + 1)
        {
            throw new ArgumentException($"entropy RecentCapacity {RecentCapacity} cannot hold the {Lifespan.TotalSeconds} s lifespan at one value per {Interval.TotalSeconds} s");
        }
    }
}

/// <summary>
/// Publishes a new signed entropy value every interval: generates it, persists it to the report store (so offline
/// verification finds it), then makes it the current value served at GET /v1/entropy. Keeps a bounded list of
/// recent values for lookup by data. Thread-safe.
/// </summary>
public sealed class EntropyService(EntropyServiceOptions options, EntropySource source, EnvelopeSigner signer, ReportFileStore store, TimeProvider time)
{
    public const uint Version = 1;

    private readonly LinkedList<(EntropyRecord Record, byte[] Envelope)> _recent = new();
    private readonly Lock _gate = new();

    /// <summary>The current value's signed envelope wire bytes; null before the first tick.</summary>
    public byte[]? CurrentEnvelope
    {
        get
        {
            lock (_gate)
            {
                return _recent.First?.Value.Envelope;
            }
        }
    }

    /// <summary>Generates, persists and publishes one value.</summary>
    public async Task<EntropyRecord> TickAsync(CancellationToken cancellationToken)
    {
        options.Validate();
        var now = time.GetUtcNow();
        var data = await source.NextAsync(now, cancellationToken).ConfigureAwait(false);
        var entropy = new Proto.Entropy
        {
            Data = ByteString.CopyFrom(data),
            TimestampS = (ulong)now.ToUnixTimeSeconds(),
            Version = Version,
            OracleKey = ByteString.CopyFrom(signer.Signer.Bytes),
        };
        var envelope = signer.Sign(entropy);
        await store.AppendAsync(new IngestRecord { ReceivedMs = (ulong)now.ToUnixTimeMilliseconds(), Envelope = envelope }, cancellationToken).ConfigureAwait(false);
        var record = new EntropyRecord(data, DateTimeOffset.FromUnixTimeSeconds((long)entropy.TimestampS));
        lock (_gate)
        {
            _recent.AddFirst((record, envelope.ToByteArray()));
            while (_recent.Count > options.RecentCapacity)
            {
                _recent.RemoveLast();
            }
        }

        return record;
    }

    /// <summary>Ticks now and then every interval until cancelled; a failed tick (chain unreachable) is retried next interval.</summary>
    public async Task RunAsync(Action<Exception> onError, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Interval, time);
        do
        {
            try
            {
                await TickAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                onError(ex);
            }
        }
        while (await WaitAsync(timer, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A recent value by its data; null when unknown or no longer kept.</summary>
    public EntropyRecord? Find(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            foreach (var (record, _) in _recent)
            {
                if (record.Data.AsSpan().SequenceEqual(data))
                {
                    return record;
                }
            }
        }

        return null;
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
