using DePin.Wireless.Core.H3;

namespace DePin.Wireless.CoverageOracle.Map;

/// <summary>
/// Rejects a snapshot the map could not draw faithfully (invalid cells, scores outside 0..1, negative
/// rewards), naming the epoch, the item and the field, so nothing half-valid is ever published.
/// </summary>
public static class EpochSnapshotValidator
{
    public static void Validate(EpochSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var info = snapshot.Info ?? throw new ArgumentException("snapshot.Info is required", nameof(snapshot));
        var where = $"epoch {info.Epoch}";
        if (info.End < info.Start)
        {
            Fail($"{where}: End {info.End:O} is before Start {info.Start:O}");
        }

        for (var i = 0; i < Required(snapshot.Cells, where, "Cells").Count; i++)
        {
            var c = snapshot.Cells[i] ?? throw Error($"{where}: Cells[{i}] is null");
            CheckCell(c.Cell, $"{where}: Cells[{i}].Cell");
            if (!double.IsFinite(c.Score) || c.Score is < 0 or > 1)
            {
                Fail($"{where}: Cells[{i}].Score {c.Score} is not within 0..1");
            }

            if (c.Hotspots < 0)
            {
                Fail($"{where}: Cells[{i}].Hotspots {c.Hotspots} is negative");
            }
        }

        for (var i = 0; i < Required(snapshot.Hotspots, where, "Hotspots").Count; i++)
        {
            var h = snapshot.Hotspots[i] ?? throw Error($"{where}: Hotspots[{i}] is null");
            CheckText(h.Address, $"{where}: Hotspots[{i}].Address");
            CheckCell(h.Cell, $"{where}: Hotspots[{i}].Cell");
            if (h.Reward.Sign < 0)
            {
                Fail($"{where}: Hotspots[{i}].Reward {h.Reward} is negative");
            }

            if (h.Reasons is null || h.Reasons.Any(r => r is null))
            {
                Fail($"{where}: Hotspots[{i}].Reasons must be a list of strings");
            }
        }

        for (var i = 0; i < Required(snapshot.Links, where, "Links").Count; i++)
        {
            var l = snapshot.Links[i] ?? throw Error($"{where}: Links[{i}] is null");
            CheckText(l.Beaconer, $"{where}: Links[{i}].Beaconer");
            CheckText(l.Witness, $"{where}: Links[{i}].Witness");
            CheckCell(l.BeaconerCell, $"{where}: Links[{i}].BeaconerCell");
            CheckCell(l.WitnessCell, $"{where}: Links[{i}].WitnessCell");
            if (!double.IsFinite(l.Rssi) || !double.IsFinite(l.Snr))
            {
                Fail($"{where}: Links[{i}] Rssi {l.Rssi} and Snr {l.Snr} must be finite");
            }
        }
    }

    private static IReadOnlyList<T> Required<T>(IReadOnlyList<T>? list, string where, string field) =>
        list ?? throw Error($"{where}: {field} is required");

    private static void CheckCell(H3Cell cell, string field)
    {
        if (cell.CheckValidity() is { } problem)
        {
            Fail($"{field} {cell.Value:x} is not an H3 cell: {problem}");
        }
    }

    private static void CheckText(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            Fail($"{field} is empty");
        }
    }

    private static ArgumentException Error(string message) => new(message);

    private static void Fail(string message) => throw Error(message);
}
