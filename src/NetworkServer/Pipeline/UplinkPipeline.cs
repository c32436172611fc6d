using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Observability;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.Proto;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>Counters of the uplink pipeline, exported on /metrics.</summary>
public sealed class PipelineMetrics(MetricsRegistry registry)
{
    public MetricsRegistry Registry { get; } = registry;

    public void Received() => Registry.Counter("ns_packet_reports_total", "Packet reports received from hotspots").Increment();

    public void Refused(string reason) => Registry.Counter("ns_packet_reports_refused_total", "Packet reports not bought or not processed, by reason", ("reason", reason)).Increment();

    public void Bought() => Registry.Counter("ns_copies_bought_total", "Copies bought through the charger").Increment();

    public void Processed(string kind) => Registry.Counter("ns_frames_processed_total", "Frames processed after dedup", ("kind", kind)).Increment();

    public void Downlink() => Registry.Counter("ns_downlinks_total", "Downlinks handed to a hotspot").Increment();
}

/// <summary>
/// The uplink pipeline for one packet report: verify (1) → route (2) → register in the dedup window and charge (3)
/// → wait for the window to close and the frame set to be processed (4–9) → this hotspot's answer. Copies that are
/// not bought are answered at once with the reason and never reach the MAC layer.
/// </summary>
public sealed class UplinkPipeline
{
    private readonly PacketReportVerifier _verifier;
    private readonly Func<RouteTable> _routes;
    private readonly IUplinkCharger _charger;
    private readonly DedupWindow _dedup;
    private readonly JoinProcessor _joins;
    private readonly DataUplinkProcessor _data;
    private readonly PipelineMetrics _metrics;
    private readonly ILogger _logger;

    public UplinkPipeline(PacketReportVerifier verifier, Func<RouteTable> routes, IUplinkCharger charger, DedupOptions dedup, TimeProvider time,
        JoinProcessor joins, DataUplinkProcessor data, PipelineMetrics metrics, ILogger<UplinkPipeline> logger)
    {
        _verifier = verifier;
        _routes = routes;
        _charger = charger;
        _joins = joins;
        _data = data;
        _metrics = metrics;
        _logger = logger;
        _dedup = new DedupWindow(dedup, time, ProcessFrameSetAsync);
    }

    public Task<PacketReportResponse> HandleAsync(ReadOnlyMemory<byte> signedEnvelope, CancellationToken cancellationToken) =>
        HandleVerifiedAsync(Verify(signedEnvelope.Span), cancellationToken);

    /// <summary>
    /// Stage 1 alone (signature, age, replay). Thread-safe and independent of the other stages, so a caller holding
    /// many reports at once (the devnet) may verify them in parallel and then hand each result, in arrival order, to
    /// <see cref="HandleVerifiedAsync"/>.
    /// </summary>
    public StageResult<UplinkCopy> Verify(ReadOnlySpan<byte> signedEnvelope) => _verifier.Verify(signedEnvelope);

    /// <summary>Stage 1 for a SessionFrame(PacketReport) body (session v1); thread-safe like <see cref="Verify"/>.</summary>
    public StageResult<UplinkCopy> VerifyFrame(ReadOnlySpan<byte> frame) => _verifier.VerifyFrame(frame);

    /// <summary>The sessions this pipeline's frames are checked against (null when sessions are not accepted).</summary>
    public SessionFrameVerifier? Sessions => _verifier.Sessions;

    /// <summary>Stages 1–9 for a session frame body.</summary>
    public Task<PacketReportResponse> HandleFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) =>
        HandleVerifiedAsync(VerifyFrame(frame.Span), cancellationToken);

    /// <summary>Stages 2–9 for a report already through <see cref="Verify"/>: what <see cref="HandleAsync"/> does after verifying.</summary>
    public async Task<PacketReportResponse> HandleVerifiedAsync(StageResult<UplinkCopy> verified, CancellationToken cancellationToken)
    {
        _metrics.Received();
        if (!verified.Passed)
        {
            return Refuse(verified.Reason!, verified.Detail);
        }

        var copy = verified.Value!;
        var key = RoutingKey.From(copy.Report.Payload.Span, out var problem);
        if (key is null)
        {
            return Refuse("bad_frame", problem);
        }

        var organization = _routes().Lookup(key.Value);
        if (organization is null)
        {
            return Refuse("no_route", key.Value.DevAddr is { } a ? $"devAddr: {a} is in no organisation's range" : $"joinEui: {key.Value.JoinEui} is in no organisation's range");
        }

        var hash = PacketHash.Of(copy.Report.Payload.Span);
        var ticket = _dedup.Register(hash);
        if (ticket.IsLate)
        {
            return Refuse("late_copy", "the frame's dedup window had closed");
        }

        var refusal = await BuyAsync(ticket, copy, hash, organization, cancellationToken);
        if (refusal is not null)
        {
            _dedup.Withdraw(ticket);
            return refusal;
        }

        _metrics.Bought();
        _dedup.Add(ticket, copy);
        var outcome = await ticket.Outcome.WaitAsync(cancellationToken);
        var response = new PacketReportResponse { Accepted = true, Reason = outcome.Rejection ?? "" };
        if (outcome.Downlink is { } downlink && downlink.Hotspot == copy.Hotspot)
        {
            response.Downlink = downlink.Command;
        }

        return response;
    }

    /// <summary>Stage 3: null when the copy was bought, otherwise the refusal to answer with.</summary>
    private async Task<PacketReportResponse?> BuyAsync(DedupTicket ticket, UplinkCopy copy, PacketHash hash, Storage.Organization organization, CancellationToken cancellationToken)
    {
        if (organization.Disabled)
        {
            return Refuse("not_bought_org_disabled", $"organisation {organization.Oui} is disabled");
        }

        if (ticket.CopyIndex >= organization.MaxCopies)
        {
            return Refuse("not_bought_max_copies", $"copy {ticket.CopyIndex + 1} exceeds max_copies {organization.MaxCopies} of organisation {organization.Oui}");
        }

        try
        {
            var charge = await _charger.ChargeAsync(new ChargeRequest(hash, organization.Oui, copy.Report.Payload.Length, copy.Hotspot), cancellationToken);
            return charge.Bought ? null : Refuse("not_bought_" + charge.ReasonText, $"charger refused copy of {hash}");
        }
        catch (Exception e) when (e is HttpRequestException or FormatException or System.Text.Json.JsonException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Unpaid copies are never processed: without an answer from the ledger the copy is dropped.
            _logger.LogWarning(e, "charging copy of {Hash} failed", hash);
            return Refuse("charge_failed", e.Message);
        }
        catch
        {
            _dedup.Withdraw(ticket);
            throw;
        }
    }

    private async Task<FrameOutcome> ProcessFrameSetAsync(FrameSet frames)
    {
        var kind = (MType)(frames.PhyPayload.Span[0] >> 5) == MType.JoinRequest ? "join" : "data";
        FrameOutcome outcome;
        try
        {
            if (kind == "join")
            {
                var key = RoutingKey.From(frames.PhyPayload.Span, out _)!.Value;
                var organization = _routes().Lookup(key)!;
                outcome = await _joins.ProcessAsync(frames, organization, CancellationToken.None);
            }
            else
            {
                outcome = await _data.ProcessAsync(frames, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is Storage.NetworkStoreException or LoRaWanFormatException or ArgumentException)
        {
            _logger.LogWarning(e, "frame {Hash} could not be processed", frames.Key);
            outcome = FrameOutcome.NotProcessed("processing_failed", e.Message);
        }

        if (outcome.Rejection is { } reason)
        {
            _metrics.Refused(reason);
            _logger.LogInformation("frame {Hash} ({Kind}, {Copies} copies) rejected: {Reason} {Detail}", frames.Key, kind, frames.Copies.Count, reason, outcome.Detail);
        }
        else
        {
            _metrics.Processed(kind);
            if (outcome.Downlink is not null)
            {
                _metrics.Downlink();
            }
        }

        return outcome;
    }

    private PacketReportResponse Refuse(string reason, string? detail)
    {
        _metrics.Refused(reason);
        _logger.LogDebug("packet report refused: {Reason} {Detail}", reason, detail);
        return new PacketReportResponse { Accepted = false, Reason = reason };
    }
}
