using System.Threading.Channels;

namespace DePin.Wireless.NetworkServer.Storage;

/// <summary>
/// Groups concurrent single-row writes into one statement (and one commit, so one WAL flush) per batch. Callers
/// await their own item's result as before. Items with the same key never share a batch: a later one waits for
/// the next, so a conditional UPDATE sees them in order and each still gets its own atomic answer.
/// </summary>
internal sealed class PostgresBatcher<TKey, TItem, TResult> : IAsyncDisposable
    where TKey : notnull
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<TItem, TKey> _keyOf;
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<TResult[]>> _execute;
    private readonly int _maxBatch;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public PostgresBatcher(Func<TItem, TKey> keyOf, Func<IReadOnlyList<TItem>, CancellationToken, Task<TResult[]>> execute, int maxBatch = 1000)
    {
        _keyOf = keyOf;
        _execute = execute;
        _maxBatch = maxBatch;
        _loop = Task.Run(RunAsync);
    }

    public Task<TResult> SubmitAsync(TItem item, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        return pending.Result.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var held = new List<Pending>();
        var batch = new List<Pending>(_maxBatch);
        var keys = new HashSet<TKey>();
        try
        {
            while (held.Count > 0 || await _queue.Reader.WaitToReadAsync(_stop.Token))
            {
                // Items held back from the previous batch go first, so per-key order is kept.
                var carried = held.ToArray();
                held.Clear();
                foreach (var pending in carried)
                {
                    Take(pending, batch, keys, held);
                }

                while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var next))
                {
                    Take(next, batch, keys, held);
                }

                await ExecuteAsync(batch);
                batch.Clear();
                keys.Clear();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // disposing
        }

        foreach (var pending in held)
        {
            pending.Result.TrySetCanceled();
        }

        while (_queue.Reader.TryRead(out var left))
        {
            left.Result.TrySetCanceled();
        }
    }

    private void Take(Pending pending, List<Pending> batch, HashSet<TKey> keys, List<Pending> held)
    {
        if (keys.Add(_keyOf(pending.Item)))
        {
            batch.Add(pending);
        }
        else
        {
            held.Add(pending);
        }
    }

    private async Task ExecuteAsync(List<Pending> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            var results = await _execute(batch.ConvertAll(p => p.Item), _stop.Token);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Result.TrySetResult(results[i]);
            }
        }
        catch (Exception e)
        {
            // The statement failed as a whole (nothing was written); every caller of the batch sees the error.
            foreach (var pending in batch)
            {
                pending.Result.TrySetException(e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Writes already submitted are finished (bounded wait), then the loop stops.
        _queue.Writer.TryComplete();
        if (await Task.WhenAny(_loop, Task.Delay(TimeSpan.FromSeconds(10))) != _loop)
        {
            await _stop.CancelAsync();
        }

        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Result);
}
