using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.Proto;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>
/// A hotspot's report of what its concentrator answered (GWMP TX_ACK) for a downlink this server handed it
/// (<c>POST /v1/tx-acks</c>, <see cref="TxAckReport"/>). The hotspot already falls back to RX2 when RX1 is refused
/// with TOO_LATE/TOO_EARLY (HotspotHost DownlinkTransmitter). A downlink accepted in either window gives a
/// <c>txack</c> event with that window's TX parameters; one refused in every window tried gives a <c>log</c>
/// event (ERROR, DOWNLINK_GATEWAY) naming the errors, as ChirpStack publishes gateway errors.
/// </summary>
public sealed class TxAckProcessor(EnvelopeVerifier verifier, RecentDownlinks downlinks, IEventPublisher events, TimeProvider time)
{
    /// <summary>
    /// GWMP TX_ACK error values (Semtech packet forwarder PROTOCOL.TXT §5.2; "NONE" means accepted), plus
    /// INTERNAL_ERROR (ChirpStack gw.proto TxAckStatus) that a hotspot with an SPI radio reports for a driver failure.
    /// </summary>
    public static readonly IReadOnlySet<string> KnownErrors = new HashSet<string>(StringComparer.Ordinal)
    {
        "NONE", "TOO_LATE", "TOO_EARLY", "COLLISION_PACKET", "COLLISION_BEACON", "TX_FREQ", "TX_POWER", "GPS_UNLOCKED", "INTERNAL_ERROR",
    };

    public async Task<StageResult<IntegrationEvent>> HandleAsync(ReadOnlyMemory<byte> signedEnvelope, CancellationToken cancellationToken)
    {
        var verification = verifier.Verify<TxAckReport>(signedEnvelope.Span);
        if (!verification.IsValid)
        {
            return StageResult.Reject<IntegrationEvent>("bad_envelope", verification.ToString());
        }

        var report = verification.ValidPayload;
        var problem = Validate(report, verification.Signer);
        if (problem is not null)
        {
            return StageResult.Reject<IntegrationEvent>("bad_report", problem);
        }

        var sent = downlinks.Take(report.DownlinkId, verification.Signer);
        if (sent is null)
        {
            return StageResult.Reject<IntegrationEvent>("unknown_downlink", $"downlink_id: {report.DownlinkId} was not handed to this hotspot in the last {RecentDownlinks.Retention.TotalSeconds:0} s");
        }

        var integrationEvent = EventFor(report, sent, time.GetUtcNow());
        await events.PublishAsync(integrationEvent, cancellationToken);
        return StageResult.Pass(integrationEvent);
    }

    private static string? Validate(TxAckReport report, PublicKey signer)
    {
        if (!report.HotspotKey.Span.SequenceEqual(signer.Bytes))
        {
            return "hotspot_key: differs from the envelope's signer";
        }

        if (report.DownlinkId.Length == 0)
        {
            return "downlink_id: empty";
        }

        if (!KnownErrors.Contains(report.Rx1Error))
        {
            return $"rx1_error: '{report.Rx1Error}' is not a TX_ACK error ({string.Join(", ", KnownErrors)})";
        }

        return report.Rx2Error.Length == 0 || KnownErrors.Contains(report.Rx2Error)
            ? null
            : $"rx2_error: '{report.Rx2Error}' is not a TX_ACK error ({string.Join(", ", KnownErrors)})";
    }

    /// <summary>Pure: the event a TX_ACK report produces.</summary>
    public static IntegrationEvent EventFor(TxAckReport report, SentDownlink sent, DateTimeOffset now)
    {
        var info = JoinProcessor.DeviceInfoOf(sent.Device);
        var window = report.Rx1Error == "NONE" ? sent.Command.Rx1 : report.Rx2Error == "NONE" ? sent.Command.Rx2 : null;
        if (window is not null)
        {
            return new TxAckEvent
            {
                Time = now,
                DeviceInfo = info,
                DownlinkId = Convert.ToUInt32(sent.Command.DownlinkId[..8], 16),
                QueueItemId = sent.QueueItemId,
                FCntDown = sent.FCntDown,
                GatewayId = sent.Hotspot.ToAddress(),
                TxInfo = TxInfoOf(window),
            };
        }

        var errors = report.Rx2Error.Length == 0 ? $"RX1 {report.Rx1Error}" : $"RX1 {report.Rx1Error}, RX2 {report.Rx2Error}";
        var context = new Dictionary<string, string>
        {
            ["downlink_id"] = sent.Command.DownlinkId,
            ["gateway_id"] = sent.Hotspot.ToAddress(),
            ["f_cnt_down"] = sent.FCntDown.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["rx1_error"] = report.Rx1Error,
        };
        if (report.Rx2Error.Length > 0)
        {
            context["rx2_error"] = report.Rx2Error;
        }

        if (sent.QueueItemId is { } id)
        {
            context["queue_item_id"] = id.ToString();
        }

        return new LogEvent
        {
            Time = now,
            DeviceInfo = info,
            Level = LogEventLevel.Error,
            Code = LogEventCode.DownlinkGateway,
            Description = $"gateway did not transmit the downlink: {errors}",
            Context = context,
        };
    }

    private static TxInfo TxInfoOf(TxWindow window)
    {
        var dataRate = DataRate.Parse(window.Datarate);
        return new TxInfo
        {
            Frequency = (uint)window.FrequencyHz,
            Power = window.TxPowerDbm,
            Modulation = new Modulation
            {
                Lora = new LoraModulationInfo
                {
                    Bandwidth = (uint)dataRate.BandwidthHz,
                    SpreadingFactor = (uint)dataRate.SpreadingFactor,
                    CodeRate = LoraModulationInfo.CodeRateName(5),
                },
            },
        };
    }
}
