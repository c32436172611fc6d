using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.NetworkServer.Pipeline;

namespace DePin.Wireless.NetworkServer.Storage;

/// <summary>A device as the admin API and CLI take it (text fields, validated here).</summary>
public sealed record DeviceRequest(string DevEui, string ApplicationId, string? JoinEui, string? AppKey)
{
    public string Region { get; init; } = "EU868";

    public string? Name { get; init; }

    public bool Abp { get; init; }

    public string? DevAddr { get; init; }

    public string? NwkSKey { get; init; }

    public string? AppSKey { get; init; }
}

public sealed record OrganizationRequest(uint Oui, string Payer, string DevAddrRange, string JoinEuiRange, int MaxCopies);

public sealed record DownlinkRequest(byte FPort, string Data, bool Confirmed);

/// <summary>How devices and organisations are printed by the CLI and the admin API (keys are never printed).</summary>
public sealed record DeviceView(string DevEui, string ApplicationId, string JoinEui, string Region, string Name, bool Abp, string? DevAddr, uint? FCntUp);

public sealed record OrganizationView(uint Oui, string Payer, string DevAddrRange, string JoinEuiRange, int MaxCopies, bool Disabled);

/// <summary>
/// Administration shared by the CLI and the HTTP admin API: validates text input (errors name the field) and
/// writes through <see cref="INetworkStore"/>.
/// </summary>
public sealed class NetworkAdmin(INetworkStore store, DownlinkQueue? queue = null)
{
    public async Task<Application> AddApplicationAsync(string id, string name, CancellationToken cancellationToken)
    {
        if (!AppId.TryParse(id, out var appId))
        {
            throw new NetworkStoreException("id", $"'{id}' is not an application id (1..{AppId.MaxLength} characters of letters, digits, '-', '_')");
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            throw new NetworkStoreException("name", "must not be empty");
        }

        var application = new Application(appId, name);
        await store.AddApplicationAsync(application, cancellationToken);
        return application;
    }

    public async Task<OrganizationView> AddOrganizationAsync(OrganizationRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Payer))
        {
            throw new NetworkStoreException("payer", "must not be empty");
        }

        var org = new Organization(request.Oui, request.Payer,
            InclusiveRange.Parse(request.DevAddrRange, DevAddr.TextLength, "devaddr-range"),
            InclusiveRange.Parse(request.JoinEuiRange, Eui64.TextLength, "join-eui-range"),
            request.MaxCopies);
        await store.AddOrganizationAsync(org, cancellationToken);
        return View(org);
    }

    public async Task<IReadOnlyList<OrganizationView>> ListOrganizationsAsync(CancellationToken cancellationToken) =>
        (await store.ListOrganizationsAsync(cancellationToken)).Select(View).ToArray();

    public async Task<DeviceView> AddDeviceAsync(DeviceRequest request, CancellationToken cancellationToken)
    {
        var devEui = ParseEui(request.DevEui, "dev-eui");
        if (!AppId.TryParse(request.ApplicationId, out var appId))
        {
            throw new NetworkStoreException("app", $"'{request.ApplicationId}' is not an application id");
        }

        if (!RegionPlans.IsKnown(request.Region))
        {
            throw new NetworkStoreException("region", $"'{request.Region}' is not one of {string.Join(", ", RegionPlans.Names)}");
        }

        var joinEui = request.JoinEui is null && request.Abp ? new Eui64(0) : ParseEui(request.JoinEui, "join-eui");
        var appKey = request.AppKey is null && request.Abp ? default : ParseKey(request.AppKey, "app-key");
        var device = new Device(devEui, appId, joinEui, appKey, RegionPlans.Get(request.Region).Name) { Name = request.Name ?? "", IsAbp = request.Abp };
        DeviceSession? session = null;
        if (request.Abp)
        {
            if (!DevAddr.TryParse(request.DevAddr ?? "", out var devAddr, out var problem))
            {
                throw new NetworkStoreException("dev-addr", request.DevAddr is null ? "required for an ABP device" : problem ?? "not 8 hex digits");
            }

            session = new DeviceSession(devEui, devAddr, ParseKey(request.NwkSKey, "nwkskey"), ParseKey(request.AppSKey, "appskey"))
            {
                Rx2DataRate = RegionPlans.Get(request.Region).Rx2DataRate,
            };
        }
        else if (request.DevAddr is not null || request.NwkSKey is not null || request.AppSKey is not null)
        {
            throw new NetworkStoreException("abp", "dev-addr, nwkskey and appskey are only for ABP devices (add --abp)");
        }

        await store.AddDeviceAsync(device, cancellationToken);
        if (session is not null)
        {
            await store.SaveSessionAsync(session, cancellationToken);
        }

        return View(device, session);
    }

    public async Task<IReadOnlyList<DeviceView>> ListDevicesAsync(string? applicationId, CancellationToken cancellationToken)
    {
        AppId? filter = null;
        if (applicationId is not null)
        {
            filter = AppId.TryParse(applicationId, out var appId) ? appId : throw new NetworkStoreException("app", $"'{applicationId}' is not an application id");
        }

        var views = new List<DeviceView>();
        foreach (var device in await store.ListDevicesAsync(filter, cancellationToken))
        {
            views.Add(View(device, await store.GetSessionAsync(device.DevEui, cancellationToken)));
        }

        return views;
    }

    public async Task<bool> RemoveDeviceAsync(string devEui, CancellationToken cancellationToken) =>
        await store.RemoveDeviceAsync(ParseEui(devEui, "dev-eui"), cancellationToken);

    public async Task<QueuedDownlink> EnqueueAsync(string devEui, DownlinkRequest request, CancellationToken cancellationToken)
    {
        byte[] data;
        try
        {
            data = Convert.FromBase64String(request.Data);
        }
        catch (FormatException)
        {
            throw new NetworkStoreException("data", "not base64");
        }

        if (request.FPort is 0 or > 223)
        {
            throw new NetworkStoreException("fPort", $"{request.FPort} is not an application port (1..223)");
        }

        var downlink = new QueuedDownlink(Guid.NewGuid(), ParseEui(devEui, "devEui"), request.FPort, data, request.Confirmed);
        return await _queue.EnqueueAsync(downlink, null, cancellationToken);
    }

    private readonly DownlinkQueue _queue = queue ?? new DownlinkQueue(store, null, new RegionPlanCache(), TimeProvider.System);

    private static Eui64 ParseEui(string? text, string field) =>
        Eui64.TryParse(text ?? "", out var eui, out var problem) ? eui : throw new NetworkStoreException(field, text is null ? "required" : problem ?? "not 16 hex digits");

    private static AesKey ParseKey(string? text, string field) =>
        AesKey.TryParse(text ?? "", out var key, out var problem) ? key : throw new NetworkStoreException(field, text is null ? "required" : problem ?? "not 32 hex digits");

    private static OrganizationView View(Organization o) =>
        new(o.Oui, o.Payer, o.DevAddrRange.Format(8), o.JoinEuiRange.Format(16), o.MaxCopies, o.Disabled);

    private static DeviceView View(Device d, DeviceSession? s) =>
        new(d.DevEui.ToString(), d.ApplicationId.Value, d.JoinEui.ToString(), d.Region, d.Name, d.IsAbp, s?.DevAddr.ToString(), s?.FCntUp);
}
