using DePin.Wireless.Core.H3;
using DePin.Wireless.CoverageOracle.Coverage;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.Tests.Coverage;

public class CoverageScorerTests
{
    private readonly CoverageScorer _scorer = new(new CoverageScoreOptions());

    private static VerifiedWitnessRecord Link(string hotspot, int signalDeciDbm, bool selected = true, string dataRate = "SF9BW125") => new()
    {
        Hotspot = hotspot,
        Selected = selected,
        Report = new IngestRecord { Envelope = new SignedEnvelope { Payload = new WitnessReport { SignalDdbm = signalDeciDbm, Datarate = dataRate }.ToByteString() } },
    };

    [Theory]
    [InlineData(-129.0, 0.0)] // at SF9 sensitivity (SX1276: −129 dBm)
    [InlineData(-119.0, 0.5)] // 10 dB margin of 20
    [InlineData(-109.0, 1.0)]
    [InlineData(-80.0, 1.0)]
    [InlineData(-140.0, 0.0)]
    public void Link_strength_is_the_margin_over_sensitivity_clamped(double rssi, double expected) =>
        Assert.Equal(expected, _scorer.LinkStrength(rssi, "SF9BW125"), 12);

    [Fact]
    public void Cell_score_combines_links_as_independent_evidence()
    {
        // Two witnesses in one res-8 cell with p = 0.5 and 0.25: 1 − 0.5 × 0.75 = 0.625. A third in another cell
        // at p = 0.5. Unselected links do not count.
        var res8 = H3Grid.LatLngToCell(52.0, 5.0, 8);
        var other = H3Grid.LatLngToCell(52.2, 5.3, 8);
        ulong Inside(H3Cell c, int i) => H3Grid.CellToChildren(c, 12)[i].Value;
        var locations = new Dictionary<string, ulong> { ["a"] = Inside(res8, 0), ["b"] = Inside(res8, 100), ["c"] = Inside(other, 0) };
        var poc = new VerifiedPoc { Beaconer = "x" };
        poc.Witnesses.Add(Link("a", -1190));
        poc.Witnesses.Add(Link("b", -1240));
        poc.Witnesses.Add(Link("c", -1190));
        poc.Witnesses.Add(Link("a", -900, selected: false));
        var cells = _scorer.Score([poc], locations).ToDictionary(c => c.Cell);
        Assert.Equal(0.625, cells[res8.Value].Score, 12);
        Assert.Equal((2, 2), (cells[res8.Value].Hotspots, cells[res8.Value].Links));
        Assert.Equal(0.5, cells[other.Value].Score, 12);
        Assert.Equal(2, cells.Count);
    }
}
