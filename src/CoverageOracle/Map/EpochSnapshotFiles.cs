using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;
using DePin.Wireless.Core.H3;

namespace DePin.Wireless.CoverageOracle.Map;

/// <summary>What <see cref="EpochSnapshotFiles.LoadAll"/> found: the snapshots it could read, and the files it could not (with why).</summary>
public sealed record LoadedSnapshots(IReadOnlyList<EpochSnapshot> Snapshots, IReadOnlyList<string> Problems);

/// <summary>
/// The map epochs serve has published, kept on disk beside the verification outputs (<c>map-epoch-N.json</c>) so a
/// restarted oracle shows every epoch it closed before, not only those it closes after the restart. A file is written
/// to a temporary name and renamed, so a crash leaves either the old file or the new one. Cells are H3 indexes in hex,
/// rewards decimal strings (token base units exceed what JSON numbers carry exactly).
/// </summary>
public static class EpochSnapshotFiles
{
    private const string Prefix = "map-epoch-";
    private const string Suffix = ".json";

    private static readonly JsonSerializerOptions Json = new();

    public static string PathOf(string directory, long epoch) =>
        System.IO.Path.Combine(directory, Prefix + epoch.ToString(CultureInfo.InvariantCulture) + Suffix);

    /// <summary>Writes (or replaces) the snapshot of its epoch.</summary>
    public static void Write(string directory, EpochSnapshot snapshot)
    {
        EpochSnapshotValidator.Validate(snapshot);
        Directory.CreateDirectory(directory);
        var path = PathOf(directory, snapshot.Info.Epoch);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(SnapshotFile.From(snapshot), Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Every readable snapshot in the directory in epoch order. A damaged file is reported in
    /// <see cref="LoadedSnapshots.Problems"/> and left in place (the epoch's verified outputs and rewards do not depend on it).
    /// </summary>
    public static LoadedSnapshots LoadAll(string directory)
    {
        var snapshots = new List<EpochSnapshot>();
        var problems = new List<string>();
        if (!Directory.Exists(directory))
        {
            return new LoadedSnapshots(snapshots, problems);
        }

        foreach (var path in Directory.EnumerateFiles(directory, Prefix + "*" + Suffix).Order(StringComparer.Ordinal))
        {
            var name = System.IO.Path.GetFileName(path);
            if (!long.TryParse(name.AsSpan(Prefix.Length, name.Length - Prefix.Length - Suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
            {
                continue;
            }

            try
            {
                var snapshot = Read(path);
                if (snapshot.Info.Epoch != epoch)
                {
                    throw new InvalidDataException($"holds epoch {snapshot.Info.Epoch}, not {epoch}");
                }

                EpochSnapshotValidator.Validate(snapshot);
                snapshots.Add(snapshot);
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException or ArgumentException or FormatException or OverflowException)
            {
                problems.Add($"{path}: {ex.Message}");
            }
        }

        snapshots.Sort((a, b) => a.Info.Epoch.CompareTo(b.Info.Epoch));
        return new LoadedSnapshots(snapshots, problems);
    }

    private static EpochSnapshot Read(string path)
    {
        var file = JsonSerializer.Deserialize<SnapshotFile>(File.ReadAllBytes(path), Json)
            ?? throw new InvalidDataException("empty snapshot file");
        return file.ToSnapshot();
    }

    private sealed record SnapshotFile(
        [property: JsonPropertyName("epoch")] long Epoch,
        [property: JsonPropertyName("start_ms")] long StartMs,
        [property: JsonPropertyName("end_ms")] long EndMs,
        [property: JsonPropertyName("cells")] List<CellRow>? Cells,
        [property: JsonPropertyName("hotspots")] List<HotspotRow>? Hotspots,
        [property: JsonPropertyName("links")] List<LinkRow>? Links)
    {
        public static SnapshotFile From(EpochSnapshot s) => new(
            s.Info.Epoch,
            s.Info.Start.ToUnixTimeMilliseconds(),
            s.Info.End.ToUnixTimeMilliseconds(),
            s.Cells.Select(c => new CellRow(c.Cell.ToString(), c.Score, c.Hotspots)).ToList(),
            s.Hotspots.Select(h => new HotspotRow(h.Address, h.Cell.ToString(), h.Reward.ToString(CultureInfo.InvariantCulture), h.Penalised, [.. h.Reasons])).ToList(),
            s.Links.Select(l => new LinkRow(l.Beaconer, l.BeaconerCell.ToString(), l.Witness, l.WitnessCell.ToString(), l.Rssi, l.Snr)).ToList());

        public EpochSnapshot ToSnapshot() => new(
            new EpochInfo(Epoch, DateTimeOffset.FromUnixTimeMilliseconds(StartMs), DateTimeOffset.FromUnixTimeMilliseconds(EndMs)),
            Required(Cells, "cells").Select(c => new CellCoverage(Cell(c.Cell, "cells[].h3"), c.Score, c.Hotspots)).ToArray(),
            Required(Hotspots, "hotspots").Select(h => new HotspotSummary(
                Required(h.Address, "hotspots[].address"),
                Cell(h.Cell, "hotspots[].h3"),
                BigInteger.Parse(Required(h.Reward, "hotspots[].reward"), NumberStyles.None, CultureInfo.InvariantCulture),
                h.Penalised,
                Required(h.Reasons, "hotspots[].reasons"))).ToArray(),
            Required(Links, "links").Select(l => new WitnessLink(
                Required(l.Beaconer, "links[].beaconer"),
                Cell(l.BeaconerCell, "links[].beaconer_h3"),
                Required(l.Witness, "links[].witness"),
                Cell(l.WitnessCell, "links[].witness_h3"),
                l.Rssi,
                l.Snr)).ToArray());

        private static T Required<T>(T? value, string field)
            where T : class => value ?? throw new InvalidDataException($"{field} missing");

        private static H3Cell Cell(string? text, string field) =>
            H3Cell.TryParse(Required(text, field), CultureInfo.InvariantCulture, out var cell) && cell.IsValid
                ? cell
                : throw new InvalidDataException($"{field}: '{text}' is not a valid H3 cell");
    }

    private sealed record CellRow(
        [property: JsonPropertyName("h3")] string? Cell,
        [property: JsonPropertyName("score")] double Score,
        [property: JsonPropertyName("hotspots")] int Hotspots);

    private sealed record HotspotRow(
        [property: JsonPropertyName("address")] string? Address,
        [property: JsonPropertyName("h3")] string? Cell,
        [property: JsonPropertyName("reward")] string? Reward,
        [property: JsonPropertyName("penalised")] bool Penalised,
        [property: JsonPropertyName("reasons")] List<string>? Reasons);

    private sealed record LinkRow(
        [property: JsonPropertyName("beaconer")] string? Beaconer,
        [property: JsonPropertyName("beaconer_h3")] string? BeaconerCell,
        [property: JsonPropertyName("witness")] string? Witness,
        [property: JsonPropertyName("witness_h3")] string? WitnessCell,
        [property: JsonPropertyName("rssi")] double Rssi,
        [property: JsonPropertyName("snr")] double Snr);
}
