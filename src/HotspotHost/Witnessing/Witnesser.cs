using DePin.Wireless.Core.Identity;
using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.HotspotHost.Forwarding;
using DePin.Wireless.HotspotHost.Identity;
using DePin.Wireless.HotspotHost.Runtime;
using DePin.Wireless.HotspotHost.Services;
using DePin.Wireless.Proto;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.HotspotHost.Witnessing;

/// <summary>
/// Turns neighbours' beacons into signed <see cref="WitnessReport"/>s for the oracle. Our own beacons (remembered by
/// the beaconer before they go on air) and repeats are dropped by the <see cref="BeaconRecognizer"/>.
/// Reports travel through a <see cref="DeliveryQueue{T}"/>, so an oracle outage delays them without losing them.
/// </summary>
public sealed class Witnesser
{
    private readonly BeaconRecognizer _recognizer;
    private readonly object _gate = new();
    private readonly EnvelopeSigner _signer;
    private readonly CoverageOracleClient _oracle;
    private readonly HotspotState _state;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public Witnesser(int beaconPayloadLength, EnvelopeSigner signer, CoverageOracleClient oracle, HotspotState state, ForwardQueueOptions queue, TimeProvider time, ILogger logger)
    {
        _recognizer = new BeaconRecognizer(beaconPayloadLength);
        _signer = signer;
        _oracle = oracle;
        _state = state;
        _time = time;
        _logger = logger;
        Queue = new DeliveryQueue<PendingReport>("witness-reports", queue, 1, time, DeliverAsync, logger);
    }

    public DeliveryQueue<PendingReport> Queue { get; }

    public void RememberOwn(ReadOnlySpan<byte> beaconPayload)
    {
        lock (_gate)
        {
            _recognizer.RememberOwn(beaconPayload);
        }
    }

    /// <summary>Classifies a received frame; returns what was decided (a witness report is queued for <see cref="WitnessDecision.Witness"/>).</summary>
    public WitnessDecision Observe(RxFrame frame)
    {
        WitnessDecision decision;
        ReadOnlyMemory<byte> payload;
        lock (_gate)
        {
            decision = _recognizer.Classify(frame.Payload, out payload);
        }

        if (decision == WitnessDecision.NotABeacon)
        {
            return decision;
        }

        _state.BeaconsReceived.Increment();
        if (decision == WitnessDecision.Witness)
        {
            Queue.Enqueue(_oracle.Prepare(Report(frame, payload.Span, _time.GetUtcNow())));
        }

        return decision;
    }

    public WitnessReport Report(RxFrame frame, ReadOnlySpan<byte> beaconPayload, DateTimeOffset receivedAt) => new()
    {
        HotspotKey = _signer.SignerKey,
        Data = ByteString.CopyFrom(beaconPayload),
        TimestampNs = ReportFields.UnixNanoseconds(receivedAt),
        Tmst = frame.CounterTimestampUs,
        SignalDdbm = ReportFields.DeciDbm(frame.RssiDbm),
        SnrCdb = ReportFields.CentiDb(frame.SnrDb),
        FrequencyHz = (ulong)frame.FrequencyHz,
        Datarate = frame.Modulation.ToString(),
        FineTimestampNs = (ulong)(frame.FineTimestampNs ?? 0),
        HasFineTimestamp = frame.FineTimestampNs is not null,
    };

    private async Task<DeliveryOutcome> DeliverAsync(PendingReport report, CancellationToken cancellationToken)
    {
        var response = await _oracle.PostWitnessReportAsync(report, cancellationToken);
        if (response.IsSuccess)
        {
            _state.WitnessesSent.Increment();
            return DeliveryOutcome.Delivered;
        }

        if (response.IsTransient)
        {
            return DeliveryOutcome.Retry;
        }

        _logger.LogWarning("oracle refused a witness report: {Error}", response.ErrorText());
        return DeliveryOutcome.Rejected;
    }
}
