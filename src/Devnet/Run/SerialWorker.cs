using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace DePin.Wireless.Devnet.Run;

/// <summary>
/// Runs posted work one item at a time, in the order posted, on a dedicated thread. The devnet hands it work whose
/// order matters (session counters of sealed reports) but whose result the simulation needs only a little later, so
/// the simulation thread goes on meanwhile and waits (<see cref="WorkItem.Wait"/>) only if the worker is behind.
/// A dedicated thread rather than a task per item: items are small and frequent (one per uplink), and waking a
/// thread-pool worker for each cost more than the work itself.
/// </summary>
public sealed class SerialWorker : IDisposable
{
    private readonly BlockingCollection<WorkItem> _queue = new(new ConcurrentQueue<WorkItem>());
    private readonly Thread _thread;
    private WorkItem? _last;
    private ExceptionDispatchInfo? _firstFailure;
    private bool _disposed;

    public SerialWorker(string name)
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Queues <paramref name="work"/> after everything posted before it.</summary>
    public WorkItem Post(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var item = new WorkItem(work);
        _queue.Add(item);
        _last = item;
        return item;
    }

    /// <summary>Waits until everything posted so far has run; rethrows the first failure of any item.</summary>
    public void Drain()
    {
        _last?.Wait();
        Volatile.Read(ref _firstFailure)?.Throw();
    }

    /// <summary>Lets queued work finish, then stops the thread.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
    }

    private void Loop()
    {
        foreach (var item in _queue.GetConsumingEnumerable())
        {
            if (item.Run() is { } failure)
            {
                Interlocked.CompareExchange(ref _firstFailure, failure, null);
            }
        }
    }

    /// <summary>One posted piece of work; <see cref="Wait"/> returns once it has run and rethrows what it threw.</summary>
    public sealed class WorkItem
    {
        // Monitor.Wait/PulseAll need a plain object (System.Threading.Lock has no condition variable).
        private readonly object _gate = new();
        private Action? _work;
        private ExceptionDispatchInfo? _failure;
        private volatile bool _completed;

        internal WorkItem(Action work) => _work = work;

        public bool IsCompleted => _completed;

        public void Wait()
        {
            // The worker is usually done or nearly so: spin a little before sleeping on the lock.
            var spinner = default(SpinWait);
            while (!_completed && !spinner.NextSpinWillYield)
            {
                spinner.SpinOnce();
            }

            if (!_completed)
            {
                lock (_gate)
                {
                    while (!_completed)
                    {
                        Monitor.Wait(_gate);
                    }
                }
            }

            _failure?.Throw();
        }

        internal ExceptionDispatchInfo? Run()
        {
            try
            {
                _work!();
            }
            catch (Exception ex)
            {
                _failure = ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                _work = null;
                lock (_gate)
                {
                    _completed = true;
                    Monitor.PulseAll(_gate);
                }
            }

            return _failure;
        }
    }
}
