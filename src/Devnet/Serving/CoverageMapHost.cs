using DePin.Wireless.Core.H3;
using DePin.Wireless.CoverageOracle.Map;
using DePin.Wireless.Devnet.Medium;
using DePin.Wireless.Devnet.Run;

namespace DePin.Wireless.Devnet.Serving;

/// <summary>
/// Serves a run through the coverage oracle's own map server (<see cref="CoverageMapServer"/>): the same API,
/// validation and page that CoverageOracle serves, with the run published as epoch 0.
/// </summary>
public sealed class CoverageMapHost : IDevnetMapHost
{
    private CoverageMapServer? _server;

    public async Task<Uri> StartAsync(RunResult result, int port, CancellationToken cancellationToken)
    {
        var source = new InMemoryCoverageSource();
        source.Publish(ToSnapshot(result));
        _server = await CoverageMapServer.StartAsync(source, new CoverageMapServerOptions { Port = port }, cancellationToken);
        return _server.Url;
    }

    /// <summary>The run as one map epoch, on simulated time: cells, hotspots at their asserted cells, valid witness links.</summary>
    public static EpochSnapshot ToSnapshot(RunResult result)
    {
        var start = new RadioMediumOptions().Epoch;
        var info = new EpochInfo(0, start, start.AddHours(result.Options.Hours));
        var cells = result.Coverage.Select(c => new CellCoverage(new H3Cell(c.Cell), Math.Clamp(c.Score, 0, 1), c.Hotspots)).ToList();
        var hotspots = result.HotspotPoints
            // Penalised: no valid PoC activity, or an invalid report for a reason physics does not explain
            // (e.g. max_distance_exceeded, bad_rssi); every reason is still listed in the details.
            .Select(h => new HotspotSummary(h.Address, new H3Cell(h.AssertedCell), h.Reward, Penalised: !h.Active || h.Reasons.Any(r => !PocTally.ExpectedPhysicsReasons.Contains(r)), h.Reasons))
            .ToList();
        var links = result.Links
            .DistinctBy(l => (l.Beaconer, l.Witness))
            .Take(RunOutputWriter.MaxLinks)
            .Select(l => new WitnessLink(
                result.HotspotPoints[l.Beaconer].Address, new H3Cell(result.HotspotPoints[l.Beaconer].AssertedCell),
                result.HotspotPoints[l.Witness].Address, new H3Cell(result.HotspotPoints[l.Witness].AssertedCell),
                l.Rssi, l.Snr))
            .ToList();
        return new EpochSnapshot(info, cells, hotspots, links);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
