using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Observability;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.Storage;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>Everything the pipeline is assembled from; serve, the devnet, tests and benchmarks all build it here.</summary>
public sealed record UplinkPipelineParts(INetworkStore Store, IEventPublisher Events, IUplinkCharger Charger, RouteCache Routes, TimeProvider Time, ILoggerFactory Loggers)
{
    public NetworkServerIdentity Identity { get; init; } = new();

    public DedupOptions Dedup { get; init; } = new();

    public EnvelopeVerifierOptions Envelopes { get; init; } = new();

    public IReplayGuard? ReplayGuard { get; init; }

    /// <summary>Session v1 registry for packet reports sent as session frames; null accepts signed envelopes only.</summary>
    public SessionRegistry? Sessions { get; init; }

    public MetricsRegistry Metrics { get; init; } = new();

    public MacResponderOptions Mac { get; init; } = new();

    public DownlinkPlannerOptions Downlinks { get; init; } = new();

    /// <summary>Where data downlinks are remembered for TX acknowledgements (<see cref="TxAckProcessor"/>); null remembers none.</summary>
    public RecentDownlinks? SentDownlinks { get; init; }
}

public static class UplinkPipelineFactory
{
    public static UplinkPipeline Create(UplinkPipelineParts parts)
    {
        var regions = new RegionPlanCache();
        var verifier = new EnvelopeVerifier(parts.Envelopes, parts.Time, parts.ReplayGuard ?? new InMemoryReplayGuard(parts.Time));
        return new UplinkPipeline(
            new PacketReportVerifier(verifier, parts.Sessions is null ? null : new SessionFrameVerifier(parts.Sessions, parts.Envelopes, parts.Time)),
            () => parts.Routes.Current,
            parts.Charger,
            parts.Dedup,
            parts.Time,
            new JoinProcessor(parts.Store, parts.Events, regions, parts.Identity, parts.Time, parts.Downlinks),
            new DataUplinkProcessor(parts.Store, parts.Events, new MacCommandResponder(parts.Mac), regions, parts.Identity, parts.Time, sentDownlinks: parts.SentDownlinks, downlinks: parts.Downlinks),
            new PipelineMetrics(parts.Metrics),
            parts.Loggers.CreateLogger<UplinkPipeline>());
    }
}
