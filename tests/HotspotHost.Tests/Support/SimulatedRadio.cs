using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DePin.Wireless.FirmwareBridge.Radio;

namespace DePin.Wireless.HotspotHost.Tests.Support;

/// <summary>
/// The radio-air boundary: frames "heard" are delivered in order through <see cref="Hear"/>; every transmission is
/// recorded with the radio's answer, decided by <see cref="Answer"/> (Ok by default, like a concentrator that accepts
/// a well-timed packet). Like the real drivers, it refuses to transmit before <see cref="StartAsync"/>.
/// </summary>
public sealed class SimulatedRadio : IRadio
{
    private readonly Channel<RxFrame> _air = Channel.CreateUnbounded<RxFrame>();
    private readonly List<(TxRequest Request, TxResult Result)> _transmissions = [];
    private readonly SemaphoreSlim _transmitted = new(0);
    private bool _started;

    public Func<TxRequest, TxResult> Answer { get; set; } = _ => TxResult.Ok;

    public bool Disposed { get; private set; }

    public IReadOnlyList<(TxRequest Request, TxResult Result)> Transmissions
    {
        get
        {
            lock (_transmissions)
            {
                return [.. _transmissions];
            }
        }
    }

    public void Hear(RxFrame frame) => _air.Writer.TryWrite(frame);

    /// <summary>Waits until at least <paramref name="count"/> transmissions happened.</summary>
    public async Task<IReadOnlyList<(TxRequest Request, TxResult Result)>> WaitForTransmissionsAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (Transmissions.Count < count)
        {
            await _transmitted.WaitAsync(cts.Token);
        }

        return Transmissions;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _started = true;
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<RxFrame> ReceiveAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var frame in _air.Reader.ReadAllAsync(cancellationToken))
        {
            if (frame.Crc != RxCrcStatus.Bad)
            {
                yield return frame;
            }
        }
    }

    public Task<TxResult> TransmitAsync(TxRequest request, CancellationToken cancellationToken)
    {
        var result = _started ? Answer(request) : new TxResult(TxStatus.RadioError, "radio not started");
        lock (_transmissions)
        {
            _transmissions.Add((request, result));
        }

        _transmitted.Release();
        return Task.FromResult(result);
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        _air.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
