using System.Globalization;
using System.Text.Json;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>Where a field sits in the JSON body, e.g. rxpk[2]; turned into text only when an error is reported.</summary>
internal readonly struct JsonLocation(string objectName, int index = -1)
{
    public string Of(string field) => index >= 0 ? $"{objectName}[{index}].{field}" : $"{objectName}.{field}";

    public override string ToString() => index >= 0 ? $"{objectName}[{index}]" : objectName;
}

/// <summary>Internal signal of a rejected field; the public decoders turn it into a <see cref="GwmpDecodeError"/>.</summary>
internal sealed class GwmpDecodeException(GwmpDecodeError error) : Exception(error.Reason)
{
    public GwmpDecodeError Error { get; } = error;

    public static GwmpDecodeException Wrong(string field, string expected, JsonTokenType got) =>
        new(new(GwmpErrorKind.WrongFieldType, $"{field}: expected {expected}, got {Describe(got)}"));

    public static GwmpDecodeException Invalid(string field, string problem) => new(new(GwmpErrorKind.InvalidValue, $"{field}: {problem}"));

    public static GwmpDecodeException Missing(JsonLocation where, string field) =>
        new(new(GwmpErrorKind.MissingField, $"{where}: required field '{field}' is missing"));

    private static string Describe(JsonTokenType t) => t switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => t.ToString(),
    };
}

/// <summary>
/// Typed reads of single JSON values for the GWMP decoders. Each method expects the reader to be positioned on
/// the value (just after its property name) and names the field in any error. Optional readers map JSON null
/// to "absent", because some forwarders (e.g. npm packet-forwarder examples) send <c>"chan": null</c>.
/// </summary>
internal static class GwmpJsonFields
{
    public static void ExpectStartObject(ref Utf8JsonReader reader, JsonLocation where)
    {
        // The location is formatted only on failure: this runs once per rxpk and must not allocate.
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw GwmpDecodeException.Wrong(where.ToString(), "an object", reader.TokenType);
        }
    }

    public static uint ReadUInt32(ref Utf8JsonReader reader, string field)
    {
        RequireNumber(ref reader, field);
        return reader.TryGetUInt32(out var v) ? v : throw GwmpDecodeException.Invalid(field, "must be a whole number 0..4294967295");
    }

    public static uint? ReadOptionalUInt32(ref Utf8JsonReader reader, string field) =>
        reader.TokenType == JsonTokenType.Null ? null : ReadUInt32(ref reader, field);

    public static int? ReadOptionalInt32(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        RequireNumber(ref reader, field);
        return reader.TryGetInt32(out var v) ? v : throw GwmpDecodeException.Invalid(field, "must be a whole number in the 32-bit signed range");
    }

    public static ulong? ReadOptionalUInt64(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        RequireNumber(ref reader, field);
        return reader.TryGetUInt64(out var v) ? v : throw GwmpDecodeException.Invalid(field, "must be a non-negative whole number");
    }

    public static double? ReadOptionalDouble(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        RequireNumber(ref reader, field);
        return reader.TryGetDouble(out var v) && double.IsFinite(v) ? v : throw GwmpDecodeException.Invalid(field, "must be a finite number");
    }

    public static int ReadSize(ref Utf8JsonReader reader, string field)
    {
        RequireNumber(ref reader, field);
        return reader.TryGetInt32(out var v) && v is >= 0 and <= 65_535 ? v : throw GwmpDecodeException.Invalid(field, "must be a whole number 0..65535");
    }

    public static bool? ReadOptionalBool(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw GwmpDecodeException.Wrong(field, "a boolean", reader.TokenType),
    };

    /// <summary><c>freq</c> is MHz with up to 6 decimals on the wire; kept as whole hertz.</summary>
    public static Hz ReadFrequency(ref Utf8JsonReader reader, string field)
    {
        RequireNumber(ref reader, field);
        if (!reader.TryGetDouble(out var mhz) || !double.IsFinite(mhz) || mhz <= 0 || mhz > 10_000)
        {
            throw GwmpDecodeException.Invalid(field, "must be a positive frequency in MHz (at most 10000)");
        }

        return Hz.FromMegahertz(mhz);
    }

    public static GwmpModulation ReadModulation(ref Utf8JsonReader reader, string field)
    {
        RequireString(ref reader, field);
        if (reader.ValueTextEquals("LORA"u8))
        {
            return GwmpModulation.Lora;
        }

        if (reader.ValueTextEquals("FSK"u8))
        {
            return GwmpModulation.Fsk;
        }

        throw GwmpDecodeException.Invalid(field, $"'{reader.GetString()}' is not LORA or FSK");
    }

    /// <summary><c>datr</c> is a string such as "SF7BW125" for LoRa and a bit rate number for FSK.</summary>
    public static void ReadDataRate(ref Utf8JsonReader reader, string field, out DataRate? lora, out uint? fskBitRate)
    {
        lora = null;
        fskBitRate = null;
        if (reader.TokenType == JsonTokenType.Number)
        {
            fskBitRate = reader.TryGetUInt32(out var bps) && bps > 0 ? bps : throw GwmpDecodeException.Invalid(field, "FSK bit rate must be a positive whole number");
            return;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw GwmpDecodeException.Wrong(field, "a string such as \"SF7BW125\" (LoRa) or a number (FSK bit rate)", reader.TokenType);
        }

        Span<char> text = stackalloc char[24];
        if (reader.ValueSpan.Length > text.Length)
        {
            throw GwmpDecodeException.Invalid(field, "is too long for a data rate such as SF7BW125");
        }

        var n = reader.CopyString(text);
        if (!DataRate.TryParse(text[..n], out var rate, out var problem))
        {
            throw GwmpDecodeException.Invalid(field, problem!);
        }

        lora = rate;
    }

    public static GwmpCodingRate? ReadOptionalCodingRate(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        RequireString(ref reader, field);
        return GwmpText.TryParseCodingRate(reader.ValueSpan, out var rate)
            ? rate
            : throw GwmpDecodeException.Invalid(field, $"'{reader.GetString()}' is not a coding rate (4/5, 4/6, 4/7, 4/8 or OFF)");
    }

    /// <summary><c>rxpk.time</c>: ISO 8601, e.g. "2013-03-31T16:21:17.528002Z".</summary>
    public static DateTimeOffset? ReadOptionalIsoTime(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        RequireString(ref reader, field);
        return reader.TryGetDateTimeOffset(out var t) ? t : throw GwmpDecodeException.Invalid(field, $"'{reader.GetString()}' is not an ISO 8601 time");
    }

    /// <summary><c>stat.time</c>: "2014-01-12 08:59:28 GMT" (PROTOCOL.TXT §4); ISO 8601 is accepted too.</summary>
    public static DateTimeOffset? ReadOptionalStatTime(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        RequireString(ref reader, field);
        Span<char> text = stackalloc char[40];
        if (reader.ValueSpan.Length <= text.Length)
        {
            var n = reader.CopyString(text);
            if (DateTimeOffset.TryParseExact(text[..n], StatTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            {
                return t;
            }
        }

        return reader.TryGetDateTimeOffset(out var iso) ? iso : throw GwmpDecodeException.Invalid(field, $"'{reader.GetString()}' is not a time like \"2014-01-12 08:59:28 GMT\"");
    }

    public const string StatTimeFormat = "yyyy-MM-dd HH:mm:ss 'GMT'";

    /// <summary>The base64 payload: the one allocation a decoded packet makes.</summary>
    public static byte[] ReadBase64(ref Utf8JsonReader reader, string field)
    {
        RequireString(ref reader, field);
        return reader.TryGetBytesFromBase64(out var bytes) ? bytes : throw GwmpDecodeException.Invalid(field, "is not valid base64");
    }

    private static void RequireNumber(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw GwmpDecodeException.Wrong(field, "a number", reader.TokenType);
        }
    }

    private static void RequireString(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw GwmpDecodeException.Wrong(field, "a string", reader.TokenType);
        }
    }
}
