using DePin.Wireless.Core.H3;
using DePin.Wireless.CoverageOracle.Density;

namespace DePin.Wireless.Devnet.Poc;

/// <summary>The devnet's own <see cref="IHexHierarchy"/> over Core's H3 grid (replaced by the oracle's shared adapter later).</summary>
public sealed class DevnetHexHierarchyAdapter : IHexHierarchy
{
    public int Resolution(ulong cell) => new H3Cell(cell).Resolution;

    public ulong Parent(ulong cell, int resolution) => H3Grid.CellToParent(new H3Cell(cell), resolution).Value;

    public IEnumerable<ulong> Disk1(ulong cell) => H3Grid.GridDisk(new H3Cell(cell), 1).Select(c => c.Value);
}
