using DePin.Wireless.Core.Identity;
using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.HotspotHost.Identity;
using DePin.Wireless.HotspotHost.Runtime;
using DePin.Wireless.HotspotHost.Services;
using DePin.Wireless.Proto;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.HotspotHost.Forwarding;

/// <summary>Pure mapping of received frames to reports: units as proto/poc.proto defines them.</summary>
public static class ReportFields
{
    public static ulong UnixNanoseconds(DateTimeOffset time) => (ulong)(time.ToUnixTimeMilliseconds() * 1_000_000L + (time.UtcTicks % TimeSpan.TicksPerMillisecond) * 100);

    /// <summary>dBm to deci-dBm, rounded.</summary>
    public static int DeciDbm(double dbm) => (int)Math.Round(dbm * 10, MidpointRounding.AwayFromZero);

    /// <summary>dB to centi-dB, rounded.</summary>
    public static int CentiDb(double db) => (int)Math.Round(db * 100, MidpointRounding.AwayFromZero);

    public static PacketReport PacketReport(RxFrame frame, ByteString hotspotKey, string region, DateTimeOffset receivedAt) => new()
    {
        HotspotKey = hotspotKey,
        Payload = ByteString.CopyFrom(frame.Payload),
        ReceivedNs = UnixNanoseconds(receivedAt),
        Tmst = frame.CounterTimestampUs,
        FrequencyHz = (ulong)frame.FrequencyHz,
        Datarate = frame.Modulation.ToString(),
        SignalDdbm = DeciDbm(frame.RssiDbm),
        SnrCdb = CentiDb(frame.SnrDb),
        Region = region,
        FineTimestampNs = (ulong)(frame.FineTimestampNs ?? 0),
        HasFineTimestamp = frame.FineTimestampNs is not null,
    };
}

/// <summary>
/// Uplink forwarding: each data frame becomes a <see cref="PacketReport"/>, queued for the network server
/// (POST /v1/packet-reports) through a <see cref="ReportChannel"/> (session frame by default, or signed envelope);
/// TX acknowledgements stay signed envelopes; a downlink in the answer goes out through the radio in RX1, or RX2 when RX1 is refused
/// as too late or too early (helium gateway-rs behaviour, mirrored by <c>GwmpServer.SendClassADownlinkAsync</c>).
/// </summary>
public sealed class PacketForwarder
{
    public const string PacketReportsPath = "v1/packet-reports";

    private readonly EnvelopeSigner _signer;
    private readonly ServiceClient _networkServer;
    private readonly ReportChannel _reports;
    private readonly DownlinkTransmitter _downlinks;
    private readonly HotspotState _state;
    private readonly TimeProvider _time;
    private readonly string _region;
    private readonly ILogger _logger;

    public PacketForwarder(EnvelopeSigner signer, ServiceClient networkServer, ReportChannel reports, DownlinkTransmitter downlinks, HotspotState state, string region, ForwardQueueOptions queue, int concurrency, TimeProvider time, ILogger logger)
    {
        _signer = signer;
        _networkServer = networkServer;
        _reports = reports;
        _downlinks = downlinks;
        _state = state;
        _region = region;
        _time = time;
        _logger = logger;
        Queue = new DeliveryQueue<PendingReport>("packet-reports", queue, concurrency, time, DeliverAsync, logger);
        TxAcks = new DeliveryQueue<byte[]>("tx-acks", queue, 1, time, DeliverTxAckAsync, logger);
    }

    public DeliveryQueue<PendingReport> Queue { get; }

    /// <summary>How packet reports are authenticated and delivered.</summary>
    public ReportChannel Reports => _reports;

    /// <summary>Signed <see cref="TxAckReport"/>s for the network server, one per downlink it handed us.</summary>
    public DeliveryQueue<byte[]> TxAcks { get; }

    /// <summary>Makes the frame's report now (its time is the reception time: signed now, or sealed with it) and queues it.</summary>
    public void Forward(RxFrame frame)
    {
        var now = _time.GetUtcNow();
        var report = ReportFields.PacketReport(frame, _signer.SignerKey, _region, now);
        Queue.Enqueue(_reports.Prepare(report));
        _state.PacketReceived(frame, now);
    }

    private async Task<DeliveryOutcome> DeliverAsync(PendingReport report, CancellationToken cancellationToken)
    {
        var response = await _reports.SendAsync(PacketReportsPath, report, cancellationToken);
        if (!response.IsSuccess)
        {
            if (response.IsTransient)
            {
                _logger.LogDebug("packet report not delivered ({Error}); will retry", response.ErrorText());
                return DeliveryOutcome.Retry;
            }

            _logger.LogWarning("network server refused a packet report: {Error}", response.ErrorText());
            return DeliveryOutcome.Rejected;
        }

        PacketReportResponse answer;
        try
        {
            answer = PacketReportResponse.Parser.ParseFrom(response.Body);
        }
        catch (InvalidProtocolBufferException e)
        {
            _logger.LogWarning("network server answered a packet report with an unreadable body: {Error}", e.Message);
            return DeliveryOutcome.Delivered;
        }

        if (answer.Downlink is { } downlink)
        {
            var outcome = await _downlinks.TransmitAsync(downlink, cancellationToken);
            TxAcks.Enqueue(_signer.SignToBytes(TxAckReports.For(outcome, _signer.SignerKey)));
        }

        return DeliveryOutcome.Delivered;
    }

    private async Task<DeliveryOutcome> DeliverTxAckAsync(byte[] envelope, CancellationToken cancellationToken)
    {
        var response = await _networkServer.PostAsync(TxAckReports.Path, envelope, cancellationToken);
        if (response.IsSuccess)
        {
            return DeliveryOutcome.Delivered;
        }

        if (response.IsTransient)
        {
            return DeliveryOutcome.Retry;
        }

        // 404: the server no longer knows the downlink (it keeps them for a while); nothing to retry.
        _logger.LogWarning("network server refused a TX_ACK report: {Error}", response.ErrorText());
        return DeliveryOutcome.Rejected;
    }
}
