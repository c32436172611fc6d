using System.Collections.Concurrent;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.NetworkServer.Storage;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>A data downlink handed to a hotspot, remembered until its TX acknowledgement arrives.</summary>
public sealed record SentDownlink(Device Device, PublicKey Hotspot, uint FCntDown, Guid? QueueItemId, Proto.DownlinkCommand Command, DateTimeOffset HandedOutAt);

/// <summary>
/// The data downlinks of the last <see cref="Retention"/>, by downlink id, so a hotspot's TX_ACK report can be
/// turned into a <c>txack</c> event. Entries leave when acknowledged or when they age out.
/// </summary>
public sealed class RecentDownlinks(TimeProvider time)
{
    /// <summary>Longer than any RX2 window (RxDelay ≤ 15 s + 1 s) plus the hotspot's reporting delay.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, SentDownlink> _sent = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    public int Count => _sent.Count;

    public void Remember(SentDownlink downlink)
    {
        _sent[downlink.Command.DownlinkId] = downlink;
        SweepIfDue();
    }

    /// <summary>Removes and returns the downlink handed to <paramref name="hotspot"/>, or null when unknown, someone else's or aged out.</summary>
    public SentDownlink? Take(string downlinkId, PublicKey hotspot)
    {
        if (!_sent.TryGetValue(downlinkId, out var sent) || sent.Hotspot != hotspot)
        {
            return null;
        }

        return _sent.TryRemove(new KeyValuePair<string, SentDownlink>(downlinkId, sent)) && time.GetUtcNow() - sent.HandedOutAt <= Retention ? sent : null;
    }

    private void SweepIfDue()
    {
        var now = time.GetUtcNow();
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, now.UtcTicks + Retention.Ticks, due) != due)
        {
            return;
        }

        foreach (var (id, sent) in _sent)
        {
            if (now - sent.HandedOutAt > Retention)
            {
                _sent.TryRemove(id, out _);
            }
        }
    }
}
