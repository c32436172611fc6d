using System.Globalization;
using System.Text.Json;

namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>
/// Writes the GWMP JSON objects with field names and formats of PROTOCOL.TXT / PROTOCOL.md. Absent optional
/// fields are omitted. The <c>Write…Fields</c> methods write members only, so callers (e.g. the monitor) can add their own.
/// </summary>
public static class GwmpJsonWriter
{
    public static void WriteRxPacketFields(Utf8JsonWriter w, in RxPacket p)
    {
        if (p.Time is { } time)
        {
            WriteIsoTime(w, "time"u8, time);
        }

        WriteOptional(w, "tmms"u8, p.GpsTimeMs);
        w.WriteNumber("tmst"u8, p.Tmst);
        WriteOptional(w, "ftime"u8, p.FineTimeNs);
        w.WriteNumber("freq"u8, p.Frequency.Megahertz);
        WriteOptional(w, "chan"u8, p.Channel);
        WriteOptional(w, "rfch"u8, p.RfChain);
        WriteOptional(w, "mid"u8, p.ModemId);
        WriteOptional(w, "brd"u8, p.Board);
        if (p.CrcStatus is { } stat)
        {
            w.WriteNumber("stat"u8, stat);
        }

        w.WriteString("modu"u8, GwmpText.Modulation(p.Modulation));
        WriteDataRate(w, p.LoraDataRate, p.FskBitRate);
        if (p.CodingRate is { } codr)
        {
            w.WriteString("codr"u8, GwmpText.CodingRate(codr));
        }

        WriteOptional(w, "rssi"u8, p.Rssi);
        WriteOptional(w, "rssic"u8, p.RssiChannel);
        WriteOptional(w, "rssis"u8, p.RssiSignal);
        WriteOptional(w, "lsnr"u8, p.Snr);
        if (p.FrequencyOffsetHz is { } foff)
        {
            w.WriteNumber("foff"u8, foff);
        }

        WriteOptional(w, "aesk"u8, p.AesKey);
        w.WriteNumber("size"u8, p.Size);
        w.WriteBase64String("data"u8, p.Data ?? []);
    }

    public static void WriteStatus(Utf8JsonWriter w, in GatewayStatus s)
    {
        w.WriteStartObject("stat"u8);
        if (s.Time is { } time)
        {
            Span<char> text = stackalloc char[32];
            time.UtcDateTime.TryFormat(text, out var n, GwmpJsonFields.StatTimeFormat, CultureInfo.InvariantCulture);
            w.WriteString("time"u8, text[..n]);
        }

        WriteOptional(w, "lati"u8, s.Latitude);
        WriteOptional(w, "long"u8, s.Longitude);
        if (s.Altitude is { } alti)
        {
            w.WriteNumber("alti"u8, alti);
        }

        WriteOptional(w, "rxnb"u8, s.RxReceived);
        WriteOptional(w, "rxok"u8, s.RxOk);
        WriteOptional(w, "rxfw"u8, s.RxForwarded);
        WriteOptional(w, "ackr"u8, s.AckRatioPercent);
        WriteOptional(w, "dwnb"u8, s.DownlinkReceived);
        WriteOptional(w, "txnb"u8, s.TxEmitted);
        WriteOptional(w, "temp"u8, s.TemperatureC);
        w.WriteEndObject();
    }

    public static void WriteTxPacket(Utf8JsonWriter w, in TxPacket t)
    {
        w.WriteStartObject("txpk"u8);
        if (t.Immediate)
        {
            w.WriteBoolean("imme"u8, true);
        }

        WriteOptional(w, "tmst"u8, t.Tmst);
        WriteOptional(w, "tmms"u8, t.GpsTimeMs);
        w.WriteNumber("freq"u8, t.Frequency.Megahertz);
        w.WriteNumber("rfch"u8, t.RfChain);
        if (t.PowerDbm is { } powe)
        {
            w.WriteNumber("powe"u8, powe);
        }

        w.WriteString("modu"u8, GwmpText.Modulation(t.Modulation));
        WriteDataRate(w, t.LoraDataRate, t.FskBitRate);
        if (t.CodingRate is { } codr)
        {
            w.WriteString("codr"u8, GwmpText.CodingRate(codr));
        }

        WriteOptional(w, "fdev"u8, t.FskDeviationHz);
        WriteOptional(w, "ipol"u8, t.InvertPolarity);
        WriteOptional(w, "prea"u8, t.Preamble);
        WriteOptional(w, "ncrc"u8, t.NoCrc);
        WriteOptional(w, "nhdr"u8, t.NoHeader);
        w.WriteNumber("size"u8, t.Size);
        w.WriteBase64String("data"u8, t.Data ?? []);
        w.WriteEndObject();
    }

    /// <summary>Writes <c>"txpk_ack":{…}</c>: "error" always (NONE on success, as lora_pkt_fwd does), plus warn/value when set.</summary>
    public static void WriteTxAck(Utf8JsonWriter w, in TxAck ack)
    {
        w.WriteStartObject("txpk_ack"u8);
        w.WriteString("error"u8, TxAck.ErrorText(ack.Error));
        if (ack.Warning != TxAckWarning.None)
        {
            w.WriteString("warn"u8, TxAck.WarningText(ack.Warning));
            if (ack.WarningValue is { } value)
            {
                w.WriteNumber("value"u8, value);
            }
        }

        w.WriteEndObject();
    }

    private static void WriteDataRate(Utf8JsonWriter w, Core.Primitives.DataRate? lora, uint? fsk)
    {
        if (lora is { } rate)
        {
            Span<char> text = stackalloc char[16];
            rate.TryFormat(text, out var n);
            w.WriteString("datr"u8, text[..n]);
        }
        else if (fsk is { } bps)
        {
            w.WriteNumber("datr"u8, bps);
        }
    }

    private static void WriteIsoTime(Utf8JsonWriter w, ReadOnlySpan<byte> name, DateTimeOffset time)
    {
        Span<char> text = stackalloc char[40];
        time.UtcDateTime.TryFormat(text, out var n, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        w.WriteString(name, text[..n]);
    }

    private static void WriteOptional(Utf8JsonWriter w, ReadOnlySpan<byte> name, uint? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, ReadOnlySpan<byte> name, ulong? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, ReadOnlySpan<byte> name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, ReadOnlySpan<byte> name, bool? value)
    {
        if (value is { } v)
        {
            w.WriteBoolean(name, v);
        }
    }
}
