using DePin.Wireless.Core.H3;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Proto;

namespace DePin.Wireless.CoverageOracle.Coverage;

/// <summary>Coverage of one H3 cell: score in [0, 1], how many distinct witnessing hotspots and links support it.</summary>
public sealed record CellCoverage(ulong Cell, double Score, int Hotspots, int Links);

public sealed record CoverageScoreOptions
{
    /// <summary>Cells are scored at this H3 resolution (res 8, ≈0.74 km², the map's default).</summary>
    public int Resolution { get; init; } = 8;

    /// <summary>RSSI margin over the data rate's sensitivity at which a link counts as certain coverage (20 dB: beyond typical fading).</summary>
    public double FullMarginDb { get; init; } = 20;
}

/// <summary>
/// Coverage per H3 cell from valid, selected witness links. Each link i is a beacon heard by a witness; its
/// strength is p_i = clamp((RSSI_i − S(dr)) / M, 0, 1), where S is the SX1276 datasheet sensitivity of the
/// beacon's data rate at 125 kHz (LinkBudget) and M = <see cref="CoverageScoreOptions.FullMarginDb"/>. Links are
/// treated as independent evidence that a receiver in the witness's cell hears the network:
/// score(cell) = 1 − Π_i (1 − p_i) over the links whose witness is asserted in the cell (at the score resolution).
/// A link at the sensitivity adds nothing; one with M dB of margin makes the cell fully covered.
/// </summary>
public sealed class CoverageScorer(CoverageScoreOptions options)
{
    public IReadOnlyList<CellCoverage> Score(IEnumerable<VerifiedPoc> pocs, IReadOnlyDictionary<string, ulong> locations)
    {
        var missProduct = new Dictionary<ulong, double>();
        var hotspots = new Dictionary<ulong, HashSet<string>>();
        var links = new Dictionary<ulong, int>();
        foreach (var w in pocs.SelectMany(p => p.Witnesses).Where(w => w.Selected))
        {
            if (!locations.TryGetValue(w.Hotspot, out var location))
            {
                continue;
            }

            var report = WitnessReport.Parser.ParseFrom(w.Report.Envelope.Payload);
            var cell = H3Grid.CellToParent(new H3Cell(location), options.Resolution).Value;
            var p = LinkStrength(report.SignalDdbm / 10.0, report.Datarate);
            missProduct[cell] = missProduct.GetValueOrDefault(cell, 1.0) * (1 - p);
            links[cell] = links.GetValueOrDefault(cell) + 1;
            if (!hotspots.TryGetValue(cell, out var set))
            {
                hotspots[cell] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.Add(w.Hotspot);
        }

        return missProduct.OrderBy(c => c.Key)
            .Select(c => new CellCoverage(c.Key, 1 - c.Value, hotspots[c.Key].Count, links[c.Key]))
            .ToList();
    }

    /// <summary>p = clamp((RSSI − sensitivity) / full margin, 0, 1); 0 for an unknown data rate.</summary>
    public double LinkStrength(double rssiDbm, string dataRate)
    {
        if (!DataRate.TryParse(dataRate, out var dr, out _) || dr.BandwidthKhz != 125 || dr.SpreadingFactor is < 7 or > 12)
        {
            return 0;
        }

        var margin = rssiDbm - LinkBudget.Sx1276DatasheetSensitivity125Khz(dr.SpreadingFactor).Value;
        return Math.Clamp(margin / options.FullMarginDb, 0, 1);
    }
}
