using System.Text.Json;
using System.Text.Json.Serialization;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.NetworkServer.Integration;

// JSON shapes follow ChirpStack v4 api/proto/integration/integration.proto as rendered to JSON (camelCase,
// bytes as base64, enums as their proto names), so ChirpStack-based applications can consume our events unchanged.

/// <summary>Which device an event concerns (integration.proto DeviceInfo).</summary>
public sealed record DeviceInfo
{
    public string? TenantId { get; init; }

    public string? TenantName { get; init; }

    [JsonConverter(typeof(AppIdJsonConverter))]
    public required AppId ApplicationId { get; init; }

    public string? ApplicationName { get; init; }

    public string? DeviceProfileId { get; init; }

    public string? DeviceProfileName { get; init; }

    public required string DeviceName { get; init; }

    [JsonConverter(typeof(DevEuiJsonConverter))]
    public required Eui64 DevEui { get; init; }

    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

/// <summary>One gateway's reception of the uplink (gw.proto UplinkRxInfo).</summary>
public sealed record UplinkRxInfo
{
    public required string GatewayId { get; init; }

    public uint UplinkId { get; init; }

    public DateTimeOffset? Time { get; init; }

    public int Rssi { get; init; }

    public double Snr { get; init; }

    public uint Channel { get; init; }
}

/// <summary>LoRa modulation parameters; CodeRate uses the proto enum names ("CR_4_5").</summary>
public sealed record LoraModulationInfo
{
    /// <summary>Bandwidth in Hz (125000, 250000, 500000).</summary>
    public required uint Bandwidth { get; init; }

    public required uint SpreadingFactor { get; init; }

    public required string CodeRate { get; init; }

    /// <summary>Maps a LoRa coding-rate denominator (5..8 for 4/5..4/8) to the proto enum name.</summary>
    public static string CodeRateName(int denominator) => denominator is >= 5 and <= 8
        ? $"CR_4_{denominator}"
        : throw new ArgumentOutOfRangeException(nameof(denominator), denominator, "LoRa coding rate denominator must be 5..8 (4/5..4/8)");
}

public sealed record Modulation
{
    public required LoraModulationInfo Lora { get; init; }
}

/// <summary>Transmission parameters (gw.proto UplinkTxInfo / DownlinkTxInfo); Power only for downlinks.</summary>
public sealed record TxInfo
{
    /// <summary>Frequency in Hz.</summary>
    public required uint Frequency { get; init; }

    public int? Power { get; init; }

    public required Modulation Modulation { get; init; }
}

/// <summary>Base of all application events; <see cref="EventType"/> selects the topic suffix.</summary>
public abstract record IntegrationEvent
{
    [JsonIgnore]
    public abstract IntegrationEventType EventType { get; }

    public required DateTimeOffset Time { get; init; }

    public required DeviceInfo DeviceInfo { get; init; }
}

/// <summary>Deduplicated uplink (integration.proto UplinkEvent).</summary>
public sealed record UplinkEvent : IntegrationEvent
{
    [JsonIgnore]
    public override IntegrationEventType EventType => IntegrationEventType.Up;

    public required Guid DeduplicationId { get; init; }

    /// <summary>8 lowercase hex digits.</summary>
    public required string DevAddr { get; init; }

    public bool Adr { get; init; }

    public uint Dr { get; init; }

    public required uint FCnt { get; init; }

    public required uint FPort { get; init; }

    public bool Confirmed { get; init; }

    /// <summary>Decrypted FRMPayload, serialised as base64.</summary>
    public required byte[] Data { get; init; }

    public required IReadOnlyList<UplinkRxInfo> RxInfo { get; init; }

    public required TxInfo TxInfo { get; init; }
}

/// <summary>Device joined (integration.proto JoinEvent).</summary>
public sealed record JoinEvent : IntegrationEvent
{
    [JsonIgnore]
    public override IntegrationEventType EventType => IntegrationEventType.Join;

    public required Guid DeduplicationId { get; init; }

    public required string DevAddr { get; init; }
}

/// <summary>Confirmed downlink (n)acknowledged by the device (integration.proto AckEvent).</summary>
public sealed record AckEvent : IntegrationEvent
{
    [JsonIgnore]
    public override IntegrationEventType EventType => IntegrationEventType.Ack;

    public required Guid DeduplicationId { get; init; }

    public required Guid QueueItemId { get; init; }

    public required bool Acknowledged { get; init; }

    public required uint FCntDown { get; init; }
}

/// <summary>Gateway acknowledged transmitting a downlink (integration.proto TxAckEvent).</summary>
public sealed record TxAckEvent : IntegrationEvent
{
    [JsonIgnore]
    public override IntegrationEventType EventType => IntegrationEventType.TxAck;

    /// <summary>The first 32 bits of our downlink id (ChirpStack's downlinkId is a uint32).</summary>
    public required uint DownlinkId { get; init; }

    /// <summary>The queue item the downlink carried; null for downlinks with only an ACK or MAC commands.</summary>
    public Guid? QueueItemId { get; init; }

    public required uint FCntDown { get; init; }

    public required string GatewayId { get; init; }

    public required TxInfo TxInfo { get; init; }
}

/// <summary>DevStatusAns result (integration.proto StatusEvent); BatteryLevel in percent.</summary>
public sealed record StatusEvent : IntegrationEvent
{
    [JsonIgnore]
    public override IntegrationEventType EventType => IntegrationEventType.Status;

    public required Guid DeduplicationId { get; init; }

    /// <summary>Demodulation SNR margin in dB reported by the device (LoRaWAN DevStatusAns).</summary>
    public required int Margin { get; init; }

    public bool ExternalPowerSource { get; init; }

    public bool BatteryLevelUnavailable { get; init; }

    public float BatteryLevel { get; init; }
}

/// <summary>Severity of a <see cref="LogEvent"/> (integration.proto LogLevel; JSON "INFO", "WARNING", "ERROR").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LogEventLevel>))]
public enum LogEventLevel
{
    [JsonStringEnumMemberName("INFO")]
    Info,
    [JsonStringEnumMemberName("WARNING")]
    Warning,
    [JsonStringEnumMemberName("ERROR")]
    Error,
}

/// <summary>What a <see cref="LogEvent"/> is about (integration.proto LogCode, the values we raise).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LogEventCode>))]
public enum LogEventCode
{
    [JsonStringEnumMemberName("UNKNOWN")]
    Unknown,

    /// <summary>A downlink payload larger than the data rate allows; it was not sent.</summary>
    [JsonStringEnumMemberName("DOWNLINK_PAYLOAD_SIZE")]
    DownlinkPayloadSize,

    /// <summary>The gateway refused to transmit a downlink (TX_ACK error).</summary>
    [JsonStringEnumMemberName("DOWNLINK_GATEWAY")]
    DownlinkGateway,
}

/// <summary>A device-related problem the application should know about (integration.proto LogEvent).</summary>
public sealed record LogEvent : IntegrationEvent
{
    [JsonIgnore]
    public override IntegrationEventType EventType => IntegrationEventType.Log;

    public required LogEventLevel Level { get; init; }

    public required LogEventCode Code { get; init; }

    public required string Description { get; init; }

    public IReadOnlyDictionary<string, string> Context { get; init; } = new Dictionary<string, string>();
}

/// <summary>Serialisation of integration events to the ChirpStack JSON shape.</summary>
public static class IntegrationJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static byte[] Serialize(IntegrationEvent integrationEvent) =>
        JsonSerializer.SerializeToUtf8Bytes(integrationEvent, integrationEvent.GetType(), Options);

    public static T Deserialize<T>(ReadOnlySpan<byte> json)
        where T : IntegrationEvent =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"{typeof(T).Name}: JSON null");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>A DevEUI as ChirpStack writes it in JSON: 16 lowercase hex digits (either case is read).</summary>
internal sealed class DevEuiJsonConverter : JsonConverter<Eui64>
{
    public override Eui64 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Eui64.TryParse(reader.GetString(), null, out var eui) ? eui : throw new JsonException("devEui: expected 16 hex digits");

    public override void Write(Utf8JsonWriter writer, Eui64 value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

internal sealed class AppIdJsonConverter : JsonConverter<AppId>
{
    public override AppId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        AppId.TryParse(reader.GetString(), out var id) ? id : throw new JsonException("applicationId: invalid application id");

    public override void Write(Utf8JsonWriter writer, AppId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}
