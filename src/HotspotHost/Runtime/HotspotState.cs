using DePin.Wireless.Core.Observability;
using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.HotspotHost.Forwarding;

namespace DePin.Wireless.HotspotHost.Runtime;

/// <summary>What the status page shows about a received packet.</summary>
public sealed record PacketSummary(DateTimeOffset ReceivedAt, long FrequencyHz, string DataRate, double RssiDbm, double SnrDb, int Size, uint Tmst);

/// <summary>The last beacon sent.</summary>
public sealed record BeaconSummary(DateTimeOffset SentAt, long FrequencyHz, int Channel, string DataRate, double PowerDbm, string PayloadHex, bool Reported);

/// <summary>
/// Live state of the daemon for /status and /metrics; updated by the stages, read by the status server. Thread-safe.
/// </summary>
public sealed class HotspotState
{
    private const int RecentPackets = 10;

    private readonly object _gate = new();
    private readonly LinkedList<PacketSummary> _recent = new();
    private BeaconSummary? _lastBeacon;
    private DownlinkOutcome? _lastDownlink;
    private string _radioState = "stopped";

    public HotspotState(MetricsRegistry metrics)
    {
        Metrics = metrics;
        PacketsReceived = metrics.Counter("hotspot_packets_received_total", "Data frames received and queued for the network server");
        BeaconsReceived = metrics.Counter("hotspot_beacon_frames_received_total", "Beacon frames received (own, repeats and neighbours')");
        WitnessesSent = metrics.Counter("hotspot_witness_reports_sent_total", "Witness reports accepted by the oracle");
        BeaconsSent = metrics.Counter("hotspot_beacons_sent_total", "Beacons transmitted");
        BeaconFailures = metrics.Counter("hotspot_beacon_failures_total", "Beacon attempts that failed (entropy, radio or report)");
        DownlinksSent = metrics.Counter("hotspot_downlinks_sent_total", "Downlinks transmitted");
        DownlinksFailed = metrics.Counter("hotspot_downlinks_failed_total", "Downlinks refused by the radio in every window");
    }

    public MetricsRegistry Metrics { get; }

    public Counter PacketsReceived { get; }

    public Counter BeaconsReceived { get; }

    public Counter WitnessesSent { get; }

    public Counter BeaconsSent { get; }

    public Counter BeaconFailures { get; }

    public Counter DownlinksSent { get; }

    public Counter DownlinksFailed { get; }

    public string RadioState
    {
        get
        {
            lock (_gate)
            {
                return _radioState;
            }
        }

        set
        {
            lock (_gate)
            {
                _radioState = value;
            }
        }
    }

    public BeaconSummary? LastBeacon
    {
        get
        {
            lock (_gate)
            {
                return _lastBeacon;
            }
        }
    }

    public DownlinkOutcome? LastDownlink
    {
        get
        {
            lock (_gate)
            {
                return _lastDownlink;
            }
        }
    }

    public IReadOnlyList<PacketSummary> RecentPacketList()
    {
        lock (_gate)
        {
            return [.. _recent];
        }
    }

    public void PacketReceived(RxFrame frame, DateTimeOffset at)
    {
        PacketsReceived.Increment();
        lock (_gate)
        {
            _recent.AddFirst(new PacketSummary(at, frame.FrequencyHz, frame.Modulation.ToString(), frame.RssiDbm, frame.SnrDb, frame.Payload.Length, frame.CounterTimestampUs));
            while (_recent.Count > RecentPackets)
            {
                _recent.RemoveLast();
            }
        }
    }

    public void BeaconSent(BeaconSummary beacon)
    {
        BeaconsSent.Increment();
        lock (_gate)
        {
            _lastBeacon = beacon;
        }
    }

    public void DownlinkDone(DownlinkOutcome outcome)
    {
        (outcome.SentIn is null ? DownlinksFailed : DownlinksSent).Increment();
        lock (_gate)
        {
            _lastDownlink = outcome;
        }
    }
}
