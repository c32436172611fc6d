using DePin.Wireless.FirmwareBridge.Devices.Sx1262;
using DePin.Wireless.FirmwareBridge.Devices.Sx1276;
using DePin.Wireless.FirmwareBridge.Radio;

namespace DePin.Wireless.HotspotHost.Runtime;

/// <summary>
/// The radio's microsecond counter ("tmst", wraps at 2^32, the time base of GWMP rxpk/txpk "tmst") as of now, for
/// reports of our own transmissions (<c>BeaconReport.tmst</c>). Received frames already carry it
/// (<see cref="RxFrame.CounterTimestampUs"/>); a transmission report needs it read or estimated:
/// <list type="bullet">
/// <item>SX126x/SX127x (firmware-bridge drivers): there is no concentrator; the driver's counter is the host's
/// monotonic clock in µs, the same one it stamps received frames with at DIO interrupt time (GPIO edge timestamp,
/// <see cref="RadioCounterClock"/>). It is read directly.</item>
/// <item>GWMP packet forwarders (SX1301/SX1302 concentrators): the concentrator's counter is only visible in received
/// packets (rxpk "tmst", end of reception; Semtech packet forwarder PROTOCOL.md §4). The estimate is the latest such
/// value plus the host time elapsed since the frame reached the daemon, while that is at most
/// <see cref="MaxExtrapolation"/> old; it is early by the forwarder's delivery latency (its ~10 ms poll plus UDP on
/// loopback).</item>
/// </list>
/// Otherwise (no counter, nothing received recently) the counter is unknown: <see cref="NowUs"/> is null and the
/// report carries 0, as Helium's does for "no timestamp".
/// </summary>
public sealed class ConcentratorClock
{
    /// <summary>
    /// How long an observed tmst is extrapolated with the host clock: a concentrator's reference oscillator may differ
    /// from the host's by tens of ppm, so after 5 min the estimate can be off by ~10 ms; older observations are dropped.
    /// </summary>
    public static readonly TimeSpan MaxExtrapolation = TimeSpan.FromMinutes(5);

    private readonly Func<uint>? _radioCounter;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private uint _observedTmst;
    private long _observedAt;
    private bool _observed;

    /// <param name="radioCounter">Reads the radio's own counter; null when the radio only reveals it in received frames.</param>
    public ConcentratorClock(Func<uint>? radioCounter, TimeProvider time)
    {
        _radioCounter = radioCounter;
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>True when the counter is read from the radio rather than estimated from received frames.</summary>
    public bool ReadsRadioCounter => _radioCounter is not null;

    /// <summary>The clock for <paramref name="radio"/>: the driver counter of SX126x/SX127x radios, else estimated from received frames.</summary>
    public static ConcentratorClock For(IRadio radio, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(radio);
        var inner = radio is RadioFactory.PoweredRadio powered ? powered.Inner : radio;
        Func<uint>? counter = inner switch
        {
            Sx1262Radio sx1262 => () => sx1262.CounterNowUs,
            Sx1276Radio sx1276 => () => sx1276.CounterNowUs,
            HalfDuplexRadio halfDuplex => () => halfDuplex.CounterNowUs,
            _ => null,
        };
        return new ConcentratorClock(counter, time);
    }

    /// <summary>Notes the counter value of a frame the radio just delivered.</summary>
    public void Observe(RxFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var at = _time.GetTimestamp();
        lock (_gate)
        {
            _observedTmst = frame.CounterTimestampUs;
            _observedAt = at;
            _observed = true;
        }
    }

    /// <summary>The counter now, or null when it is unknown.</summary>
    public uint? NowUs()
    {
        if (_radioCounter is not null)
        {
            return _radioCounter();
        }

        uint tmst;
        long at;
        lock (_gate)
        {
            if (!_observed)
            {
                return null;
            }

            (tmst, at) = (_observedTmst, _observedAt);
        }

        var elapsed = _time.GetElapsedTime(at);
        if (elapsed < TimeSpan.Zero || elapsed > MaxExtrapolation)
        {
            return null;
        }

        return unchecked(tmst + (uint)(elapsed.Ticks / TimeSpan.TicksPerMicrosecond));
    }
}
