using System.Numerics;
using DePin.Wireless.Core.H3;

namespace DePin.Wireless.CoverageOracle.Map;

/// <summary>One reward epoch's time window, as listed by the map's epoch selector.</summary>
public sealed record EpochInfo(long Epoch, DateTimeOffset Start, DateTimeOffset End);

/// <summary>Everything the map shows for one epoch: scored cells, hotspots with their outcome, and witness links.</summary>
public sealed record EpochSnapshot(
    EpochInfo Info,
    IReadOnlyList<CellCoverage> Cells,
    IReadOnlyList<HotspotSummary> Hotspots,
    IReadOnlyList<WitnessLink> Links);

/// <summary>A cell's coverage score (0..1) and how many hotspots were counted in it.</summary>
public sealed record CellCoverage(H3Cell Cell, double Score, int Hotspots);

/// <summary>A hotspot's reward for the epoch (token base units) and, when penalised, the reasons.</summary>
public sealed record HotspotSummary(string Address, H3Cell Cell, BigInteger Reward, bool Penalised, IReadOnlyList<string> Reasons);

/// <summary>A beacon heard by a witness, with the signal the witness reported.</summary>
public sealed record WitnessLink(string Beaconer, H3Cell BeaconerCell, string Witness, H3Cell WitnessCell, double Rssi, double Snr);

/// <summary>Where the map reads its epochs from; the oracle and the devnet publish into an implementation.</summary>
public interface ICoverageSource
{
    /// <summary>All published epochs in ascending epoch order.</summary>
    IReadOnlyList<EpochInfo> Epochs();

    /// <summary>The snapshot of <paramref name="epoch"/>, or null when it was never published.</summary>
    EpochSnapshot? Get(long epoch);
}
