using System.Text.Json;
using static DePin.Wireless.FirmwareBridge.Gwmp.GwmpJsonFields;

namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>
/// Readers of the four GWMP JSON objects (rxpk element, stat, txpk, txpk_ack). Each starts on the object's
/// StartObject token and ends on its EndObject token. Unknown fields are skipped so newer forwarders keep working.
/// </summary>
internal static class GwmpObjectReaders
{
    [Flags]
    private enum RxRequired
    {
        None = 0,
        Tmst = 1,
        Freq = 2,
        Modu = 4,
        Datr = 8,
        Size = 16,
        Data = 32,
        All = Tmst | Freq | Modu | Datr | Size | Data,
    }

    public static RxPacket ReadRxPacket(ref Utf8JsonReader reader, JsonLocation where)
    {
        ExpectStartObject(ref reader, where);
        var p = default(RxPacket);
        var seen = RxRequired.None;
        try
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                seen |= ReadRxField(ref reader, ref p);
            }
        }
        catch (GwmpDecodeException e)
        {
            throw Located(e, where);
        }

        if (seen != RxRequired.All)
        {
            throw GwmpDecodeException.Missing(where, FirstMissing(seen));
        }

        CheckDataRateMatchesModulation(where, p.Modulation, p.LoraDataRate.HasValue, p.FskBitRate.HasValue);
        CheckSize(where, p.Size, p.Data);
        return p;
    }

    private static RxRequired ReadRxField(ref Utf8JsonReader reader, ref RxPacket p)
    {
        // One switch on the packed property name: no strings and no chain of comparisons per field.
        var key = GwmpFieldKey.Of(ref reader);
        reader.Read();
        switch (key)
        {
            case GwmpFieldKey.Tmst: p.Tmst = ReadUInt32(ref reader, "tmst"); return RxRequired.Tmst;
            case GwmpFieldKey.Freq: p.Frequency = ReadFrequency(ref reader, "freq"); return RxRequired.Freq;
            case GwmpFieldKey.Modu: p.Modulation = ReadModulation(ref reader, "modu"); return RxRequired.Modu;
            case GwmpFieldKey.Datr:
                ReadDataRate(ref reader, "datr", out var lora, out var fsk);
                p.LoraDataRate = lora;
                p.FskBitRate = fsk;
                return RxRequired.Datr;
            case GwmpFieldKey.Size: p.Size = ReadSize(ref reader, "size"); return RxRequired.Size;
            case GwmpFieldKey.Data: p.Data = ReadBase64(ref reader, "data"); return RxRequired.Data;
            case GwmpFieldKey.Rssi: p.Rssi = ReadOptionalDouble(ref reader, "rssi"); break;
            case GwmpFieldKey.Lsnr: p.Snr = ReadOptionalDouble(ref reader, "lsnr"); break;
            case GwmpFieldKey.Codr: p.CodingRate = ReadOptionalCodingRate(ref reader, "codr"); break;
            case GwmpFieldKey.Time: p.Time = ReadOptionalIsoTime(ref reader, "time"); break;
            case GwmpFieldKey.Tmms: p.GpsTimeMs = ReadOptionalUInt64(ref reader, "tmms"); break;
            case GwmpFieldKey.Chan: p.Channel = ReadOptionalUInt32(ref reader, "chan"); break;
            case GwmpFieldKey.Rfch: p.RfChain = ReadOptionalUInt32(ref reader, "rfch"); break;
            case GwmpFieldKey.Stat: p.CrcStatus = ReadCrcStatus(ref reader); break;
            case GwmpFieldKey.Ftime: p.FineTimeNs = ReadOptionalUInt32(ref reader, "ftime"); break;
            case GwmpFieldKey.Mid: p.ModemId = ReadOptionalUInt32(ref reader, "mid"); break;
            case GwmpFieldKey.Brd: p.Board = ReadOptionalUInt32(ref reader, "brd"); break;
            case GwmpFieldKey.Rssis: p.RssiSignal = ReadOptionalDouble(ref reader, "rssis"); break;
            case GwmpFieldKey.Rssic: p.RssiChannel = ReadOptionalDouble(ref reader, "rssic"); break;
            case GwmpFieldKey.Foff: p.FrequencyOffsetHz = ReadOptionalInt32(ref reader, "foff"); break;
            case GwmpFieldKey.Aesk: p.AesKey = ReadOptionalUInt32(ref reader, "aesk"); break;
            default: reader.Skip(); break;
        }

        return RxRequired.None;
    }

    private static int? ReadCrcStatus(ref Utf8JsonReader reader)
    {
        var stat = ReadOptionalInt32(ref reader, "stat");
        return stat is null or -1 or 0 or 1 ? stat : throw GwmpDecodeException.Invalid("stat", $"CRC status {stat} is not 1 (OK), -1 (failed) or 0 (no CRC)");
    }

    private static string FirstMissing(RxRequired seen) =>
        (seen & RxRequired.Tmst) == 0 ? "tmst"
        : (seen & RxRequired.Freq) == 0 ? "freq"
        : (seen & RxRequired.Modu) == 0 ? "modu"
        : (seen & RxRequired.Datr) == 0 ? "datr"
        : (seen & RxRequired.Size) == 0 ? "size"
        : "data";

    public static GatewayStatus ReadStatus(ref Utf8JsonReader reader)
    {
        var where = new JsonLocation("stat");
        ExpectStartObject(ref reader, where);
        var s = default(GatewayStatus);
        try
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("time"u8)) { reader.Read(); s.Time = ReadOptionalStatTime(ref reader, "time"); }
                else if (reader.ValueTextEquals("lati"u8)) { reader.Read(); s.Latitude = ReadOptionalDouble(ref reader, "lati"); }
                else if (reader.ValueTextEquals("long"u8)) { reader.Read(); s.Longitude = ReadOptionalDouble(ref reader, "long"); }
                else if (reader.ValueTextEquals("alti"u8)) { reader.Read(); s.Altitude = ReadOptionalInt32(ref reader, "alti"); }
                else if (reader.ValueTextEquals("rxnb"u8)) { reader.Read(); s.RxReceived = ReadOptionalUInt32(ref reader, "rxnb"); }
                else if (reader.ValueTextEquals("rxok"u8)) { reader.Read(); s.RxOk = ReadOptionalUInt32(ref reader, "rxok"); }
                else if (reader.ValueTextEquals("rxfw"u8)) { reader.Read(); s.RxForwarded = ReadOptionalUInt32(ref reader, "rxfw"); }
                else if (reader.ValueTextEquals("ackr"u8)) { reader.Read(); s.AckRatioPercent = ReadOptionalDouble(ref reader, "ackr"); }
                else if (reader.ValueTextEquals("dwnb"u8)) { reader.Read(); s.DownlinkReceived = ReadOptionalUInt32(ref reader, "dwnb"); }
                else if (reader.ValueTextEquals("txnb"u8)) { reader.Read(); s.TxEmitted = ReadOptionalUInt32(ref reader, "txnb"); }
                else if (reader.ValueTextEquals("temp"u8)) { reader.Read(); s.TemperatureC = ReadOptionalDouble(ref reader, "temp"); }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (GwmpDecodeException e)
        {
            throw Located(e, where);
        }

        if (s.Latitude is < -90 or > 90)
        {
            throw GwmpDecodeException.Invalid("stat.lati", $"latitude {s.Latitude} is outside -90..90");
        }

        if (s.Longitude is < -180 or > 180)
        {
            throw GwmpDecodeException.Invalid("stat.long", $"longitude {s.Longitude} is outside -180..180");
        }

        return s;
    }

    public static TxPacket ReadTxPacket(ref Utf8JsonReader reader)
    {
        var where = new JsonLocation("txpk");
        ExpectStartObject(ref reader, where);
        var t = default(TxPacket);
        bool freq = false, rfch = false, modu = false, datr = false, size = false, data = false;
        try
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("imme"u8)) { reader.Read(); t.Immediate = ReadOptionalBool(ref reader, "imme") ?? false; }
                else if (reader.ValueTextEquals("tmst"u8)) { reader.Read(); t.Tmst = ReadOptionalUInt32(ref reader, "tmst"); }
                else if (reader.ValueTextEquals("tmms"u8)) { reader.Read(); t.GpsTimeMs = ReadOptionalUInt64(ref reader, "tmms"); }
                else if (reader.ValueTextEquals("freq"u8)) { reader.Read(); t.Frequency = ReadFrequency(ref reader, "freq"); freq = true; }
                else if (reader.ValueTextEquals("rfch"u8)) { reader.Read(); t.RfChain = ReadUInt32(ref reader, "rfch"); rfch = true; }
                else if (reader.ValueTextEquals("powe"u8)) { reader.Read(); t.PowerDbm = ReadOptionalInt32(ref reader, "powe"); }
                else if (reader.ValueTextEquals("modu"u8)) { reader.Read(); t.Modulation = ReadModulation(ref reader, "modu"); modu = true; }
                else if (reader.ValueTextEquals("datr"u8))
                {
                    reader.Read();
                    ReadDataRate(ref reader, "datr", out var lora, out var fsk);
                    t.LoraDataRate = lora;
                    t.FskBitRate = fsk;
                    datr = true;
                }
                else if (reader.ValueTextEquals("codr"u8)) { reader.Read(); t.CodingRate = ReadOptionalCodingRate(ref reader, "codr"); }
                else if (reader.ValueTextEquals("fdev"u8)) { reader.Read(); t.FskDeviationHz = ReadOptionalUInt32(ref reader, "fdev"); }
                else if (reader.ValueTextEquals("ipol"u8)) { reader.Read(); t.InvertPolarity = ReadOptionalBool(ref reader, "ipol"); }
                else if (reader.ValueTextEquals("prea"u8)) { reader.Read(); t.Preamble = ReadOptionalUInt32(ref reader, "prea"); }
                else if (reader.ValueTextEquals("ncrc"u8)) { reader.Read(); t.NoCrc = ReadOptionalBool(ref reader, "ncrc"); }
                else if (reader.ValueTextEquals("nhdr"u8)) { reader.Read(); t.NoHeader = ReadOptionalBool(ref reader, "nhdr"); }
                else if (reader.ValueTextEquals("size"u8)) { reader.Read(); t.Size = ReadSize(ref reader, "size"); size = true; }
                else if (reader.ValueTextEquals("data"u8)) { reader.Read(); t.Data = ReadBase64(ref reader, "data"); data = true; }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (GwmpDecodeException e)
        {
            throw Located(e, where);
        }

        var missing = !freq ? "freq" : !rfch ? "rfch" : !modu ? "modu" : !datr ? "datr" : !size ? "size" : !data ? "data" : null;
        if (missing is not null)
        {
            throw GwmpDecodeException.Missing(where, missing);
        }

        if (!t.Immediate && t.Tmst is null && t.GpsTimeMs is null)
        {
            throw GwmpDecodeException.Missing(where, "imme, tmst or tmms");
        }

        if (t.Modulation == GwmpModulation.Lora && t.CodingRate is null)
        {
            throw GwmpDecodeException.Missing(where, "codr");
        }

        CheckDataRateMatchesModulation(where, t.Modulation, t.LoraDataRate.HasValue, t.FskBitRate.HasValue);
        CheckSize(where, t.Size, t.Data);
        return t;
    }

    public static TxAck ReadTxAck(ref Utf8JsonReader reader)
    {
        var where = new JsonLocation("txpk_ack");
        ExpectStartObject(ref reader, where);
        var error = TxAckError.None;
        var warning = TxAckWarning.None;
        int? value = null;
        try
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    error = reader.TokenType == JsonTokenType.String
                        ? TxAck.TryParseError(reader.ValueSpan, out var e) ? e : throw GwmpDecodeException.Invalid("error", $"'{reader.GetString()}' is not a TX_ACK error (NONE, TOO_LATE, TOO_EARLY, COLLISION_PACKET, COLLISION_BEACON, TX_FREQ, TX_POWER, GPS_UNLOCKED)")
                        : throw GwmpDecodeException.Wrong("error", "a string", reader.TokenType);
                }
                else if (reader.ValueTextEquals("warn"u8))
                {
                    reader.Read();
                    warning = reader.TokenType == JsonTokenType.String
                        ? TxAck.TryParseWarning(reader.ValueSpan, out var w) ? w : throw GwmpDecodeException.Invalid("warn", $"'{reader.GetString()}' is not a TX_ACK warning (NONE, TX_POWER)")
                        : throw GwmpDecodeException.Wrong("warn", "a string", reader.TokenType);
                }
                else if (reader.ValueTextEquals("value"u8))
                {
                    reader.Read();
                    value = ReadOptionalInt32(ref reader, "value");
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (GwmpDecodeException e)
        {
            throw Located(e, where);
        }

        return new TxAck(error, warning, value);
    }

    private static void CheckDataRateMatchesModulation(JsonLocation where, GwmpModulation modulation, bool hasLora, bool hasFsk)
    {
        if (modulation == GwmpModulation.Lora && !hasLora)
        {
            throw new GwmpDecodeException(new(GwmpErrorKind.WrongFieldType, $"{where.Of("datr")}: a LORA packet needs a string data rate such as \"SF7BW125\""));
        }

        if (modulation == GwmpModulation.Fsk && !hasFsk)
        {
            throw new GwmpDecodeException(new(GwmpErrorKind.WrongFieldType, $"{where.Of("datr")}: an FSK packet needs a numeric bit rate"));
        }
    }

    private static void CheckSize(JsonLocation where, int size, byte[] data)
    {
        if (size != data.Length)
        {
            throw new GwmpDecodeException(new(GwmpErrorKind.SizeMismatch, $"{where.Of("size")}: says {size} bytes but data decodes to {data.Length} bytes"));
        }
    }

    private static GwmpDecodeException Located(GwmpDecodeException e, JsonLocation where) =>
        new(e.Error with { Reason = $"{where}.{e.Error.Reason}" });
}
