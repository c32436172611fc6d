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
        var points = result.HotspotPoints;
        return EpochSnapshotBuilder.Build(
            info,
            result.Coverage,
            points.Select(h => new MapHotspot(h.Address, h.AssertedCell, h.Reward, h.Active, h.Reasons)),
            result.Links.Select(l => new MapLink(points[l.Beaconer].Address, points[l.Beaconer].AssertedCell, points[l.Witness].Address, points[l.Witness].AssertedCell, l.Rssi, l.Snr)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
