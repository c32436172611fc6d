using System.CommandLine;
using System.Text.Json;
using DePin.Wireless.NetworkServer.Storage;

namespace DePin.Wireless.NetworkServer.Cli;

/// <summary>
/// `app add`, `device add|list|remove`, `org add`: administration against the PostgreSQL database (migrations are
/// applied on open). Results are printed as JSON on stdout; errors as {"error": "field: problem"} on stderr, exit 1.
/// </summary>
public static class AdminCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static Option<string> Db() => new("--db") { Description = "PostgreSQL connection string", Required = true };

    public static Command App()
    {
        var db = Db();
        var id = new Option<string>("--id") { Description = "Application id (letters, digits, '-', '_')", Required = true };
        var name = new Option<string>("--name") { Description = "Display name", Required = true };
        var add = new Command("add", "Add an application") { db, id, name };
        add.SetAction((r, ct) => RunAsync(r.GetValue(db)!, async admin =>
        {
            var app = await admin.AddApplicationAsync(r.GetValue(id)!, r.GetValue(name)!, ct);
            return new { id = app.Id.Value, name = app.Name };
        }, ct));
        return new Command("app", "Applications (MQTT topics are per application)") { add };
    }

    public static Command Device()
    {
        var db = Db();
        var app = new Option<string>("--app") { Description = "Application id", Required = true };
        var devEui = new Option<string>("--dev-eui") { Description = "DevEUI, 16 hex digits", Required = true };
        var joinEui = new Option<string?>("--join-eui") { Description = "JoinEUI (AppEUI), 16 hex digits (OTAA)" };
        var appKey = new Option<string?>("--app-key") { Description = "AppKey, 32 hex digits (OTAA)" };
        var abp = new Option<bool>("--abp") { Description = "Activation by personalisation: give --dev-addr, --nwkskey, --appskey" };
        var devAddr = new Option<string?>("--dev-addr") { Description = "DevAddr, 8 hex digits (ABP)" };
        var nwkSKey = new Option<string?>("--nwkskey") { Description = "NwkSKey, 32 hex digits (ABP)" };
        var appSKey = new Option<string?>("--appskey") { Description = "AppSKey, 32 hex digits (ABP)" };
        var region = new Option<string>("--region") { Description = "Region plan (EU868, US915, AU915, AS923-1, KR920, IN865)", DefaultValueFactory = _ => "EU868" };
        var name = new Option<string?>("--name") { Description = "Device name" };
        var add = new Command("add", "Add an OTAA or ABP device") { db, app, devEui, joinEui, appKey, abp, devAddr, nwkSKey, appSKey, region, name };
        add.SetAction((r, ct) => RunAsync(r.GetValue(db)!, admin => admin.AddDeviceAsync(new DeviceRequest(r.GetValue(devEui)!, r.GetValue(app)!, r.GetValue(joinEui), r.GetValue(appKey))
        {
            Region = r.GetValue(region)!,
            Name = r.GetValue(name),
            Abp = r.GetValue(abp),
            DevAddr = r.GetValue(devAddr),
            NwkSKey = r.GetValue(nwkSKey),
            AppSKey = r.GetValue(appSKey),
        }, ct), ct));

        var listDb = Db();
        var listApp = new Option<string?>("--app") { Description = "Only this application's devices" };
        var list = new Command("list", "List devices (keys are not printed)") { listDb, listApp };
        list.SetAction((r, ct) => RunAsync(r.GetValue(listDb)!, admin => admin.ListDevicesAsync(r.GetValue(listApp), ct), ct));

        var removeDb = Db();
        var removeEui = new Option<string>("--dev-eui") { Description = "DevEUI, 16 hex digits", Required = true };
        var remove = new Command("remove", "Remove a device with its session and queue") { removeDb, removeEui };
        remove.SetAction((r, ct) => RunAsync(r.GetValue(removeDb)!, async admin =>
        {
            var eui = r.GetValue(removeEui)!;
            return await admin.RemoveDeviceAsync(eui, ct) ? new { devEui = eui, removed = true } : throw new NetworkStoreException("dev-eui", $"device {eui} does not exist");
        }, ct));
        return new Command("device", "Devices") { add, list, remove };
    }

    public static Command Org()
    {
        var db = Db();
        var oui = new Option<uint>("--oui") { Description = "Organisation unique identifier", Required = true };
        var payer = new Option<string>("--payer") { Description = "Payer key/address charged by DataCredits (0x...)", Required = true };
        var devAddrRange = new Option<string>("--devaddr-range") { Description = "DevAddr range START-END (8 hex digits each)", Required = true };
        var joinEuiRange = new Option<string>("--join-eui-range") { Description = "JoinEUI range START-END (16 hex digits each)", Required = true };
        var maxCopies = new Option<int>("--max-copies") { Description = "Copies of one packet bought from different hotspots", DefaultValueFactory = _ => 1 };
        var add = new Command("add", "Add a routing organisation (OUI) with its DevAddr and JoinEUI ranges") { db, oui, payer, devAddrRange, joinEuiRange, maxCopies };
        add.SetAction((r, ct) => RunAsync(r.GetValue(db)!, admin => admin.AddOrganizationAsync(
            new OrganizationRequest(r.GetValue(oui), r.GetValue(payer)!, r.GetValue(devAddrRange)!, r.GetValue(joinEuiRange)!, r.GetValue(maxCopies)), ct), ct));
        return new Command("org", "Routing organisations") { add };
    }

    private static async Task<int> RunAsync<T>(string connectionString, Func<NetworkAdmin, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            await using var store = await PostgresNetworkStore.OpenAsync(connectionString, cancellationToken);
            var result = await action(new NetworkAdmin(store));
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, Json));
            return 0;
        }
        catch (Exception e) when (e is NetworkStoreException or Npgsql.NpgsqlException or ArgumentException)
        {
            await Console.Error.WriteLineAsync(JsonSerializer.Serialize(new { error = e.Message }, Json));
            return 1;
        }
    }
}
