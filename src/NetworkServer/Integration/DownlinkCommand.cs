using System.Text.Json;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.NetworkServer.Integration;

/// <summary>A downlink an application asked for on <c>.../command/down</c> (ChirpStack DownlinkCommand JSON).</summary>
public sealed record DownlinkCommand(Eui64 DevEui, bool Confirmed, byte FPort, byte[] Data);

/// <summary>The command JSON is unusable; <see cref="Field"/> names the offending field.</summary>
public sealed class DownlinkCommandException(string field, string problem) : Exception($"downlink command field '{field}': {problem}")
{
    public string Field { get; } = field;

    public string Problem { get; } = problem;
}

/// <summary>
/// Parses <c>{"devEui":"0102030405060708","confirmed":false,"fPort":10,"data":"base64"}</c>.
/// FPort 1..223 are application ports (LoRaWAN 1.0.4 section 4.3.2: 0 is MAC commands, 224 the test port, 225..255 reserved).
/// </summary>
public static class DownlinkCommandParser
{
    /// <summary>Largest FRMPayload any LoRaWAN region allows at its fastest data rate (RP002-1.0.3: 242 bytes).</summary>
    public const int MaxPayloadBytes = 242;

    /// <summary>Parses and, when the topic named a device, checks that it matches the JSON devEui.</summary>
    public static DownlinkCommand Parse(ReadOnlySpan<byte> json, Eui64? topicDevEui = null)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new DownlinkCommandException("(body)", $"not valid JSON ({ex.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DownlinkCommandException("(body)", $"expected a JSON object, got {root.ValueKind}");
            }

            var devEui = ParseDevEui(Required(root, "devEui"));
            if (topicDevEui is { } fromTopic && fromTopic != devEui)
            {
                throw new DownlinkCommandException("devEui", $"'{devEui}' does not match the device '{fromTopic}' in the topic");
            }

            return new DownlinkCommand(devEui, ParseConfirmed(root), ParseFPort(Required(root, "fPort")), ParseData(Required(root, "data")));
        }
    }

    private static JsonElement Required(JsonElement root, string field) =>
        root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new DownlinkCommandException(field, "is required");

    private static Eui64 ParseDevEui(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && Eui64.TryParse(value.GetString(), null, out var eui)
            ? eui
            : throw new DownlinkCommandException("devEui", $"must be a string of 16 hex digits, got {value.GetRawText()}");

    private static bool ParseConfirmed(JsonElement root)
    {
        if (!root.TryGetProperty("confirmed", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new DownlinkCommandException("confirmed", $"must be true or false, got {value.GetRawText()}"),
        };
    }

    private static byte ParseFPort(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var port) && port is >= 1 and <= 223
            ? (byte)port
            : throw new DownlinkCommandException("fPort", $"must be an integer 1..223 (0 is reserved for MAC commands, 224 for the test protocol), got {value.GetRawText()}");

    private static byte[] ParseData(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new DownlinkCommandException("data", $"must be a base64 string, got {value.GetRawText()}");
        }

        byte[] data;
        try
        {
            data = Convert.FromBase64String(value.GetString()!);
        }
        catch (FormatException)
        {
            throw new DownlinkCommandException("data", "is not valid base64");
        }

        return data.Length <= MaxPayloadBytes
            ? data
            : throw new DownlinkCommandException("data", $"decodes to {data.Length} bytes; at most {MaxPayloadBytes} fit in any LoRaWAN downlink");
    }
}
