namespace DePin.Wireless.NetworkServer.Pipeline;

public sealed class DedupOptions
{
    /// <summary>How long copies of one frame are collected after the first arrives (ChirpStack's deduplication_delay is 200 ms).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a closed window is remembered so that late copies are refused rather than processed as a new frame.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>A copy's place in its frame's collection.</summary>
public sealed class DedupTicket
{
    internal DedupTicket(DedupCollection collection, int copyIndex, bool late)
    {
        Collection = collection;
        CopyIndex = copyIndex;
        IsLate = late;
    }

    internal DedupCollection Collection { get; }

    /// <summary>0 for the first copy of the frame, then 1, 2, ... in arrival order.</summary>
    public int CopyIndex { get; }

    /// <summary>The window had already closed: the frame was processed without this copy.</summary>
    public bool IsLate { get; }

    /// <summary>Completes when the window closes and the frame set has been processed.</summary>
    public Task<FrameOutcome> Outcome => Collection.Outcome.Task;
}

internal sealed class DedupCollection(PacketHash key)
{
    public PacketHash Key { get; } = key;

    public List<UplinkCopy> Copies { get; } = [];

    public int Registered { get; set; }

    /// <summary>Registered copies whose charge has not been settled (added or withdrawn) yet.</summary>
    public int Pending { get; set; }

    /// <summary>The window's time is up: new copies are late.</summary>
    public bool Closed { get; set; }

    /// <summary>Processing has started: the copy list is final.</summary>
    public bool Sealed { get; set; }

    public TaskCompletionSource<FrameOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ITimer? Timer { get; set; }
}

/// <summary>
/// Stage 4: collects the copies of one frame (keyed by packet hash) from all hotspots. The first copy opens the
/// window; when it closes (a <see cref="TimeProvider"/> timer) no new copies are taken, and once every copy that
/// arrived in time has been settled (bought and added, or withdrawn) the bought copies are handed to the processor
/// once. A slow charger therefore delays processing instead of losing copies that arrived in time. Every copy's
/// ticket completes with the same outcome.
/// </summary>
public sealed class DedupWindow(DedupOptions options, TimeProvider time, Func<FrameSet, Task<FrameOutcome>> process)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<PacketHash, DedupCollection> _open = [];

    public int OpenCount
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>Registers a copy of the frame (before charging), opening the window if it is the first.</summary>
    public DedupTicket Register(PacketHash key)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(key, out var existing))
            {
                if (existing.Closed)
                {
                    return new DedupTicket(existing, existing.Registered, late: true);
                }

                existing.Pending++;
                return new DedupTicket(existing, existing.Registered++, late: false);
            }

            var collection = new DedupCollection(key) { Registered = 1, Pending = 1 };
            _open.Add(key, collection);
            collection.Timer = time.CreateTimer(static s => ((DedupWindowClose)s!).Run(), new DedupWindowClose(this, collection), options.Window, Timeout.InfiniteTimeSpan);
            return new DedupTicket(collection, 0, late: false);
        }
    }

    /// <summary>Adds a bought copy of a registered (not late) ticket.</summary>
    public void Add(DedupTicket ticket, UplinkCopy copy) => Settle(ticket, copy);

    /// <summary>Settles a registered copy that was not bought, so processing need not wait for it.</summary>
    public void Withdraw(DedupTicket ticket) => Settle(ticket, null);

    private void Settle(DedupTicket ticket, UplinkCopy? copy)
    {
        if (ticket.IsLate)
        {
            throw new InvalidOperationException("a late ticket was never registered");
        }

        lock (_gate)
        {
            ticket.Collection.Pending--;
            if (copy is not null)
            {
                ticket.Collection.Copies.Add(copy);
            }
        }

        ProcessIfReady(ticket.Collection);
    }

    private void TimeUp(DedupCollection collection)
    {
        lock (_gate)
        {
            collection.Closed = true;
            collection.Timer?.Dispose();
            collection.Timer = time.CreateTimer(static s => ((DedupWindowForget)s!).Run(), new DedupWindowForget(this, collection), options.Retention, Timeout.InfiniteTimeSpan);
        }

        ProcessIfReady(collection);
    }

    private void ProcessIfReady(DedupCollection collection)
    {
        UplinkCopy[] copies;
        lock (_gate)
        {
            if (!collection.Closed || collection.Pending > 0 || collection.Sealed)
            {
                return;
            }

            collection.Sealed = true;
            copies = [.. collection.Copies];
        }

        _ = ProcessAsync(collection, copies);
    }

    private async Task ProcessAsync(DedupCollection collection, UplinkCopy[] copies)
    {
        try
        {
            var outcome = copies.Length == 0 ? FrameOutcome.NotProcessed("no_copy_bought") : await process(new FrameSet(collection.Key, copies));
            collection.Outcome.TrySetResult(outcome);
        }
        catch (Exception e)
        {
            collection.Outcome.TrySetException(e);
        }
    }

    private void Forget(DedupCollection collection)
    {
        lock (_gate)
        {
            collection.Timer?.Dispose();
            if (_open.TryGetValue(collection.Key, out var current) && ReferenceEquals(current, collection))
            {
                _open.Remove(collection.Key);
            }
        }
    }

    private sealed record DedupWindowClose(DedupWindow Window, DedupCollection Collection)
    {
        public void Run() => Window.TimeUp(Collection);
    }

    private sealed record DedupWindowForget(DedupWindow Window, DedupCollection Collection)
    {
        public void Run() => Window.Forget(Collection);
    }
}

/// <summary>All bought copies of one frame, in arrival order.</summary>
public sealed record FrameSet(PacketHash Key, IReadOnlyList<UplinkCopy> Copies)
{
    public ReadOnlyMemory<byte> PhyPayload => Copies[0].Report.Payload.Memory;
}

/// <summary>A downlink the chosen hotspot must transmit.</summary>
public sealed record DownlinkPlan(Core.Identity.PublicKey Hotspot, Proto.DownlinkCommand Command);

/// <summary>What processing a frame set produced: a rejection reason, or success with an optional downlink.</summary>
public sealed record FrameOutcome(string? Rejection, string? Detail, DownlinkPlan? Downlink)
{
    public static FrameOutcome Processed(DownlinkPlan? downlink) => new(null, null, downlink);

    public static FrameOutcome NotProcessed(string reason, string? detail = null) => new(reason, detail, null);
}
