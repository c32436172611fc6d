using System.Globalization;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.CoverageOracle.Spoofing;

/// <summary>
/// Structure of the epoch's graph of valid witness links (undirected: beaconer — witness).
/// <list type="bullet">
/// <item>Islands: small components while a large mesh exists: hotspots that only witness each other.</item>
/// <item>Dense cut-off clusters: a hotspot's closed neighbourhood that is nearly a clique with almost no edges leaving it
/// (external edge ratio = edges leaving / all edges touching the neighbourhood).</item>
/// <item>Uniform RSSI (weak): near-identical mean RSSI to every peer although the asserted distances differ: radios in one room
/// behind attenuators, not hotspots spread over a town with shadowing between them — or censoring (see <c>UniformRssi</c>).</item>
/// <item>Copied signal: two hotspots that report the very same RSSI (0.1 dB) and SNR (0.01 dB) for most beacons both
/// witnessed. Two radios measure one packet through different paths, fading and receiver noise; identical figures again and
/// again mean one report was copied from the other — a relay pair, whose far half claims what the near half heard. Both are
/// flagged: the copy needs the source's cooperation (reports are signed and sent privately to the oracle).</item>
/// </list>
/// </summary>
public sealed class WitnessGraphEvidence(WitnessGraphOptions options)
{
    /// <param name="predictedMarginDb">How far above sensitivity the epoch's path-loss model puts a link (<see cref="PathLossConsistency.PredictedMarginDb"/>); null when the epoch has no model.</param>
    public IReadOnlyList<SpoofingVerdict> Analyze(EpochLinks epoch, Func<PocLink, double>? predictedMarginDb = null)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        var graph = WitnessGraph.From(epoch.AllLinks.Select(l => (l.Beaconer.Id, l.Witness.Id)));
        return Islands(graph, epoch).Concat(DenseClusters(graph)).Concat(UniformRssi(epoch, predictedMarginDb)).Concat(CopiedSignals(epoch)).ToList();
    }

    /// <summary>Pairs of witnesses (ordinal order) with the number of beacons for which both reported identical RSSI and SNR, and the beacons they share.</summary>
    public static IReadOnlyList<(string A, string B, int Identical, int Shared)> IdenticalSignalPairs(EpochLinks epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        var identical = new Dictionary<(string, string), int>();
        var beaconsOf = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        for (var b = 0; b < epoch.Beacons.Count; b++)
        {
            var links = epoch.Beacons[b].Links;
            foreach (var link in links)
            {
                if (!beaconsOf.TryGetValue(link.Witness.Id, out var set))
                {
                    beaconsOf[link.Witness.Id] = set = [];
                }

                set.Add(b);
            }

            foreach (var group in links.GroupBy(l => (l.Report.SignalDeciDbm, l.Report.SnrCentiDb)).Where(g => g.Count() > 1))
            {
                var ids = group.Select(l => l.Witness.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                for (var i = 0; i < ids.Count; i++)
                {
                    for (var j = i + 1; j < ids.Count; j++)
                    {
                        identical[(ids[i], ids[j])] = identical.GetValueOrDefault((ids[i], ids[j])) + 1;
                    }
                }
            }
        }

        return identical
            .Select(kv => (kv.Key.Item1, kv.Key.Item2, kv.Value, beaconsOf[kv.Key.Item1].Count(beaconsOf[kv.Key.Item2].Contains)))
            .OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2, StringComparer.Ordinal)
            .ToList();
    }

    private IEnumerable<SpoofingVerdict> CopiedSignals(EpochLinks epoch)
    {
        var flagged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (a, b, same, shared) in IdenticalSignalPairs(epoch))
        {
            if (same < options.MinIdenticalSignals || same < options.MinIdenticalSignalShare * shared)
            {
                continue;
            }

            foreach (var (id, other) in new[] { (a, b), (b, a) })
            {
                flagged.TryAdd(id, string.Create(CultureInfo.InvariantCulture, $"witness_graph_copied_signal: identical RSSI and SNR to {other} for {same} of {shared} shared beacons"));
            }
        }

        return flagged.Select(kv => new SpoofingVerdict(kv.Key, SpoofingCheck.WitnessGraph, EvidenceStrength.Strong, 1, 1, kv.Value));
    }

    private IEnumerable<SpoofingVerdict> Islands(WitnessGraph graph, EpochLinks epoch)
    {
        var components = graph.Components();
        var largest = components.Count == 0 ? 0 : components.Max(c => c.Count);
        if (largest < options.MinMeshSize)
        {
            yield break;
        }

        // Isolation is only suspicious among neighbours: a small town beyond radio range of the rest of the network is
        // an island by geography. The island is judged against the epoch's own link distances: if no member is asserted
        // within the distance that covers most valid links of the epoch from some hotspot outside the island, nothing
        // outside could have been expected to hear it.
        var reach = LinkDistanceQuantile(epoch, options.IslandReachQuantile);
        var mesh = components.Where(c => c.Count > options.MaxIslandSize).SelectMany(c => c).Where(epoch.Positions.ContainsKey).Select(id => epoch.Positions[id]).ToList();
        var nearMesh = reach is { } radius && radius > 0 ? new GeoProximityIndex(mesh, radius) : null;
        foreach (var component in components.Where(c => c.Count <= options.MaxIslandSize))
        {
            var members = component.Where(epoch.Positions.ContainsKey).Select(id => epoch.Positions[id]).ToList();
            if (reach is { } r && !members.Any(m => nearMesh is not null ? nearMesh.AnyWithin(m) : mesh.Any(o => GreatCircle.DistanceMeters(m, o) <= r)))
            {
                continue;
            }

            foreach (var id in component)
            {
                yield return new SpoofingVerdict(id, SpoofingCheck.WitnessGraph, EvidenceStrength.Strong, 1, 1,
                    string.Create(CultureInfo.InvariantCulture, $"witness_graph_island: component of {component.Count} hotspots apart from a mesh of {largest}"));
            }
        }
    }

    /// <summary>The <paramref name="quantile"/> of the epoch's valid link distances (asserted), or null without links.</summary>
    private static double? LinkDistanceQuantile(EpochLinks epoch, double quantile)
    {
        var distances = epoch.AllLinks.Select(l => l.AssertedDistanceMeters).Order().ToList();
        return distances.Count == 0 ? null : distances[Math.Min(distances.Count - 1, (int)Math.Floor(quantile * distances.Count))];
    }

    private IEnumerable<SpoofingVerdict> DenseClusters(WitnessGraph graph)
    {
        // Every node's neighbourhood is measured independently (the graph is only read): in parallel, reported in node order.
        // The closed neighbourhood's size is the degree + 1 (no self-loops): most hotspots of a busy epoch have far more
        // peers than a cluster may, and their O(degree²) shape is not worth computing.
        var nodes = graph.Nodes.Where(id => graph.DegreeOf(id) + 1 is var size && size >= options.MinClusterSize && size <= options.MaxClusterSize).ToArray();
        var shapes = new (int Size, double Density, double ExternalEdgeRatio)[nodes.Length];
        Parallel.For(0, nodes.Length, i => shapes[i] = graph.NeighbourhoodShape(nodes[i]));
        for (var i = 0; i < nodes.Length; i++)
        {
            var id = nodes[i];
            var (size, density, externalRatio) = shapes[i];
            if (size >= options.MinClusterSize && size <= options.MaxClusterSize && density >= options.MinClusterDensity && externalRatio <= options.MaxExternalEdgeRatio)
            {
                yield return new SpoofingVerdict(id, SpoofingCheck.WitnessGraph, EvidenceStrength.Strong, 1, 1,
                    string.Create(CultureInfo.InvariantCulture, $"witness_graph_dense_cluster: {size} hotspots, density {density:0.00}, external edge ratio {externalRatio:0.00}"));
            }
        }
    }

    /// <summary>
    /// Near-identical RSSI to every peer, over links that are not censored only: heard comfortably above sensitivity, and
    /// predicted above it by the epoch's path-loss model. A link the model puts below sensitivity is heard only with lucky
    /// shadowing, so its RSSI is squeezed between the sensitivity floor and the top of the shadowing distribution: on the devnet,
    /// hotspots of a satellite town 20 km from the core heard dozens of core hotspots all within ±1 dB of −125 dBm. That is
    /// censoring, not a room.
    /// </summary>
    private IEnumerable<SpoofingVerdict> UniformRssi(EpochLinks epoch, Func<PocLink, double>? predictedMarginDb)
    {
        var perPeer = new Dictionary<string, Dictionary<string, List<double>>>(StringComparer.Ordinal);
        foreach (var link in epoch.AllLinks)
        {
            var rssi = link.Report.SignalDeciDbm / 10.0;
            if (link.Rate is not { } rate
                || rssi < LinkBudget.Sensitivity(rate, options.NoiseFigureDb).Value + options.UniformityMinMarginDb
                || (predictedMarginDb is not null && predictedMarginDb(link) < options.UniformityMinPredictedMarginDb))
            {
                continue;
            }

            Add(perPeer, link.Beaconer.Id, link.Witness.Id, rssi);
            Add(perPeer, link.Witness.Id, link.Beaconer.Id, rssi);
        }

        foreach (var (id, peers) in perPeer.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (peers.Count < options.MinPeersForUniformity)
            {
                continue;
            }

            var means = peers.Values.Select(v => v.Average()).ToArray();
            var mean = means.Average();
            var std = Math.Sqrt(means.Sum(m => (m - mean) * (m - mean)) / (means.Length - 1));
            if (std < options.MaxUniformRssiStdDb)
            {
                // Weak: even above the censoring cut, links heard only at the top of a clipped shadowing distribution pile up
                // (devnet: honest hotspots with 4–16 peers within 2 dB of −122 dBm, 15 dB above sensitivity). A room cluster is
                // caught strongly by being an island or a cut-off clique, or by TDoA when it is audible.
                yield return new SpoofingVerdict(id, SpoofingCheck.WitnessGraph, EvidenceStrength.Weak, 1, 1,
                    string.Create(CultureInfo.InvariantCulture, $"witness_graph_uniform_rssi: {peers.Count} peers within std {std:0.0} dB of {mean:0.0} dBm"));
            }
        }
    }

    private static void Add(Dictionary<string, Dictionary<string, List<double>>> map, string id, string peer, double rssi)
    {
        if (!map.TryGetValue(id, out var peers))
        {
            map[id] = peers = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        }

        if (!peers.TryGetValue(peer, out var list))
        {
            peers[peer] = list = [];
        }

        list.Add(rssi);
    }
}

/// <summary>
/// An undirected simple graph of hotspot ids with deterministic (ordinal) iteration. Built once, then read only (safe to
/// query from several threads): nodes are numbered in ordinal id order and each adjacency is a sorted array of numbers, so
/// neighbourhood measures cost integer comparisons rather than string hashing and tree walks.
/// </summary>
public sealed class WitnessGraph
{
    private readonly string[] _ids;
    private readonly Dictionary<string, int> _index;
    private readonly int[][] _adjacency;

    private WitnessGraph(string[] ids, Dictionary<string, int> index, int[][] adjacency)
    {
        _ids = ids;
        _index = index;
        _adjacency = adjacency;
    }

    /// <summary>Every hotspot with at least one edge, in ordinal order.</summary>
    public IEnumerable<string> Nodes => _ids;

    public static WitnessGraph From(IEnumerable<(string A, string B)> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var neighbours = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (a, b) in edges)
        {
            if (!string.Equals(a, b, StringComparison.Ordinal))
            {
                Set(neighbours, a).Add(b);
                Set(neighbours, b).Add(a);
            }
        }

        var ids = neighbours.Keys.ToArray();
        Array.Sort(ids, StringComparer.Ordinal);
        var index = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (var i = 0; i < ids.Length; i++)
        {
            index[ids[i]] = i;
        }

        var adjacency = new int[ids.Length][];
        for (var i = 0; i < ids.Length; i++)
        {
            var row = neighbours[ids[i]].Select(n => index[n]).ToArray();
            Array.Sort(row);
            adjacency[i] = row;
        }

        return new WitnessGraph(ids, index, adjacency);
    }

    /// <summary>Number of neighbours (0 for an id not in the graph).</summary>
    public int DegreeOf(string id) => _index.TryGetValue(id, out var node) ? _adjacency[node].Length : 0;

    public IReadOnlySet<string> NeighboursOf(string id)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        if (_index.TryGetValue(id, out var node))
        {
            foreach (var n in _adjacency[node])
            {
                set.Add(_ids[n]);
            }
        }

        return set;
    }

    /// <summary>Connected components (breadth-first), each sorted, in order of their smallest id.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Components()
    {
        var seen = new bool[_ids.Length];
        var result = new List<IReadOnlyList<string>>();
        var queue = new Queue<int>();
        for (var start = 0; start < _ids.Length; start++)
        {
            if (seen[start])
            {
                continue;
            }

            seen[start] = true;
            var members = new List<int> { start };
            queue.Enqueue(start);
            while (queue.TryDequeue(out var node))
            {
                foreach (var next in _adjacency[node])
                {
                    if (!seen[next])
                    {
                        seen[next] = true;
                        members.Add(next);
                        queue.Enqueue(next);
                    }
                }
            }

            // Numbers follow ordinal id order, so sorting the numbers sorts the ids.
            members.Sort();
            result.Add(members.Select(m => _ids[m]).ToList());
        }

        return result;
    }

    /// <summary>Size, edge density and external edge ratio of the closed neighbourhood {id} ∪ neighbours(id).</summary>
    public (int Size, double Density, double ExternalEdgeRatio) NeighbourhoodShape(string id)
    {
        if (!_index.TryGetValue(id, out var node))
        {
            return (1, 0, 0);
        }

        // The closed neighbourhood as a sorted array: membership by binary search.
        var open = _adjacency[node];
        var members = new int[open.Length + 1];
        var insertAt = ~Array.BinarySearch(open, node);
        open.AsSpan(0, insertAt).CopyTo(members);
        members[insertAt] = node;
        open.AsSpan(insertAt).CopyTo(members.AsSpan(insertAt + 1));

        var internalEndpoints = 0;
        var external = 0;
        foreach (var m in members)
        {
            foreach (var n in _adjacency[m])
            {
                if (Array.BinarySearch(members, n) >= 0)
                {
                    internalEndpoints++;
                }
                else
                {
                    external++;
                }
            }
        }

        var internalEdges = internalEndpoints / 2;
        var possible = members.Length * (members.Length - 1) / 2;
        var density = possible == 0 ? 0 : (double)internalEdges / possible;
        var touching = internalEdges + external;
        return (members.Length, density, touching == 0 ? 0 : (double)external / touching);
    }

    private static HashSet<string> Set(Dictionary<string, HashSet<string>> map, string id)
    {
        if (!map.TryGetValue(id, out var set))
        {
            map[id] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        return set;
    }
}
