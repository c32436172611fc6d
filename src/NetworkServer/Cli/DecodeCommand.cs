using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DePin.Wireless.NetworkServer.LoRaWan;

namespace DePin.Wireless.NetworkServer.Cli;

/// <summary>
/// `decode`: a LoRaWAN frame inspector. With --jsonl it reads one JSON object per line,
/// {"phy":"hex","nwkSKey"?,"appSKey"?,"appKey"?,"fCntMsb"?}, and writes one JSON result per line (an {"error"} for
/// lines it cannot decode, then carries on). With a hex argument it prints one frame readably.
/// </summary>
public static class DecodeCommand
{
    // Output is for terminals and scripts, not HTML: keep quotes and '+' readable in error messages.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var hex = new Argument<string?>("phy") { Description = "PHYPayload as hex (omit with --jsonl)", Arity = ArgumentArity.ZeroOrOne };
        var jsonl = new Option<bool>("--jsonl") { Description = "Read JSON lines from stdin and write one JSON result per line" };
        var nwkSKey = new Option<string?>("--nwkskey") { Description = "NwkSKey (32 hex digits): checks data MICs, decrypts FPort 0" };
        var appSKey = new Option<string?>("--appskey") { Description = "AppSKey (32 hex digits): decrypts FPort > 0" };
        var appKey = new Option<string?>("--appkey") { Description = "AppKey (32 hex digits): checks join MICs, decrypts JoinAccept" };
        var fCntMsb = new Option<int?>("--fcnt-msb") { Description = "Upper 16 bits of the 32-bit frame counter" };
        var command = new Command("decode", "Decode a LoRaWAN PHYPayload: fields, MIC check and payload decryption") { hex, jsonl, nwkSKey, appSKey, appKey, fCntMsb };
        command.SetAction(async (parseResult, ct) =>
        {
            if (parseResult.GetValue(jsonl))
            {
                await ProcessJsonLinesAsync(Console.In, Console.Out, ct);
                return 0;
            }

            var phy = parseResult.GetValue(hex);
            if (string.IsNullOrWhiteSpace(phy))
            {
                await Console.Error.WriteLineAsync("decode: give a PHYPayload in hex, or --jsonl to read JSON lines from stdin");
                return 2;
            }

            try
            {
                var keys = new InspectionKeys
                {
                    NwkSKey = ParseKey(parseResult.GetValue(nwkSKey), "--nwkskey"),
                    AppSKey = ParseKey(parseResult.GetValue(appSKey), "--appskey"),
                    AppKey = ParseKey(parseResult.GetValue(appKey), "--appkey"),
                    FCntMsb = ParseFCntMsb(parseResult.GetValue(fCntMsb), "--fcnt-msb"),
                };
                WriteReadable(FrameInspector.Inspect(ParseHex(phy, "phy"), keys), Console.Out);
                return 0;
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync($"decode: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Decodes every line of <paramref name="input"/>; returns the number of lines answered with an error.</summary>
    public static async Task<int> ProcessJsonLinesAsync(TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        var errors = 0;
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var (json, ok) = DecodeLine(line);
            errors += ok ? 0 : 1;
            await output.WriteLineAsync(json.AsMemory(), cancellationToken);
        }

        await output.FlushAsync(cancellationToken);
        return errors;
    }

    /// <summary>One input line to one output line; ok is false when the output is an error object.</summary>
    public static (string Json, bool Ok) DecodeLine(string line)
    {
        try
        {
            var (phy, keys) = ReadRequest(line);
            return (ToJson(FrameInspector.Inspect(phy, keys)), true);
        }
        catch (JsonException e)
        {
            return (ErrorJson($"line: not valid JSON ({e.Message})"), false);
        }
        catch (FormatException e)
        {
            return (ErrorJson(e.Message), false);
        }
    }

    public static void WriteReadable(FrameReport r, TextWriter output)
    {
        var rows = new List<(string Name, string? Value)>
        {
            ("MType", r.MType.ToString()),
            ("DevAddr", r.DevAddr?.ToString()),
            ("FCtrl", r.FCtrl is { } f ? $"ADR={f.Adr} ADRACKReq/RFU={f.AdrAckReq} ACK={f.Ack} FPending/ClassB={f.FPending} FOptsLen={f.FOptsLength}" : null),
            ("FCnt", r.FCnt?.ToString(CultureInfo.InvariantCulture)),
            ("FCnt32", r.FCnt32?.ToString(CultureInfo.InvariantCulture)),
            ("FOpts", string.IsNullOrEmpty(r.FOpts) ? null : r.FOpts),
            ("FPort", r.FPort?.ToString(CultureInfo.InvariantCulture)),
            (r.PayloadDecrypted ? "Payload (decrypted)" : "Payload", r.Payload),
            ("MAC commands", r.MacCommands is { } c ? string.Join("; ", c) : r.MacCommandError),
            ("JoinEUI", r.JoinEui?.ToString()),
            ("DevEUI", r.DevEui?.ToString()),
            ("DevNonce", r.DevNonce?.ToString(CultureInfo.InvariantCulture)),
            ("JoinNonce", r.JoinNonce?.ToString(CultureInfo.InvariantCulture)),
            ("NetID", r.NetId?.ToString()),
            ("DLSettings", r.DlSettings?.ToString("x2", CultureInfo.InvariantCulture)),
            ("RxDelay", r.RxDelay?.ToString(CultureInfo.InvariantCulture)),
            ("CFList", r.CfList),
            ("RejoinType", r.RejoinType?.ToString(CultureInfo.InvariantCulture)),
            ("MIC", r.Mic),
            ("MIC valid", r.MicValid switch { true => "yes", false => "NO", null => "not checked (no key)" }),
        };
        var width = rows.Max(x => x.Name.Length);
        foreach (var (name, value) in rows.Where(x => x.Value is not null))
        {
            output.WriteLine($"{name.PadRight(width)}  {value}");
        }
    }

    private static (byte[] Phy, InspectionKeys Keys) ReadRequest(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"line: expected a JSON object, got {root.ValueKind}");
        }

        if (!root.TryGetProperty("phy", out var phy) || phy.ValueKind != JsonValueKind.String)
        {
            throw new FormatException("phy: missing, or not a hex string");
        }

        var keys = new InspectionKeys
        {
            NwkSKey = ParseKey(OptionalString(root, "nwkSKey"), "nwkSKey"),
            AppSKey = ParseKey(OptionalString(root, "appSKey"), "appSKey"),
            AppKey = ParseKey(OptionalString(root, "appKey"), "appKey"),
            FCntMsb = ParseFCntMsb(OptionalInt(root, "fCntMsb"), "fCntMsb"),
        };
        return (ParseHex(phy.GetString()!, "phy"), keys);
    }

    private static string? OptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new FormatException($"{name}: expected a hex string, got {value.ValueKind}");
    }

    private static int? OptionalInt(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : throw new FormatException($"{name}: expected an integer, got {value}");
    }

    private static ushort? ParseFCntMsb(int? value, string field) => value switch
    {
        null => null,
        >= 0 and <= ushort.MaxValue => (ushort)value.Value,
        _ => throw new FormatException($"{field}: {value} is not 0..65535"),
    };

    private static AesKey? ParseKey(string? text, string field)
    {
        if (text is null)
        {
            return null;
        }

        return AesKey.TryParse(text, out var key, out var problem) ? key : throw new FormatException($"{field}: {problem}");
    }

    private static byte[] ParseHex(string text, string field)
    {
        text = text.Trim();
        if (text.Length % 2 != 0)
        {
            throw new FormatException($"{field}: odd number of hex digits ({text.Length})");
        }

        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw new FormatException($"{field}: not a hex string");
        }
    }

    private static string ToJson(FrameReport r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("mtype", r.MType.ToString());
            WriteIf(w, "devAddr", r.DevAddr?.ToString());
            WriteNumberIf(w, "fCnt", r.FCnt);
            WriteNumberIf(w, "fCnt32", r.FCnt32);
            if (r.MType.IsData())
            {
                WriteDataFields(w, r);
            }

            if (r.MicValid is { } valid)
            {
                w.WriteBoolean("micValid", valid);
            }
            else
            {
                w.WriteNull("micValid");
            }

            w.WriteString("mic", r.Mic);
            WriteIf(w, "payload", r.Payload);
            WriteJoinFields(w, r);
            WriteMacCommands(w, r);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteDataFields(Utf8JsonWriter w, FrameReport r)
    {
        if (r.FPort is { } port)
        {
            w.WriteNumber("fPort", port);
        }
        else
        {
            w.WriteNull("fPort");
        }

        w.WriteString("fOpts", r.FOpts);
        w.WriteBoolean("adr", r.FCtrl!.Value.Adr);
        w.WriteBoolean("ack", r.FCtrl!.Value.Ack);
    }

    private static void WriteJoinFields(Utf8JsonWriter w, FrameReport r)
    {
        WriteIf(w, "joinEui", r.JoinEui?.ToString());
        WriteIf(w, "devEui", r.DevEui?.ToString());
        WriteNumberIf(w, "devNonce", r.DevNonce);
        WriteNumberIf(w, "joinNonce", r.JoinNonce);
        WriteIf(w, "netId", r.NetId?.ToString());
        WriteNumberIf(w, "dlSettings", r.DlSettings);
        WriteNumberIf(w, "rxDelay", r.RxDelay);
        WriteIf(w, "cfList", r.CfList);
        WriteNumberIf(w, "rejoinType", r.RejoinType);
    }

    private static void WriteMacCommands(Utf8JsonWriter w, FrameReport r)
    {
        if (r.MacCommands is { } commands)
        {
            w.WriteStartArray("macCommands");
            foreach (var c in commands)
            {
                w.WriteStringValue(c.ToString());
            }

            w.WriteEndArray();
        }

        WriteIf(w, "macCommandError", r.MacCommandError);
    }

    private static void WriteNumberIf(Utf8JsonWriter w, string name, uint? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static void WriteIf(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static string ErrorJson(string message)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("error", message);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
