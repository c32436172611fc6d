namespace DePin.Wireless.HotspotHost.Forwarding;

/// <summary>Retry and size limits of the forwarding queue.</summary>
public sealed record ForwardQueueOptions
{
    /// <summary>Most reports held (fresh plus waiting for retry); the oldest are dropped beyond it.</summary>
    public int Capacity { get; init; } = 10_000;

    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A report older than this is discarded instead of retried: an uplink delivered late is worthless for the
    /// device's RX windows and skews deduplication (Helium operators' complaint about gateway-rs's 60 s queue).
    /// </summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromSeconds(60);

    public void Validate()
    {
        if (Capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Capacity), "forward queue capacity must be at least 1");
        }

        if (InitialRetryDelay <= TimeSpan.Zero || MaxRetryDelay < InitialRetryDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialRetryDelay), "retry delays must be positive and InitialRetryDelay <= MaxRetryDelay");
        }

        if (MaxAge <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAge), "MaxAge must be positive");
        }
    }
}

/// <summary>One queued item and its delivery history.</summary>
public sealed class QueuedItem<T>
{
    internal QueuedItem(T value, DateTimeOffset enqueuedAt)
    {
        Value = value;
        EnqueuedAt = enqueuedAt;
    }

    public T Value { get; }

    public DateTimeOffset EnqueuedAt { get; }

    public int Attempts { get; internal set; }

    public DateTimeOffset DueAt { get; internal set; }
}

/// <summary>
/// A bounded queue for reports on their way to a service. Fresh items always go before retries, so a service
/// outage never delays new packets behind old ones; failed items come back after an exponential back-off; items
/// past <see cref="ForwardQueueOptions.MaxAge"/> and the oldest items on overflow are dropped and counted.
/// Not thread-safe: one forwarding loop owns it.
/// </summary>
public sealed class ForwardQueue<T>
{
    private readonly ForwardQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly LinkedList<QueuedItem<T>> _fresh = new();
    private readonly PriorityQueue<QueuedItem<T>, DateTimeOffset> _retries = new();
    private readonly HashSet<QueuedItem<T>> _retrySet = [];

    public ForwardQueue(ForwardQueueOptions options, TimeProvider time)
    {
        options.Validate();
        _options = options;
        _time = time;
    }

    public int Depth => _fresh.Count + _retrySet.Count;

    public long DroppedOverflow { get; private set; }

    public long DroppedExpired { get; private set; }

    public long Delivered { get; private set; }

    public long Retried { get; private set; }

    public void Enqueue(T value)
    {
        var now = _time.GetUtcNow();
        _fresh.AddLast(new QueuedItem<T>(value, now) { DueAt = now });
        while (Depth > _options.Capacity)
        {
            DropOldest();
        }
    }

    /// <summary>Takes the next item to send now: the oldest fresh one, else the most overdue retry; null if none is due.</summary>
    public QueuedItem<T>? TakeReady()
    {
        var now = _time.GetUtcNow();
        while (_fresh.First is { } node)
        {
            _fresh.RemoveFirst();
            var first = node.Value;
            if (!DropIfExpired(first, now))
            {
                first.Attempts++;
                return first;
            }
        }

        while (_retries.TryPeek(out var item, out var due) && due <= now)
        {
            _retries.Dequeue();
            if (!_retrySet.Remove(item))
            {
                continue; // dropped on overflow while waiting
            }

            if (!DropIfExpired(item, now))
            {
                item.Attempts++;
                return item;
            }
        }

        return null;
    }

    /// <summary>When the next retry falls due, or null when none waits.</summary>
    public DateTimeOffset? NextRetryDue()
    {
        while (_retries.TryPeek(out var item, out var due))
        {
            if (_retrySet.Contains(item))
            {
                return due;
            }

            _retries.Dequeue();
        }

        return null;
    }

    public void Succeeded(QueuedItem<T> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Delivered++;
    }

    /// <summary>Puts an item back for a later attempt, after a delay doubling with each attempt.</summary>
    public void Failed(QueuedItem<T> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var now = _time.GetUtcNow();
        var delayTicks = Math.Min(_options.MaxRetryDelay.Ticks, _options.InitialRetryDelay.Ticks << Math.Min(item.Attempts - 1, 30));
        item.DueAt = now + TimeSpan.FromTicks(delayTicks);
        if (DropIfExpired(item, item.DueAt))
        {
            return;
        }

        Retried++;
        _retrySet.Add(item);
        _retries.Enqueue(item, item.DueAt);
        while (Depth > _options.Capacity)
        {
            DropOldest();
        }
    }

    /// <summary>True when the item is too old to deliver at <paramref name="now"/>; counts it as dropped.</summary>
    private bool DropIfExpired(QueuedItem<T> item, DateTimeOffset now)
    {
        if (now - item.EnqueuedAt <= _options.MaxAge)
        {
            return false;
        }

        DroppedExpired++;
        return true;
    }

    private void DropOldest()
    {
        QueuedItem<T>? oldestRetry = null;
        foreach (var r in _retrySet)
        {
            if (oldestRetry is null || r.EnqueuedAt < oldestRetry.EnqueuedAt)
            {
                oldestRetry = r;
            }
        }

        var oldestFresh = _fresh.First?.Value;
        if (oldestRetry is not null && (oldestFresh is null || oldestRetry.EnqueuedAt <= oldestFresh.EnqueuedAt))
        {
            _retrySet.Remove(oldestRetry);
        }
        else
        {
            _fresh.RemoveFirst();
        }

        DroppedOverflow++;
    }
}
