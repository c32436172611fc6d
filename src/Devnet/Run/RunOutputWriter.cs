using System.Globalization;
using System.Text;
using System.Text.Json;
using DePin.Wireless.Core.H3;

namespace DePin.Wireless.Devnet.Run;

/// <summary>
/// Writes a run's files: summary.json, rewards.csv, coverage.geojson, and for the map page hotspots.geojson and
/// witness-links.geojson. Each file is written to a temporary name and renamed, so a reader never sees half a file.
/// </summary>
public static class RunOutputWriter
{
    public const string SummaryFile = "summary.json";
    public const string RewardsFile = "rewards.csv";
    public const string CoverageFile = "coverage.geojson";
    public const string HotspotsFile = "hotspots.geojson";
    public const string LinksFile = "witness-links.geojson";
    public const string AdversariesFile = "adversaries.csv";
    public const string OrganisationsFile = "organisations.csv";
    public const string TrafficFile = "traffic.json";

    /// <summary>At most this many witness links go into witness-links.geojson (the map draws them as lines).</summary>
    public const int MaxLinks = 20_000;

    public static void WriteAll(RunResult result, string directory, bool includeWallClock = true)
    {
        Directory.CreateDirectory(directory);
        WriteAtomically(Path.Combine(directory, SummaryFile), stream => WriteSummary(result, stream, includeWallClock));
        WriteAtomically(Path.Combine(directory, RewardsFile), stream => WriteRewards(result, stream));
        WriteAtomically(Path.Combine(directory, CoverageFile), stream => WriteCoverage(result, stream));
        WriteAtomically(Path.Combine(directory, HotspotsFile), stream => WriteHotspots(result, stream));
        WriteAtomically(Path.Combine(directory, LinksFile), stream => WriteLinks(result, stream));
        WriteAtomically(Path.Combine(directory, AdversariesFile), stream => WriteAdversaries(result, stream));
        WriteAtomically(Path.Combine(directory, OrganisationsFile), stream => WriteOrganisations(result, stream));
        WriteAtomically(Path.Combine(directory, TrafficFile), stream => WriteTraffic(result, stream));
    }

    public static void WriteSummary(RunResult r, Stream stream, bool includeWallClock)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("seed", r.Options.Seed);
        w.WriteNumber("hotspots", r.Options.Hotspots);
        w.WriteNumber("devices", r.Options.Devices);
        w.WriteNumber("hours", r.Options.Hours);
        w.WriteStartObject("beacons");
        w.WriteNumber("sent", r.BeaconsSent);
        w.WriteNumber("valid", r.BeaconsValid);
        WriteCounts(w, "invalid", r.BeaconInvalid);
        w.WriteEndObject();
        w.WriteStartObject("witnesses");
        w.WriteNumber("reported", r.WitnessesReported);
        w.WriteNumber("valid", r.WitnessesValid);
        w.WriteNumber("selected", r.WitnessesSelected);
        WriteCounts(w, "invalid", r.WitnessInvalid);
        w.WriteEndObject();
        w.WriteStartObject("uplinks");
        w.WriteNumber("sent", r.Uplinks.Sent);
        w.WriteNumber("received_by_hotspots", r.Uplinks.ReceivedByHotspots);
        WriteNullable(w, "delivered", r.Uplinks.Delivered);
        WriteNullable(w, "charged_dc", r.Uplinks.ChargedDc);
        WriteNullable(w, "dropped_no_balance", r.Uplinks.DroppedNoBalance);
        w.WriteEndObject();
        w.WriteStartObject("rewards");
        w.WritePropertyName("epoch_emission");
        w.WriteRawValue(r.EpochEmission.ToString(CultureInfo.InvariantCulture));
        w.WritePropertyName("distributed");
        w.WriteRawValue(r.Distributed.ToString(CultureInfo.InvariantCulture));
        w.WriteNumber("hotspots_rewarded", r.Rewards.Count(l => l.Reward.Sign > 0));
        w.WriteEndObject();
        w.WriteStartObject("adversaries");
        w.WriteNumber("count", r.Adversaries.Count);
        w.WriteNumber("detected", r.Adversaries.Detected);
        w.WriteNumber("honest_penalised", r.Adversaries.HonestPenalised);
        WriteDetectorComparison(w, r.Adversaries);
        w.WriteEndObject();
        if (includeWallClock)
        {
            w.WriteNumber("wall_clock_seconds", Math.Round(r.WallClockSeconds, 3));
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// Beside the required keys: honest hotspots in the run, what Helium's checks alone and the oracle's spoofing
    /// analysis alone detected and penalised, and per adversary kind (snake_case role) count and detections.
    /// </summary>
    private static void WriteDetectorComparison(Utf8JsonWriter w, AdversaryOutcome a)
    {
        w.WriteNumber("honest", a.Honest);
        foreach (var (name, detector) in new[] { ("helium_checks", a.HeliumChecks), ("spoofing_analysis", a.SpoofingAnalysis) })
        {
            w.WriteStartObject(name);
            w.WriteNumber("detected", detector.Detected);
            w.WriteNumber("honest_penalised", detector.HonestPenalised);
            w.WriteEndObject();
        }

        w.WriteStartObject("by_kind");
        foreach (var kind in a.ByKind)
        {
            w.WriteStartObject(RoleName(kind.Role));
            w.WriteNumber("count", kind.Count);
            w.WriteNumber("helium_detected", kind.HeliumDetected);
            w.WriteNumber("spoofing_detected", kind.SpoofingDetected);
            w.WriteNumber("detected", kind.Detected);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>snake_case of a role, as summary.json names adversary kinds (location_spoofer, relay_listener, …).</summary>
    public static string RoleName(HotspotRole role) => role switch
    {
        HotspotRole.Honest => "honest",
        HotspotRole.LocationSpoofer => "location_spoofer",
        HotspotRole.RelayListener => "relay_listener",
        HotspotRole.RelayTransmitter => "relay_transmitter",
        HotspotRole.RoomCluster => "room_cluster",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown hotspot role"),
    };

    public static void WriteRewards(RunResult r, Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        writer.Write("hotspot,beacon_shares,witness_shares,dc_shares,reward\n");
        foreach (var line in r.Rewards)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{line.Hotspot},{line.BeaconShares:R},{line.WitnessShares:R},{line.DcShares},{line.Reward}\n"));
        }
    }

    /// <summary>traffic.json: joins, confirmed uplinks, downlinks and each organisation's account (empty object without traffic).</summary>
    public static void WriteTraffic(RunResult r, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        if (r.Traffic is not { } t)
        {
            w.WriteEndObject();
            return;
        }

        w.WriteNumber("join_requests", t.JoinRequestsSent);
        w.WriteNumber("joins_accepted", t.JoinsAccepted);
        w.WriteNumber("devices_joined", t.DevicesJoined);
        w.WriteNumber("confirmed_sent", t.ConfirmedSent);
        w.WriteNumber("acks_received", t.AcksReceived);
        w.WriteNumber("adr_changes", t.AdrChanges);
        w.WriteNumber("copies_bought", t.BoughtCopies);
        w.WriteNumber("frames_at_max_copies", t.FramesAtMaxCopies);
        w.WriteStartObject("downlinks");
        w.WriteNumber("planned", t.DownlinksPlanned);
        w.WriteNumber("transmitted", t.DownlinksTransmitted);
        w.WriteNumber("in_rx2", t.DownlinksInRx2);
        w.WriteNumber("too_late", t.DownlinksTooLate);
        w.WriteNumber("not_transmitted", t.DownlinksNotTransmitted);
        w.WriteNumber("received_by_devices", t.DownlinksReceived);
        w.WriteEndObject();
        w.WriteStartArray("organisations");
        foreach (var o in t.Organisations)
        {
            w.WriteStartObject();
            w.WriteNumber("oui", o.Oui);
            w.WriteNumber("devices", o.Devices);
            w.WriteNumber("max_copies", o.MaxCopies);
            w.WriteBoolean("under_funded", o.UnderFunded);
            w.WriteNumber("burns", o.Burns);
            w.WriteNumber("credited_dc", o.CreditedDc);
            w.WriteNumber("charged_dc", o.ChargedDc);
            w.WriteNumber("dropped_no_balance", o.DroppedNoBalance);
            w.WriteNumber("balance_dc", o.BalanceDc);
            WriteNullable(w, "disabled_at_hours", o.DisabledAtHours);
            WriteNullable(w, "reenabled_at_hours", o.ReenabledAtHours);
            w.WriteNumber("delivered", o.Delivered);
            w.WriteNumber("delivered_after_reenable", o.DeliveredAfterReenable);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Each organisation's DC account over the run: burns, charges, drops, and when it was disabled and re-enabled.</summary>
    public static void WriteOrganisations(RunResult r, Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        writer.Write("oui,payer,devices,max_copies,under_funded,burns,credited_dc,charged_dc,copies_bought,dropped_no_balance,balance_dc,enabled_at_end,disabled_at_hours,reenabled_at_hours,delivered,delivered_after_reenable\n");
        foreach (var o in r.Traffic?.Organisations ?? [])
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{o.Oui},{o.Payer},{o.Devices},{o.MaxCopies},{(o.UnderFunded ? "true" : "false")},{o.Burns},{o.CreditedDc},{o.ChargedDc},{o.BoughtCopies},{o.DroppedNoBalance},{o.BalanceDc},{(o.EnabledAtEnd ? "true" : "false")},{o.DisabledAtHours},{o.ReenabledAtHours},{o.Delivered},{o.DeliveredAfterReenable}\n"));
        }
    }

    /// <summary>
    /// Which hotspots were adversarial, what kind, whether they were detected (by either), by Helium's checks, by the
    /// oracle, Helium's reasons, the oracle's trust and verdicts, and the reward paid. The oracle's verdicts contain
    /// commas, so that field is quoted (RFC 4180) and verdicts are separated by <c>|</c>.
    /// </summary>
    public static void WriteAdversaries(RunResult r, Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        writer.Write("hotspot,role,detected,helium_detected,spoofing_detected,reasons,spoofing_trust,spoofing_reasons,reward\n");
        static string Bool(bool b) => b ? "true" : "false";
        foreach (var a in r.Adversaries.Hotspots)
        {
            var oracleReasons = "\"" + string.Join(" | ", a.SpoofingReasons).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{a.Hotspot},{a.Role},{Bool(a.Detected)},{Bool(a.HeliumDetected)},{Bool(a.SpoofingDetected)},{string.Join(';', a.Reasons)},{a.SpoofingTrust:0.###},{oracleReasons},{a.Reward}\n"));
        }
    }

    public static void WriteCoverage(RunResult r, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream);
        H3GeoJson.WriteFeatureCollection(w, r.Coverage.Select(c => new H3CellFeature(new H3Cell(c.Cell), new Dictionary<string, object?>
        {
            ["score"] = Math.Round(c.Score, 6),
            ["hotspots"] = c.Hotspots,
        })));
    }

    public static void WriteHotspots(RunResult r, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream);
        w.WriteStartObject();
        w.WriteString("type", "FeatureCollection");
        w.WriteStartArray("features");
        foreach (var h in r.HotspotPoints)
        {
            var centre = H3Grid.CellToLatLng(new H3Cell(h.AssertedCell));
            w.WriteStartObject();
            w.WriteString("type", "Feature");
            w.WriteStartObject("geometry");
            w.WriteString("type", "Point");
            w.WriteStartArray("coordinates");
            w.WriteNumberValue(Math.Round(centre.Lng, 7));
            w.WriteNumberValue(Math.Round(centre.Lat, 7));
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("properties");
            w.WriteString("address", h.Address);
            w.WriteString("status", h.Active ? "valid" : "invalid");
            w.WriteString("cell", new H3Cell(h.AssertedCell).ToString());
            w.WriteString("reward", h.Reward.ToString(CultureInfo.InvariantCulture));
            w.WriteStartArray("reasons");
            foreach (var reason in h.Reasons)
            {
                w.WriteStringValue(reason);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteLinks(RunResult r, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream);
        w.WriteStartObject();
        w.WriteString("type", "FeatureCollection");
        w.WriteStartArray("features");
        foreach (var (beaconer, witness, _, _) in r.Links.DistinctBy(l => (l.Beaconer, l.Witness)).Take(MaxLinks))
        {
            var a = H3Grid.CellToLatLng(new H3Cell(r.HotspotPoints[beaconer].AssertedCell));
            var b = H3Grid.CellToLatLng(new H3Cell(r.HotspotPoints[witness].AssertedCell));
            w.WriteStartObject();
            w.WriteString("type", "Feature");
            w.WriteStartObject("geometry");
            w.WriteString("type", "LineString");
            w.WriteStartArray("coordinates");
            foreach (var p in new[] { a, b })
            {
                w.WriteStartArray();
                w.WriteNumberValue(Math.Round(p.Lng, 7));
                w.WriteNumberValue(Math.Round(p.Lat, 7));
                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("properties");
            w.WriteString("beaconer", r.HotspotPoints[beaconer].Address);
            w.WriteString("witness", r.HotspotPoints[witness].Address);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, long> counts)
    {
        w.WriteStartObject(name);
        foreach (var (reason, count) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            w.WriteNumber(reason, count);
        }

        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteAtomically(string path, Action<Stream> write)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            write(stream);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
