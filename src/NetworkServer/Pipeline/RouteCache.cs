using DePin.Wireless.NetworkServer.Storage;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>The current <see cref="RouteTable"/>, reloaded from the store on demand (after admin changes, or periodically).</summary>
public sealed class RouteCache(INetworkStore store)
{
    private RouteTable _current = new([]);

    public RouteTable Current => Volatile.Read(ref _current);

    public async Task RefreshAsync(CancellationToken cancellationToken) =>
        Volatile.Write(ref _current, new RouteTable(await store.ListOrganizationsAsync(cancellationToken)));
}
