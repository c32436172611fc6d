using Microsoft.Extensions.Logging;

namespace DePin.Wireless.HotspotHost.Forwarding;

/// <summary>What became of one delivery attempt.</summary>
public enum DeliveryOutcome
{
    Delivered,

    /// <summary>Transient failure (no answer, 5xx): try again after the back-off.</summary>
    Retry,

    /// <summary>The service refused the report itself (4xx): retrying cannot help, drop it.</summary>
    Rejected,
}

/// <summary>
/// Delivers signed reports to a service through a <see cref="ForwardQueue{T}"/> with a few workers: fresh reports
/// go first, failures come back after the queue's back-off, old and overflowing ones are dropped and counted.
/// </summary>
public sealed class DeliveryQueue<T> : IDisposable
{
    private readonly ForwardQueue<T> _queue;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Func<T, CancellationToken, Task<DeliveryOutcome>> _deliver;
    private readonly TimeProvider _time;
    private readonly int _concurrency;
    private readonly ILogger _logger;
    private long _rejected;
    private int _inFlight;

    public DeliveryQueue(string name, ForwardQueueOptions options, int concurrency, TimeProvider time, Func<T, CancellationToken, Task<DeliveryOutcome>> deliver, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        Name = name;
        _queue = new ForwardQueue<T>(options, time);
        _concurrency = concurrency;
        _time = time;
        _deliver = deliver;
        _logger = logger;
    }

    public string Name { get; }

    public DeliveryCounters Counters
    {
        get
        {
            lock (_gate)
            {
                return new DeliveryCounters(_queue.Depth, _inFlight, _queue.Delivered, _queue.Retried, Interlocked.Read(ref _rejected), _queue.DroppedOverflow, _queue.DroppedExpired);
            }
        }
    }

    public void Enqueue(T item)
    {
        lock (_gate)
        {
            _queue.Enqueue(item);
        }

        _wake.Release();
    }

    /// <summary>Runs the workers until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, _concurrency).Select(_ => WorkAsync(cancellationToken)));

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            QueuedItem<T>? item;
            DateTimeOffset? nextRetry;
            lock (_gate)
            {
                item = _queue.TakeReady();
                nextRetry = item is null ? _queue.NextRetryDue() : null;
                if (item is not null)
                {
                    _inFlight++;
                }
            }

            if (item is null)
            {
                if (!await WaitForWorkAsync(nextRetry, cancellationToken))
                {
                    return;
                }

                continue;
            }

            await DeliverAsync(item, cancellationToken);
        }
    }

    private async Task DeliverAsync(QueuedItem<T> item, CancellationToken cancellationToken)
    {
        DeliveryOutcome outcome;
        try
        {
            outcome = await _deliver(item.Value, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = DeliveryOutcome.Retry;
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "{Queue}: delivery failed unexpectedly; will retry", Name);
            outcome = DeliveryOutcome.Retry;
        }

        lock (_gate)
        {
            _inFlight--;
            switch (outcome)
            {
                case DeliveryOutcome.Delivered:
                    _queue.Succeeded(item);
                    break;
                case DeliveryOutcome.Retry:
                    _queue.Failed(item);
                    break;
                default:
                    Interlocked.Increment(ref _rejected);
                    break;
            }
        }
    }

    public void Dispose() => _wake.Dispose();

    /// <summary>Waits for a new item or the next retry; false when cancelled.</summary>
    private async Task<bool> WaitForWorkAsync(DateTimeOffset? nextRetry, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (nextRetry is { } due)
        {
            var wait = due - _time.GetUtcNow();
            if (wait <= TimeSpan.Zero)
            {
                return true;
            }

            _ = Task.Delay(wait, _time, timeout.Token).ContinueWith(
                static (t, state) => { if (!t.IsCanceled) ((SemaphoreSlim)state!).Release(); },
                _wake,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        try
        {
            await _wake.WaitAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            await timeout.CancelAsync();
        }
    }
}

public sealed record DeliveryCounters(int Depth, int InFlight, long Delivered, long Retried, long Rejected, long DroppedOverflow, long DroppedExpired);
