using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.NetworkServer.Integration;

/// <summary>Integration event kinds and their ChirpStack v4 topic suffixes.</summary>
public enum IntegrationEventType
{
    Up,
    Join,
    Ack,
    TxAck,
    Status,
    Log,
}

/// <summary>
/// ChirpStack v4 compatible application topics (chirpstack integration/mqtt.rs defaults):
/// events on <c>application/{applicationId}/device/{devEui}/event/{up|join|ack|txack|status|log}</c>,
/// downlinks on <c>application/{applicationId}/device/{devEui}/command/down</c>.
/// </summary>
public static class ApplicationTopics
{
    /// <summary>Filter the network server subscribes to for every application's downlink commands.</summary>
    public const string AllCommandDownFilter = "application/+/device/+/command/down";

    public static string Event(AppId applicationId, Eui64 devEui, IntegrationEventType type) =>
        $"application/{applicationId}/device/{devEui}/event/{Suffix(type)}";

    public static string CommandDown(AppId applicationId, Eui64 devEui) =>
        $"application/{applicationId}/device/{devEui}/command/down";

    /// <summary>Everything one application may read (its ACL read pattern).</summary>
    public static string ApplicationFilter(AppId applicationId) => $"application/{applicationId}/#";

    public static string Suffix(IntegrationEventType type) => type switch
    {
        IntegrationEventType.Up => "up",
        IntegrationEventType.Join => "join",
        IntegrationEventType.Ack => "ack",
        IntegrationEventType.TxAck => "txack",
        IntegrationEventType.Status => "status",
        IntegrationEventType.Log => "log",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown integration event type"),
    };

    /// <summary>Extracts application and device from a command/down topic; false for any other topic.</summary>
    public static bool TryParseCommandDown(string topic, out AppId applicationId, out Eui64 devEui)
    {
        applicationId = default;
        devEui = default;
        var parts = topic.Split('/');
        return parts.Length == 6
            && parts[0] == "application" && parts[2] == "device" && parts[4] == "command" && parts[5] == "down"
            && AppId.TryParse(parts[1], out applicationId)
            && Eui64.TryParse(parts[3], null, out devEui);
    }
}
